"""What each rule of an instance costs: the optimum with the rule relaxed minus the optimum with it.

Rules: `policy.max_contracts`, each lot's `min_providers` (relaxed to 1), `max_contracts`,
`max_units_per_municipality`, `max_share`, budget cap, task budget and population budget (each
dropped), and `policy.transfer_cost` (set to 0). A rule whose removal changes nothing costs 0.

Shadow prices are given only where they mean something: for rules on clients or euros (max_share,
the budgets) the dual value of the LP with every contract decision fixed as in the optimum —
what one more euro of budget (one more client per unit under max_share) would save with the same
contracts. Rules on whole numbers of contracts or units have no meaningful LP price; their price
is the relaxed difference itself.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

import numpy as np

from solver.backends.highs.backend import run_mip
from solver.backends.highs.run import lp_duals
from solver.infeasibility.precheck import infeasibility_proofs
from solver.instance import Instance
from solver.model.data import build_data
from solver.model.families import (
    BUDGET_CAP,
    LOT_MAX_CONTRACTS,
    MAX_CONTRACTS,
    MAX_SHARE,
    MOVED,
    POPULATION_BUDGET,
    TASK_BUDGET,
    X,
    per_lot,
)
from solver.model.formulation import build_model
from solver.model.matrix import MatrixModel
from solver.model.variants import drop_families, family_rows
from solver.options import SolveOptions
from solver.result import Status

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class RuleCost:
    """One rule: its value, the optimum with and without it, and its LP price where meaningful."""

    rule: str
    value: str
    relaxed_to: str
    objective_with: float | None
    objective_relaxed: float | None
    status_relaxed: str
    shadow_price: float | None = None
    shadow_meaning: str = ""

    @property
    def delta(self) -> float | None:
        """Optimum with the rule relaxed minus optimum with it (≤ 0: relaxing never costs)."""
        if self.objective_with is None or self.objective_relaxed is None:
            return None
        delta = self.objective_relaxed - self.objective_with
        # solver round-off is not a cost: below a cent-per-million of the optimum it is 0
        return 0.0 if abs(delta) <= 1e-8 * max(1.0, abs(self.objective_with)) else delta

    @property
    def cost(self) -> float | None:
        """What the rule costs the region: −delta."""
        return None if self.delta is None else -self.delta + 0.0

    def to_dict(self) -> dict:
        """JSON row."""
        return {**dataclasses.asdict(self), "delta": self.delta, "cost": self.cost}


@dataclasses.dataclass(frozen=True)
class _Rule:
    name: str
    value: str
    relaxed_to: str
    relax_instance: Callable[[Instance], Instance] | None = None
    drop: tuple[str, ...] = ()
    shadow: str = ""  # family whose dual is meaningful, and what its unit is
    shadow_meaning: str = ""


def _rules(instance: Instance, model: MatrixModel) -> list[_Rule]:
    families = {name for name, _ in model.families}
    policy = instance.policy
    rules: list[_Rule] = []
    integer = "none: a whole-number rule has no meaningful LP price; see the difference"
    if policy.max_contracts is not None:
        rules.append(
            _Rule("max_contracts", str(policy.max_contracts), "no limit",
                  drop=(MAX_CONTRACTS,), shadow_meaning=integer)
        )  # fmt: skip
    for i, lot in enumerate(instance.lots):
        lid = lot.id
        if lot.min_providers > 1:
            rules.append(
                _Rule(f"lots[{lid}].min_providers", str(lot.min_providers), "1",
                      relax_instance=_set_lot(i, min_providers=1), shadow_meaning=integer)
            )  # fmt: skip
        limits = (
            ("max_contracts", lot.max_contracts),
            ("max_units_per_municipality", lot.max_units_per_municipality),
        )
        for name, value in limits:
            family = per_lot(LOT_MAX_CONTRACTS if name == "max_contracts" else name, lid)
            if value is not None and family in families:
                rules.append(
                    _Rule(f"lots[{lid}].{name}", str(value), "no limit",
                          drop=(family,), shadow_meaning=integer)
                )  # fmt: skip
        if lot.max_share is not None and per_lot(MAX_SHARE, lid) in families:
            rules.append(
                _Rule(f"lots[{lid}].max_share", f"{lot.max_share:g}", "no limit",
                      drop=(per_lot(MAX_SHARE, lid),), shadow=per_lot(MAX_SHARE, lid),
                      shadow_meaning="euros per client more allowed to every unit "
                      "(LP, contracts fixed as in the optimum)")
            )  # fmt: skip
        for name, family, amount in (
            ("budget_cap", per_lot(BUDGET_CAP, lid), lot.budget_cap),
            ("task_budget", per_lot(TASK_BUDGET, lid), lot.task_budget),
            ("population_rate", per_lot(POPULATION_BUDGET, lid), lot.population_rate),
        ):
            if amount is not None and family in families:
                per = "per euro per youth inhabitant" if name == "population_rate" else "per euro"
                rules.append(
                    _Rule(f"lots[{lid}].{name}", f"{amount:,.2f}", "no budget limit",
                          drop=(family,), shadow=family,
                          shadow_meaning=f"euros {per} more budget (LP, contracts fixed as in "
                          "the optimum)")
                )  # fmt: skip
    if policy.transfer_cost > 0:
        rules.append(
            _Rule("policy.transfer_cost", f"{policy.transfer_cost:,.2f}", "0",
                  relax_instance=_set_policy(transfer_cost=0.0),
                  shadow_meaning="none: a cost, not a limit")
        )  # fmt: skip
    return rules


def _set_lot(index: int, **update: object) -> Callable[[Instance], Instance]:
    def apply(instance: Instance) -> Instance:
        lots = list(instance.lots)
        lots[index] = lots[index].model_copy(update=update)
        return instance.model_copy(update={"lots": lots})

    return apply


def _set_policy(**update: object) -> Callable[[Instance], Instance]:
    def apply(instance: Instance) -> Instance:
        return instance.model_copy(update={"policy": instance.policy.model_copy(update=update)})

    return apply


def _optimum(model: MatrixModel, options: SolveOptions) -> tuple[str, float | None, np.ndarray]:
    outcome = run_mip(model, options)
    if outcome.values is None:
        return outcome.status.value, None, np.zeros(0)
    return outcome.status.value, float(model.cost @ outcome.values), outcome.values


def rule_costs(instance: Instance, *, options: SolveOptions) -> list[RuleCost]:
    """Every rule's cost, most expensive first (rules of an infeasible instance: by objective)."""
    data = build_data(instance)
    model = build_model(data)
    proven_infeasible = bool(infeasibility_proofs(data))
    status, base, values = ("infeasible", None, np.zeros(0))
    if not proven_infeasible:
        status, base, values = _optimum(model, options)
    log.info("base optimum: %s %s", status, base)
    duals = None
    if base is not None:
        fixed = {
            name: np.rint(values[block]) for name, block in model.blocks.items()
            if name not in (X, MOVED)
        }  # fmt: skip
        duals = lp_duals(model, fixed)
    out = []
    for rule in _rules(instance, model):
        if rule.relax_instance is not None:
            relaxed_data = build_data(rule.relax_instance(instance))
            relaxed = build_model(relaxed_data)
            if infeasibility_proofs(relaxed_data):
                out.append(_row(rule, base, None, Status.INFEASIBLE.value, None))
                continue
        else:
            relaxed = drop_families(model, rule.drop)
        r_status, r_objective, _ = _optimum(relaxed, options)
        price = None
        if duals is not None and rule.shadow:
            rows = family_rows(model, rule.shadow.__eq__)  # the family of exactly that name
            price = float(duals.row_dual[rows].sum())
            price = -price + 0.0  # HiGHS: objective change per unit of the bound, ≤ 0 for ≤
        out.append(_row(rule, base, r_objective, r_status, price))
    out.sort(key=lambda r: (-(r.cost or 0.0), r.objective_relaxed is None, r.rule))
    return out


def _row(
    rule: _Rule, base: float | None, relaxed: float | None, status: str, price: float | None
) -> RuleCost:
    return RuleCost(
        rule=rule.name,
        value=rule.value,
        relaxed_to=rule.relaxed_to,
        objective_with=base,
        objective_relaxed=relaxed,
        status_relaxed=status,
        shadow_price=price,
        shadow_meaning=rule.shadow_meaning,
    )
