"""Fair-split reporting and the split job: stand-alone costs and the core verdict of any split.

`run_split` is the library entry of `dekkend split` and of the API's split job: it solves the
instance under a chosen split rule with the coalition engine of choice, and (for any rule, when
asked) adds each municipality's stand-alone cost c({m}) and the core verdict of the split.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.instance.schema import Instance, dump_instance, parse_instance
from solver.options import ProgressCallback, SolveOptions
from solver.result import CostSplitResult, MunicipalityAmount, Result
from solver.split.game.cache import CoalitionCache
from solver.split.game.core import core_report
from solver.split.game.engines import Engine, GameProgress
from solver.split.game.shapley import (
    DEFAULT_TIME_LIMIT_S,
    EXACT_LIMIT,
    GameSettings,
    coalition_names,
    evaluate_game,
    game_settings,
)
from solver.split.rules import largest_remainder

LISTED = 10  # unproven coalitions named in a result


@dataclass(frozen=True, slots=True)
class GameOutcome:
    """The solved part of a coalition game: c(S) of the usable coalitions."""

    ids: list[str]
    costs: dict[int, float]  # mask -> c(S); infeasible and unsolved coalitions left out
    unproven: list[int]  # masks whose c(S) is the best found, not proven optimal
    exact: bool  # every coalition was solved
    samples: int | None = None


def _amounts(ids: Sequence[str], values: Sequence[float]) -> list[MunicipalityAmount]:
    return [
        MunicipalityAmount(municipality=m, amount=float(a))
        for m, a in zip(ids, values, strict=True)
    ]


def game_annotations(
    outcome: GameOutcome,
    amounts: Sequence[float],
    regional_cost: float,
    anchor: np.ndarray | None = None,
) -> tuple[list[MunicipalityAmount], dict[str, Any] | None]:
    """Stand-alone costs, and the core verdict of `amounts` (euros) scaled back to c(N) units."""
    ids, costs = outcome.ids, outcome.costs
    n = len(ids)
    grand = (1 << n) - 1
    stand_alone = [
        MunicipalityAmount(municipality=m, amount=round(costs[1 << i], 2))
        for i, m in enumerate(ids)
        if (1 << i) in costs
    ]
    c_n = costs.get(grand)
    if c_n is None or c_n <= 0 or regional_cost <= 0:
        return stand_alone, None
    scale = c_n / regional_cost
    split = np.asarray(amounts, dtype=np.float64) * scale
    # each amount is off by < 1 cent after rounding: that much excess is not blocking
    tolerance = n * 0.01 * scale + 1e-9 * abs(c_n)
    report, least = core_report(
        costs, split, ids, tolerance=tolerance, anchor=split if anchor is None else anchor
    )
    report["exact"] = outcome.exact
    report["infeasible_or_unsolved_coalitions"] = (
        (1 << n) - 1 - len(costs) if outcome.exact else None
    )
    if outcome.samples is not None:
        report["samples"] = outcome.samples
    report["unproven_coalitions"] = coalition_names(outcome.unproven[:LISTED], ids)
    report["unproven_count"] = len(outcome.unproven)
    if least is not None:
        cents = largest_remainder(list(least.split), regional_cost)
        report["least_core_split"] = [a.model_dump() for a in _amounts(ids, cents)]
    return stand_alone, report


def split_report(
    instance: Instance,
    regional_cost: float,
    outcome: GameOutcome,
    *,
    rule: str,
    raw: np.ndarray,
    standard_errors: np.ndarray | None = None,
) -> CostSplitResult:
    """A split pro rata `raw` (Σ raw > 0) to the cent, with stand-alone costs and core verdict."""
    ids = outcome.ids
    cents = largest_remainder(list(raw), regional_cost)
    stand_alone, core = game_annotations(outcome, cents, regional_cost, anchor=raw)
    errors = None
    if standard_errors is not None:
        scale = regional_cost / math.fsum(raw)
        errors = _amounts(ids, [round(e * scale, 2) for e in standard_errors])
    return CostSplitResult(
        rule=rule,
        amounts=_amounts(ids, cents),
        stand_alone=stand_alone,
        core=core,
        standard_errors=errors,
    )


def annotate_split(instance: Instance, result: Result) -> Result:
    """Add stand-alone costs and the core verdict to a solved result's (non-shapley) split."""
    split = result.cost_split
    if split is None or result.regional_cost is None:
        return result
    ids = [m.id for m in instance.municipalities]
    n = len(ids)
    grand = (1 << n) - 1
    exact = n <= EXACT_LIMIT
    masks = list(range(1, grand + 1)) if exact else [1 << i for i in range(n)] + [grand]
    values = evaluate_game(instance, masks)
    costs = {m: float(v.cost) for m, v in values.items() if v.cost is not None}
    unproven = sorted(m for m, v in values.items() if v.status == "feasible")
    outcome = GameOutcome(ids, costs, unproven, exact)
    amounts = [a.amount for a in split.amounts]
    stand_alone, core = game_annotations(outcome, amounts, result.regional_cost)
    notes = list(result.notes)
    missing = [m for i, m in enumerate(ids) if (1 << i) not in costs]
    if missing:
        notes.append("no stand-alone cost (infeasible alone or not solved): " + ", ".join(missing))
    return result.model_copy(
        update={"cost_split": split.model_copy(update={"stand_alone": stand_alone, "core": core}),
                "notes": notes}
    )  # fmt: skip


