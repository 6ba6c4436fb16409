"""SPEC §5's game rules: a plan's regional cost split by the coalition game, from one evaluation.

`play_game` solves (or reads from the cache) every coalition a game split needs, once;
`split_by_game` turns those values into a split by `shapley`, `nucleolus` or `least_core` (the
least-core split closest to the Shapley value, for comparisons), each with the stand-alone costs
and core verdict of `report`. `game_split` is both at once, for the instance's own rule.

Each municipality pays its share x(m) of c(N) scaled to the regional cost, x(m) × regional cost /
c(N), to the cent; the split is refused when c(N) ≤ 0. Shapley is refused when a coalition cannot
buy alone (its marginal costs through that coalition do not exist); the nucleolus leaves such a
coalition out (it can never complain) and is exact only (up to `EXACT_LIMIT` municipalities).
"""

from __future__ import annotations

import math

import numpy as np

from solver.instance import Instance
from solver.result import CostSplitResult
from solver.split.game.core import least_core
from solver.split.game.nucleolus import NotUnique, nucleolus
from solver.split.game.play import (
    EXACT_LIMIT,
    GameRefused,
    GameSettings,
    evaluate_game,
    game_masks,
    usable_costs,
)
from solver.split.game.report import GameOutcome, split_report
from solver.split.game.shapley import shapley_exact, shapley_sampled

LEAST_CORE = "least_core"  # not an instance rule: a column of `dekkend split --compare`


def game_split(instance: Instance, regional_cost: float, settings: GameSettings) -> CostSplitResult:
    """The instance's own game rule (shapley, nucleolus) applied to a plan's regional cost."""
    rule = instance.policy.cost_split.rule
    return split_by_game(play_game(instance, settings, exact=rule == "nucleolus"), rule,
                         regional_cost)  # fmt: skip


def play_game(instance: Instance, settings: GameSettings, *, exact: bool = False) -> GameOutcome:
    """The coalition values the game rules need, each solved once (or read from the cache).

    `exact`: every coalition is needed (the nucleolus), refused beyond `EXACT_LIMIT`.
    """
    ids = [m.id for m in instance.municipalities]
    n = len(ids)
    if exact and n > EXACT_LIMIT:
        raise GameRefused(
            f"the nucleolus is computed exactly, from all coalitions, up to {EXACT_LIMIT} "
            f"municipalities; this region has {n} (the shapley rule samples beyond that)"
        )
    masks, orders = game_masks(instance)
    values = evaluate_game(instance, masks, settings)
    usable = usable_costs(instance, masks, values, settings)
    grand = (1 << n) - 1
    if grand in usable.infeasible:
        raise GameRefused("the region as a whole cannot buy: there is no game to split")
    if usable.costs[grand] <= 0:
        raise GameRefused(
            f"the game split is refused: the region's optimal objective c(N) is "
            f"€{usable.costs[grand]:,.2f} ≤ 0, so shares of it cannot be scaled to the regional "
            "cost"
        )
    return GameOutcome(
        ids,
        usable.costs,
        usable.unproven,
        exact=orders is None,
        samples=None if orders is None else len(orders),
        orders=orders,
        infeasible=usable.infeasible,
        infeasible_why=usable.infeasible_why,
    )


def split_by_game(outcome: GameOutcome, rule: str, regional_cost: float) -> CostSplitResult:
    """The split of `regional_cost` by a game rule, from the game's values."""
    n = len(outcome.ids)
    costs = outcome.costs
    grand = (1 << n) - 1
    if rule == "nucleolus":
        if not outcome.exact:
            raise GameRefused(f"the nucleolus needs every coalition (up to {EXACT_LIMIT})")
        try:
            x = nucleolus(costs, n)
        except NotUnique as exc:
            raise GameRefused(
                f"the nucleolus is not one split here: {exc} (too many coalitions cannot buy on "
                f"their own). {outcome.infeasible_why}"
            ) from None
        return split_report(regional_cost, outcome, rule=rule, raw=x)
    phi, se = _shapley(outcome, rule)
    if rule == "shapley":
        return split_report(regional_cost, outcome, rule=rule, raw=phi, standard_errors=se)
    if rule == LEAST_CORE:
        split = least_core(costs, n, costs[grand], anchor=phi).split
        return split_report(regional_cost, outcome, rule=rule, raw=split)
    raise GameRefused(f"{rule!r} is not a game rule")


def _shapley(outcome: GameOutcome, rule: str) -> tuple[np.ndarray, np.ndarray | None]:
    """φ (and its standard errors when sampled); refused when a coalition cannot buy alone."""
    if outcome.infeasible:
        what = "shapley split" if rule == "shapley" else f"{rule} split (anchored on Shapley)"
        raise GameRefused(
            f"the {what} is not defined: some coalitions are infeasible on their own, so their "
            f"cost (and every marginal cost through them) does not exist. {outcome.infeasible_why}"
        )
    n = len(outcome.ids)
    grand = (1 << n) - 1
    if outcome.orders is None:
        table = np.zeros(grand + 1)
        for mask, cost in outcome.costs.items():
            table[mask] = cost
        return shapley_exact(table, n), None
    phi, se = shapley_sampled(outcome.orders, outcome.costs)
    # efficiency holds per order, so Σ φ = c(N) already; remove float drift
    return phi * (outcome.costs[grand] / math.fsum(phi)), se
