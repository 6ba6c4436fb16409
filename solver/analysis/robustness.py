"""Firm and open decisions (`dekkend robustness`): which contracts any near-optimal plan shares.

With the proven optimum z* and a margin μ, every contracted unit u of the optimal plan is

- **firm in** when no plan without u costs at most z*·(1 + μ): proven by solving the model with
  u's contract forced off (HiGHS, the objective cut off at that threshold: "infeasible" is the
  proof), or by the forced optimum's bound above the threshold;
- **open** when a plan without u within the margin exists: its cost over z* is the cost of
  forcing u out.

With `outside=True` every other unit is asked the other way (forced in): **firm out** or open.
The solves are independent and fan out like the stress test (`fan_out`). Each is a full MIP, on
the one formulation, with the solve's own options; one that stops at its time limit without
deciding is reported as undecided with its bound and plan, never guessed. The plan that makes a
contract open goes through the independent checker (unless the region's own split rule is a
coalition game, which would be played for every such plan).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.analysis.fan_out import Progress, fan_out
from solver.backends.highs.backend import solve_highs
from solver.backends.outcome import BackendOutcome
from solver.check import check
from solver.i18n.messages import E_
from solver.instance import GAME_RULES, Instance, dump_instance, parse_instance, unit_names
from solver.model.data import ModelData, build_data
from solver.model.families import Z
from solver.model.formulation import build_model
from solver.model.matrix import MatrixModel
from solver.options import SolveOptions
from solver.result import Result, Status
from solver.solve import plan_result

FIRM_IN, FIRM_OUT, OPEN, UNDECIDED = "firm_in", "firm_out", "open", "undecided"


@dataclass(frozen=True, slots=True)
class Decision:
    """One unit's verdict, and the solve that proves it."""

    unit: str
    name: str
    contracted: bool  # in the optimal plan
    verdict: str  # firm_in, firm_out, open, undecided
    forced_cost: float | None  # optimum with the unit forced the other way (None: none found)
    forcing_cost: float | None  # forced_cost − z* (open and undecided only)
    bound: float | None  # the forced solve's lower bound

    def words(self) -> str:
        """The verdict in a sentence."""
        if self.verdict == FIRM_IN:
            return E_("in every plan within the margin")
        if self.verdict == FIRM_OUT:
            return E_("in no plan within the margin")
        if self.verdict == OPEN:
            form = (
                E_("a plan without it costs {cost} more: a choice, not a must")
                if (self.contracted)
                else E_("a plan with it costs {cost} more: a choice, not a must")
            )
            return form.format(cost=f"€{self.forcing_cost:,.0f}")
        return E_("undecided within the time limit (bound and plan straddle the margin)")


@dataclass(frozen=True)
class Robustness:
    """Every unit's decision against the optimum and margin."""

    optimum: float
    margin: float
    threshold: float
    decisions: list[Decision]

    def group(self, verdict: str) -> list[Decision]:
        """The decisions with this verdict, in unit order."""
        return [d for d in self.decisions if d.verdict == verdict]

    def to_dict(self) -> dict[str, Any]:
        """JSON data: the optimum, margin, threshold and each decision."""
        return {
            "optimum": self.optimum,
            "margin": self.margin,
            "threshold": self.threshold,
            "counts": {v: len(self.group(v)) for v in (FIRM_IN, OPEN, FIRM_OUT, UNDECIDED)},
            "decisions": [
                {name: getattr(d, name) for name in d.__slots__} | {"words": d.words()}
                for d in self.decisions
            ],
        }


@dataclass(frozen=True)
class _Context:
    """What every forced solve needs, as plain data (sent once per worker)."""

    instance_json: str
    threshold: float
    options: dict[str, Any]


_MODELS: dict[str, tuple[ModelData, MatrixModel, dict[str, int]]] = {}  # per worker process


def _model(context: _Context) -> tuple[ModelData, MatrixModel, dict[str, int]]:
    """The instance's data, model and unit -> Z column, built once per worker."""
    key = hashlib.sha256(context.instance_json.encode()).hexdigest()
    if key not in _MODELS:
        _MODELS.clear()
        data = build_data(parse_instance(json.loads(context.instance_json)))
        model = build_model(data)
        used = np.unique(data.option_unit)
        z = model.blocks[Z]
        column = {data.unit_ids[int(u)]: z.start + k for k, u in enumerate(used)}
        _MODELS[key] = (data, model, column)
    return _MODELS[key]


