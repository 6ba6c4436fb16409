"""What a game tells about any split: stand-alone costs, the core verdict, the least core.

`split_report` turns a game split's raw amounts into a `CostSplitResult` to the cent with the
game's annotations; `annotate_split` adds the same annotations to a split made by another rule
(`dekkend split --stand-alone`), solving the coalitions it needs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from solver.i18n.messages import E_
from solver.instance import Instance
from solver.result import CostSplitResult, MunicipalityAmount, Result
from solver.split.game.core import core_report
from solver.split.game.play import EXACT_LIMIT, GameSettings, coalition_names, evaluate_game
from solver.split.rounding import largest_remainder

LISTED = 10  # unproven coalitions named in a result


@dataclass(frozen=True, slots=True)
class GameOutcome:
    """The solved part of a coalition game: c(S) of the usable coalitions."""

    ids: list[str]
    costs: dict[int, float]  # mask -> c(S); infeasible and unsolved coalitions left out
    unproven: list[int]  # masks whose c(S) is the best found, not proven optimal
    exact: bool  # every coalition was solved
    samples: int | None = None
    orders: np.ndarray | None = None  # the random orders of a sampled Shapley value
    infeasible: list[int] = field(default_factory=list)  # masks that cannot buy alone
    infeasible_why: str = ""  # sentences naming the smallest of them


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
) -> dict[str, Any]:
    """The `CostSplitResult` fields a game adds to a split of `amounts` (euros).

    Stand-alone costs in both units (the objective c({m}), and scaled to the amounts' scale by
    regional cost / c(N)), c(N) itself, and the core verdict of `amounts` scaled back to c(N)
    units (each blocking coalition's excess in both units too).
    """
    ids, costs = outcome.ids, outcome.costs
    n = len(ids)
    grand = (1 << n) - 1
    alone = [(m, costs[1 << i]) for i, m in enumerate(ids) if (1 << i) in costs]
    fields: dict[str, Any] = {
        "stand_alone": [MunicipalityAmount(municipality=m, amount=round(c, 2)) for m, c in alone]
    }
    c_n = costs.get(grand)
    if c_n is None or c_n <= 0 or regional_cost <= 0:
        return fields
    scale = c_n / regional_cost
    fields["grand_cost"] = c_n
    fields["stand_alone_scaled"] = [
        MunicipalityAmount(municipality=m, amount=round(c / scale, 2)) for m, c in alone
    ]
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
    # the same excesses on the amounts' scale: what a group would pay less on its own, in euros
    for item in report["most_blocking"]:
        item["excess_scaled"] = round(item["excess"] / scale, 2)
    report["least_core_excess_scaled"] = round(float(report["least_core_excess"]) / scale, 2)
    if least is not None:
        cents = largest_remainder(list(least.split), regional_cost)
        report["least_core_split"] = [a.model_dump() for a in _amounts(ids, cents)]
    fields["core"] = report
    return fields


def split_report(
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
    annotations = game_annotations(outcome, cents, regional_cost, anchor=raw)
    errors = None
    if standard_errors is not None:
        scale = regional_cost / math.fsum(raw)
        errors = _amounts(ids, [round(e * scale, 2) for e in standard_errors])
    return CostSplitResult(
        rule=rule, amounts=_amounts(ids, cents), standard_errors=errors, **annotations
    )


def annotate_split(instance: Instance, result: Result, settings: GameSettings) -> Result:
    """Add stand-alone costs and the core verdict to a solved result's (non-game) split."""
    split = result.cost_split
    if split is None or result.regional_cost is None:
        return result
    ids = [m.id for m in instance.municipalities]
    n = len(ids)
    grand = (1 << n) - 1
    exact = n <= EXACT_LIMIT
    masks = list(range(1, grand + 1)) if exact else [1 << i for i in range(n)] + [grand]
    values = evaluate_game(instance, masks, settings)
    costs = {m: float(v.cost) for m, v in values.items() if v.cost is not None}
    unproven = sorted(m for m, v in values.items() if v.status == "feasible")
    outcome = GameOutcome(ids, costs, unproven, exact)
    amounts = [a.amount for a in split.amounts]
    annotations = game_annotations(outcome, amounts, result.regional_cost)
    notes = list(result.notes)
    missing = [m for i, m in enumerate(ids) if (1 << i) not in costs]
    if missing:
        notes.append(
            E_("no stand-alone cost (infeasible alone or not solved): {municipalities}").format(
                municipalities=", ".join(missing)
            )
        )
    return result.model_copy(
        update={"cost_split": split.model_copy(update=annotations), "notes": notes}
    )
