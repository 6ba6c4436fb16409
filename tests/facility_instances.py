"""Small seeded facility-location, p-median and set-cover instances, through the OR-Library
converters, for the tests of the large-model path and its swap search."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from solver.io.orlib import (
    CapProblem,
    PmedProblem,
    ScpProblem,
    cap_instance,
    pmed_instance,
    scp_instance,
)


def generated_cap(seed: int, m: int, n: int, tight: float, *, capacitated: bool = True) -> dict:
    """m facilities, n customers; capacities `tight` × total demand / m (at least the largest)."""
    rng = np.random.default_rng(seed)
    demand = rng.integers(1, 9, n)
    capacity = np.full(m, max(int(np.ceil(demand.sum() * tight / m)), int(demand.max())))
    problem = CapProblem(
        name=f"cap-{seed}",
        path=Path("generated"),
        capacity=capacity.astype(float),
        fixed_cost=rng.integers(20, 120, m).astype(float),
        demand=demand.astype(float),
        alloc_cost=(rng.integers(1, 40, (m, n)) * demand[None, :]).astype(float),
        placeholder=False,
    )
    return cap_instance(problem, capacitated=capacitated)


def generated_pmed(seed: int, n: int, p: int) -> dict:
    """n points on a 30 × 30 grid, Manhattan distances, p medians."""
    rng = np.random.default_rng(seed)
    points = rng.integers(0, 30, (n, 2))
    distance = np.abs(points[:, None, :] - points[None, :, :]).sum(axis=2).astype(float)
    return pmed_instance(PmedProblem(f"pmed-{seed}", p, distance))


def generated_scp(seed: int, rows: int, cols: int) -> dict:
    """A set cover with 30 % density, every row coverable."""
    rng = np.random.default_rng(seed)
    cover = rng.random((rows, cols)) < 0.3
    cover[np.arange(rows), rng.integers(0, cols, rows)] = True
    r, c = np.nonzero(cover)
    order = np.lexsort((r, c))
    cost = rng.integers(1, 20, cols).astype(float)
    return scp_instance(ScpProblem(f"scp-{seed}", rows, cost, r[order], c[order]))