def _checked_without(data: ModelData, model: MatrixModel, values: np.ndarray, unit: str) -> None:
    """The plan that makes a contract open passes the independent checker and lacks the unit.

    Not for a region whose own split rule is a coalition game: its split would be played here.
    """
    instance = data.instance
    if instance.policy.cost_split.rule in GAME_RULES:
        return
    plan = plan_result(instance, data, model, values, status=Status.FEASIBLE, bound=None,
                       runtime=0.0, backend="highs", notes=[], time_limit_s=0.0)  # fmt: skip
    check(instance, plan).raise_if_broken()
    if any(c.unit == unit for c in plan.contracts):
        raise RuntimeError(f"the plan without {unit} contracts it (a bug in dekkend)")


def decide(context: _Context, item: tuple[str, bool]) -> tuple[str, float | None, float | None]:
    """Task body: solve with `unit` forced off (contracted) or on; (verdict, cost, bound)."""
    unit, contracted = item
    data, model, column = _model(context)
    col_lo, col_hi = model.col_lo.copy(), model.col_hi.copy()
    if contracted:
        col_hi[column[unit]] = 0.0
    else:
        col_lo[column[unit]] = 1.0
    forced = dataclasses.replace(model, col_lo=col_lo, col_hi=col_hi)
    options = SolveOptions(**context.options)
    # a plan above the threshold decides nothing: HiGHS may prune everything above it
    cutoff = {"objective_bound": context.threshold * (1 + 1e-9) + 1e-6}
    outcome: BackendOutcome = solve_highs(forced, options, None, tuning=cutoff)
    cost = None if outcome.values is None else float(model.cost @ outcome.values)
    if outcome.status is Status.INFEASIBLE:
        return (FIRM_IN if contracted else FIRM_OUT), None, None
    if cost is not None and cost <= context.threshold * (1 + 1e-9):
        if contracted and outcome.values is not None:
            _checked_without(data, model, outcome.values, unit)
        return OPEN, cost, outcome.bound
    if outcome.bound is not None and outcome.bound > context.threshold:
        return (FIRM_IN if contracted else FIRM_OUT), cost, outcome.bound
    return UNDECIDED, cost, outcome.bound


def robustness(
    instance: Instance,
    result: Result,
    *,
    margin: float,
    options: SolveOptions,
    outside: bool = False,
    engine: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    on_done: Progress | None = None,
) -> Robustness:
    """Firm in / open (/ firm out with `outside`) for the units of `result`, a proven optimum."""
    if margin < 0:
        raise ValueError(f"the margin must be ≥ 0, not {margin}")
    if result.status is not Status.OPTIMAL or result.objective is None:
        raise ValueError(f"robustness needs a proven optimum; the result is {result.status.value}")
    if result.instance is not None and result.instance != instance.name:
        raise ValueError(f"the result is of instance {result.instance!r}, not of {instance.name!r}")
    optimum = result.objective
    threshold = optimum + margin * abs(optimum)
    contracted = {c.unit for c in result.contracts}
    names = unit_names(instance)
    context = _Context(
        instance_json=json.dumps(dump_instance(instance)),
        threshold=threshold,
        options={
            "time_limit_s": options.time_limit_s,
            "threads": options.threads,
            "seed": options.seed,
            "gap": options.gap,
        },  # fmt: skip
    )
    _, _, column = _model(context)
    unknown = sorted(contracted - column.keys())
    if unknown:
        raise ValueError(f"the result contracts units the instance does not have: {unknown}")
    units = [u for u in column if u in contracted or outside]
    items = [(u, u in contracted) for u in units]
    answers = fan_out(decide, context, items, engine=engine, workers=workers,
                      scheduler=scheduler, on_done=on_done,
                      preload="solver.analysis.robustness")  # fmt: skip
    decisions = []
    for (unit, inside), (verdict, cost, bound) in zip(items, answers, strict=True):
        forcing = None if cost is None or verdict in (FIRM_IN, FIRM_OUT) else cost - optimum
        decisions.append(Decision(unit, names.get(unit, unit), inside, verdict, cost, forcing,
                                  bound))  # fmt: skip
    return Robustness(optimum, margin, threshold, decisions)
