"""SPEC §5 `shapley`: the Shapley value of the coalition cost game (the split is in `rules`).

c(S) is the optimal objective of the instance restricted to S (`restrict`). The Shapley value φ(m)
is m's expected marginal cost c(S ∪ m) − c(S) over a uniformly random order of the municipalities;
Σ φ = c(N). Up to `EXACT_LIMIT` municipalities it is computed exactly from all 2^n − 1
coalitions; beyond, from `samples` random orders drawn with `seed` (numpy PCG64, `play`), with a
standard error per municipality.
"""

from __future__ import annotations

import math

import numpy as np


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
