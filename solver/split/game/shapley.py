"""SPEC §5 `shapley`: the Shapley value of the coalition cost game, and the split it gives.

c(S) is the optimal objective of the instance restricted to S (`coalitions`).
The Shapley value φ(m) is m's expected marginal cost c(S ∪ m) − c(S) over a uniformly random order
of the municipalities; Σ φ = c(N). Up to `EXACT_LIMIT` municipalities it is computed exactly from
all 2^n − 1 coalitions; beyond, from `samples` random orders drawn with `seed` (numpy PCG64), with
a standard error per municipality. Each municipality pays φ(m) × regional cost / c(N), to the
cent. When a coalition is infeasible alone or unsolved the split is refused (`play`).
"""

from __future__ import annotations

import math

import numpy as np

from solver.instance import Instance
from solver.result import CostSplitResult
from solver.split.game.play import (
    GameRefused,
    GameSettings,
    evaluate_game,
    game_masks,
    usable_costs,
)
from solver.split.game.report import GameOutcome, split_report


def shapley_exact(cost: np.ndarray, n: int) -> np.ndarray:
    """φ from all coalition costs `cost[mask]` (cost[0] = 0), exactly."""
    masks = np.arange(1 << n)
    size = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        size += (masks >> i) & 1
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) for s in range(n)]) / float(
        math.factorial(n)
    )
    phi = np.zeros(n)
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        phi[i] = math.fsum(weight[size[without]] * (cost[without | (1 << i)] - cost[without]))
    return phi


def shapley_sampled(orders: np.ndarray, cost: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """φ estimated from random orders, and the standard error of each estimate."""
    samples, n = orders.shape
    marginal = np.zeros((samples, n))
    for s, order in enumerate(orders):
        mask, before = 0, 0.0
        for i in order:
            mask |= 1 << int(i)
            marginal[s, i] = cost[mask] - before
            before = cost[mask]
    phi = marginal.mean(axis=0)
    se = marginal.std(axis=0, ddof=1) / math.sqrt(samples) if samples > 1 else np.zeros(n)
    return phi, se


def shapley_split(
    instance: Instance, regional_cost: float, settings: GameSettings
) -> CostSplitResult:
    """The `shapley` rule of SPEC §5 for a solved instance whose regional cost is given."""
    ids = [m.id for m in instance.municipalities]
    n = len(ids)
    grand = (1 << n) - 1
    masks, orders = game_masks(instance)
    exact = orders is None
    values = evaluate_game(instance, masks, settings)
    costs, unproven = usable_costs(instance, masks, values, settings)
    if costs[grand] <= 0:
        raise GameRefused(
            f"the shapley split is refused: the region's optimal objective c(N) is "
            f"€{costs[grand]:,.2f} ≤ 0, so shares of it cannot be scaled to the regional cost"
        )
    if exact:
        table = np.zeros(grand + 1)
        for mask, cost in costs.items():
            table[mask] = cost
        phi, se = shapley_exact(table, n), None
    else:
        assert orders is not None
        phi, se = shapley_sampled(orders, costs)
        # efficiency holds per order, so Σ φ = c(N) already; remove float drift
        phi = phi * (costs[grand] / math.fsum(phi))
    outcome = GameOutcome(ids, costs, unproven, exact, len(orders) if orders is not None else None)
    return split_report(regional_cost, outcome, rule="shapley", raw=phi, standard_errors=se)
