"""The independent checker of SPEC §2–§6: whether a result holds for its instance.

`check(instance, result)` judges the plan by every feasibility rule of §2, recomputes the
objective (§3), budgets and regional cost (§4) and the cost split (§5) in float64 from the plan
alone, and compares them with what the result reports. It shares no code with the formulations,
payouts or split modules (STYLE habit 9): a mismatch is a bug in one of the two, never a result.

Tolerances: counts are exact; money limits (§2 rule 7) allow 1e-6 relative or one cent; reported
amounts (objective, budgets, regional cost) must be within max(€0.01, 1e-9 relative) of the
recomputed ones, split amounts within one cent, and the split must add up to the cent exactly.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from solver.check.continuity import (
    check_max_moved,
    check_n_minus_1,
    check_open_house,
    moved_clients,
)
from solver.check.horizon import check_horizon
from solver.check.index import InstanceIndex, PlanLedger, index_instance
from solver.check.money import Money, recompute, share_cents, split_raw
from solver.check.rules import (
    Violation,
    check_assignments,
    check_budget_rules,
    check_capacity,
    check_contracts,
    check_coverage,
    check_demand,
    check_limits,
    check_one_unit,
)
from solver.errors import CheckFailed
from solver.instance import GAME_RULES, Instance
from solver.result import Result

__all__ = ["CheckReport", "Violation", "check"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckReport:
    """What the checker found, and the amounts it recomputed.

    The amounts are None (and `budgets` empty) when the result has no plan, or when its plan
    names ids or offers that do not exist, so that it cannot be priced (those are violations).
    """

    violations: tuple[Violation, ...]
    objective: float | None
    regional_cost: float | None
    budgets: dict[tuple[str, str], float]  # (unit, lot) -> amount, DECISIONS 2 order
    split: dict[str, float] | None  # municipality -> amount to the cent; None for a game rule

    @property
    def ok(self) -> bool:
        """Whether the result holds: no rule is broken."""
        return not self.violations

    def raise_if_broken(self) -> None:
        """Raise `CheckFailed` listing every violation (for solve(), tests and benchmarks)."""
        if self.violations:
            raise CheckFailed([str(v) for v in self.violations])


def check(instance: Instance, result: Result) -> CheckReport:
    """Judge `result` against `instance` by SPEC §2–§6 (see the module docstring)."""
    ix = index_instance(instance)
    out: list[Violation] = []
    _check_status(result, out)
    if not result.status.has_solution:
        return CheckReport(tuple(out), None, None, {}, None)
    if instance.horizon is not None:
        found, objective = check_horizon(instance, result, check)
        out.extend(found)
        return CheckReport(tuple(out), objective, result.regional_cost, {}, None)

    tally = PlanLedger(check_contracts(ix, result, out))
    check_assignments(ix, result, tally, out)
    check_one_unit(ix, tally, out)
    check_demand(ix, tally, out)
    check_capacity(ix, tally, out)
    check_coverage(ix, tally, out)
    check_limits(ix, tally, out)
    check_max_moved(ix, tally, out)
    check_n_minus_1(ix, tally, out)
    check_open_house(ix, tally, out)
    _compare_moved(ix, tally, result, out)
    if not tally.priced:
        logger.debug("plan names unknown ids or offers: money left unchecked")
        return CheckReport(tuple(out), None, None, {}, None)

    money = recompute(ix, tally)
    check_budget_rules(ix, money, out)
    _compare_objective(result, money, out)
    _compare_budgets(ix, result, money, out)
    _compare_regional_cost(result, money, out)
    split = _compare_split(ix, tally, result, money, out)
    _compare_columns(ix, result, out)
    logger.debug("checked %d assignments: %d violation(s)", len(result.assignments), len(out))
    return CheckReport(tuple(out), money.objective, money.regional_cost, money.budgets, split)


def _compare_moved(
    ix: InstanceIndex, tally: PlanLedger, result: Result, out: list[Violation]
) -> None:
    """SPEC §3 moved clients: the result's `moved[]` against the checker's own count.

    A result without `moved[]` (older files) is not judged on it; one with it must list exactly
    the (provider, municipality, care type) whose incumbents move, with their numbers.
    """
    if not result.moved:
        return
    theirs = {(r.provider, r.municipality, r.care_type): r.clients for r in result.moved}
    mine = moved_clients(ix, tally)
    if len(theirs) != len(result.moved):
        out.append(
            Violation("3 moved", "moved[] lists a provider, municipality and care type twice")
        )
    for key in sorted(set(theirs) | set(mine)):
        if theirs.get(key, 0) != mine.get(key, 0):
            p, m, c = key
            out.append(
                Violation(
                    "3 moved",
                    f"moved[] says {theirs.get(key, 0)} clients leave {p} in {m} ({c}), "
                    f"recomputed {mine.get(key, 0)}",
                )
            )


def _report_tolerance(value: float) -> float:
    return max(0.01, 1e-9 * abs(value))


def _close(reported: float, recomputed: float) -> bool:
    return math.isfinite(reported) and abs(reported - recomputed) <= _report_tolerance(recomputed)


def _check_status(result: Result, out: list[Violation]) -> None:
    """SPEC §6: a plan only with optimal/feasible; infeasible explains; invalid lists errors."""
    status = result.status.value
    if result.status.has_solution:
        return
    if result.contracts or result.assignments:
        out.append(
            Violation(
                "6 status",
                f"status {status} but the result has a plan ({len(result.contracts)} contracts, "
                f"{len(result.assignments)} assignments)",
            )
        )
    if result.budgets or result.cost_split is not None:
        out.append(Violation("6 status", f"status {status} but the result has budgets or a split"))
    if result.status == "infeasible" and not any(line.strip() for line in result.explanation):
        out.append(Violation("6 status", "status infeasible without an explanation"))
    if result.status == "invalid" and not result.errors:
        out.append(Violation("6 status", "status invalid without any error item"))


def _compare_objective(result: Result, money: Money, out: list[Violation]) -> None:
    """SPEC §3: the reported objective (and its parts, bound) against the recomputed one."""
    _compare_amount("3 objective", result.objective, money.objective, out)
    if result.costs is not None:
        parts = {
            "contract_cost": money.contract_cost,
            "care_cost": money.care_cost,
            "transfer_cost": money.transfer_cost,
            "quality_bonus": money.quality_bonus,
            "payouts": sum(money.payouts.values()),
        }
        for name, mine in parts.items():
            theirs = getattr(result.costs, name)
            if not _close(theirs, mine):
                out.append(
                    Violation("3 costs", f"costs.{name} is {theirs:.2f}, recomputed {mine:.2f}")
                )
        if result.costs.moved_clients != money.moved_clients:
            out.append(
                Violation(
                    "3 costs",
                    f"costs.moved_clients is {result.costs.moved_clients}, "
                    f"recomputed {money.moved_clients}",
                )
            )
    bound = result.bound
    if bound is not None and not bound <= money.objective + _report_tolerance(money.objective):
        out.append(
            Violation("6 bound", f"bound {bound:.2f} is above the objective {money.objective:.2f}")
        )


def _compare_budgets(ix: InstanceIndex, result: Result, money: Money, out: list[Violation]) -> None:
    """SPEC §4 / DECISIONS 2: one entry per (contracted unit, lot), each amount recomputed."""
    seen: list[tuple[str, str]] = []
    before = len(out)
    for b in result.budgets:
        key = (b.unit, b.lot)
        name = f"budget of unit {b.unit} for lot {b.lot}"
        if key in seen:
            out.append(Violation("4 budgets", f"{name} is listed more than once"))
            continue
        seen.append(key)
        if key not in money.budgets:
            out.append(
                Violation(
                    "4 budgets",
                    f"{name} is not expected: the unit holds no care type of the lot",
                )
            )
            continue
        funding = ix.lots[b.lot].funding
        if b.funding != funding:
            out.append(Violation("4 budgets", f"{name} says funding {b.funding}, lot is {funding}"))
        if not _close(b.amount, money.budgets[key]):
            out.append(
                Violation(
                    "4 budgets",
                    f"{name} is {b.amount:.2f}, recomputed {money.budgets[key]:.2f}",
                )
            )
    listed = set(seen)
    for (u, lot), amount in money.budgets.items():
        if (u, lot) not in listed:
            out.append(
                Violation(
                    "4 budgets", f"budget of unit {u} for lot {lot} is missing ({amount:.2f})"
                )
            )
    if len(out) == before and seen != list(money.budgets):
        out.append(
            Violation("4 budgets", "not in DECISIONS 2 order (units in instance order, then lots)")
        )


def _compare_regional_cost(result: Result, money: Money, out: list[Violation]) -> None:
    """SPEC §4: contract cost + Σ lot payouts + transfer cost."""
    _compare_amount("4 regional_cost", result.regional_cost, money.regional_cost, out)


def _compare_amount(
    rule: str, reported: float | None, recomputed: float, out: list[Violation]
) -> None:
    """A reported amount against its recomputation: missing, or off by more than a cent."""
    if reported is None:
        out.append(Violation(rule, f"missing; recomputed {recomputed:.2f}"))
    elif not _close(reported, recomputed):
        out.append(Violation(rule, f"reported {reported:.2f}, recomputed {recomputed:.2f}"))


def _compare_split(
    ix: InstanceIndex, tally: PlanLedger, result: Result, money: Money, out: list[Violation]
) -> dict[str, float] | None:
    """SPEC §5 / DECISIONS 6–10: one amount per municipality, to the cent, adding up exactly."""
    rule = ix.instance.policy.cost_split.rule
    reported = result.regional_cost
    # The amounts must add up to the regional cost the result reports (that one is checked
    # apart); the recomputed split rounds the same total unless the reported one is wrong.
    if reported is not None and math.isfinite(reported):
        total = round(reported * 100)
        own_total = total if _close(reported, money.regional_cost) else None
    else:
        total, own_total = round(money.regional_cost * 100), None
    if own_total is None:
        own_total = round(money.regional_cost * 100)
    mine: dict[str, int] | None = None
    if rule not in GAME_RULES:  # a game split cannot be recomputed here: it needs every c(S)
        cents = share_cents(split_raw(ix, tally, money), own_total)
        mine = dict(zip(ix.municipalities, cents, strict=True))
    split = None if mine is None else {m: c / 100 for m, c in mine.items()}

    cs = result.cost_split
    if cs is None:
        return split
    if cs.rule != rule:
        out.append(
            Violation("5 split", f"cost_split.rule is {cs.rule}, policy.cost_split.rule is {rule}")
        )
    amounts: dict[str, int] = {}
    for i, item in enumerate(cs.amounts):
        m = item.municipality
        if m not in ix.population:
            out.append(Violation("5 split", f"cost_split.amounts[{i}] names unknown {m}"))
        elif m in amounts:
            out.append(Violation("5 split", f"municipality {m} has more than one amount"))
        elif not _whole_cents(item.amount):
            out.append(Violation("5 split", f"amount of {m} is {item.amount}, not whole cents"))
        else:
            amounts[m] = round(item.amount * 100)
    missing = [m for m in ix.municipalities if m not in amounts]
    if missing:
        out.append(Violation("5 split", "no amount for municipality " + ", ".join(missing)))
        return split
    if sum(amounts.values()) != total:
        out.append(
            Violation(
                "5 split sum",
                f"amounts add up to {sum(amounts.values()) / 100:.2f}, the regional cost to the "
                f"cent is {total / 100:.2f}",
            )
        )
    if [item.municipality for item in cs.amounts] != list(ix.municipalities):
        out.append(Violation("5 split", "amounts are not in municipalities[] order"))
    for part in cs.parts or []:
        whole = round((part.care + part.contract + part.transfer) * 100)
        if part.municipality in amounts and whole != amounts[part.municipality]:
            out.append(
                Violation(
                    "5 split parts",
                    f"the parts of {part.municipality} add up to {whole / 100:.2f}, its amount is "
                    f"{amounts[part.municipality] / 100:.2f}",
                )
            )
    for m, want in (mine or {}).items():
        if abs(amounts[m] - want) > 1:
            out.append(
                Violation(
                    "5 split amount",
                    f"municipality {m} pays {amounts[m] / 100:.2f}, recomputed {want / 100:.2f} "
                    f"by the {rule} rule",
                )
            )
    return split


def _compare_columns(ix: InstanceIndex, result: Result, out: list[Violation]) -> None:
    """Every column of `dekkend split --compare` is a whole split of the regional cost.

    It names each municipality once, in order, and adds up to the regional cost to the cent.
    """
    if result.comparison is None or result.regional_cost is None:
        return
    total = round(result.regional_cost * 100)
    for column in result.comparison.splits:
        names = [a.municipality for a in column.amounts]
        if names != list(ix.municipalities):
            out.append(Violation("5 compare", f"the {column.rule} column does not name each "
                                 "municipality once, in municipalities[] order"))  # fmt: skip
        cents = sum(round(a.amount * 100) for a in column.amounts)
        if cents != total:
            out.append(Violation("5 compare", f"the {column.rule} column adds up to "
                                 f"{cents / 100:.2f}, not {total / 100:.2f}"))  # fmt: skip


def _whole_cents(amount: float) -> bool:
    return math.isfinite(amount) and abs(amount * 100 - round(amount * 100)) <= 1e-3