def with_rule(
    instance: Instance,
    rule: str | None = None,
    *,
    samples: int | None = None,
    seed: int | None = None,
) -> Instance:
    """The instance with its split rule (and sampling) replaced, validated again.

    `by_lot` does not apply to shapley (SPEC §5), so choosing shapley drops it.
    """
    if rule is None and samples is None and seed is None:
        return instance
    raw = dump_instance(instance)
    split = raw.setdefault("policy", {}).setdefault("cost_split", {})
    if rule is not None:
        split["rule"] = rule
        if rule == "shapley":
            split.pop("by_lot", None)
    if samples is not None:
        split["samples"] = samples
    if seed is not None:
        split["seed"] = seed
    return parse_instance(raw)


def run_split(
    instance: Instance,
    *,
    rule: str | None = None,
    engine: Engine | None = None,
    samples: int | None = None,
    seed: int | None = None,
    stand_alone: bool = False,
    options: SolveOptions | None = None,
    game_time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    on_progress: ProgressCallback | None = None,
    on_game_progress: GameProgress | None = None,
    cache: CoalitionCache | None = None,
) -> Result:
    """Solve `instance` and split its regional cost by `rule` (default: the instance's own).

    Shapley results always carry stand-alone costs and the core verdict; other rules carry them
    when `stand_alone` is set. Coalitions are solved on `engine` (default: local process pool);
    with a `cache`, proven values of earlier runs are read from it and new ones kept in it.
    Raises `InvalidInput` when the rule change makes the instance invalid (e.g. `key` without
    weights). A refused shapley split leaves `cost_split` empty and says why in `notes`.
    """
    from solver.solve import solve

    started = time.monotonic()
    own_rule = instance.policy.cost_split.rule
    instance = with_rule(instance, rule, samples=samples, seed=seed)
    settings = GameSettings(
        engine=engine, time_limit_s=game_time_limit_s, on_progress=on_game_progress, cache=cache
    )
    with game_settings(settings):
        result = solve(instance, options=options or SolveOptions(), on_progress=on_progress)
        split = result.cost_split
        if stand_alone and split is not None and split.rule != "shapley":
            result = annotate_split(instance, result)
    notes = _unused_sampling(instance, samples, seed)
    if rule is not None and rule != own_rule and result.cost_split is not None:
        # `dekkend check` judges a result by the instance's own policy, so say what it answers
        what_if = (
            f"split by the {rule} rule instead of the instance's {own_rule} rule: this result "
            f"holds for the instance with policy.cost_split.rule = {rule!r}"
        )
        notes.append(what_if)
    return result.model_copy(
        update={"notes": [*result.notes, *notes], "runtime_s": time.monotonic() - started}
    )


def _unused_sampling(instance: Instance, samples: int | None, seed: int | None) -> list[str]:
    """A note when `samples` or `seed` was given but plays no part in this split."""
    pairs = (("samples", samples), ("seed", seed))
    given = [f"{name} {value}" for name, value in pairs if value is not None]
    if not given:
        return []
    rule = instance.policy.cost_split.rule
    n = len(instance.municipalities)
    if rule != "shapley":
        why = f"random orders are only drawn for the shapley rule, and the rule is {rule}"
    elif n <= EXACT_LIMIT:
        why = (
            f"with {n} municipalities (at most {EXACT_LIMIT}) the Shapley value is computed "
            "exactly from every coalition, not from random orders"
        )
    else:
        return []
    return [f"{' and '.join(given)} not used: {why}"]
