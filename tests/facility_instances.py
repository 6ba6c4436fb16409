"""Small seeded facility-location, p-median and set-cover instances, through the OR-Library
converters, for the tests of the large-model path and its swap search."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import strategies as st

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


def generated_ufl(seed: int, m: int, n: int) -> dict:
    """m facilities, n customers, no capacity that binds (uncapacitated facility location)."""
    return generated_cap(seed, m, n, 1.0, capacitated=False)


def uncapacitated_instances(max_vertices: int = 14, max_facilities: int = 9):
    """A hypothesis strategy: small p-median and uncapacitated facility-location instances."""
    seeds = st.integers(0, 10_000)
    return st.one_of(
        st.builds(generated_pmed, seeds, st.integers(4, max_vertices), st.integers(1, 4)),
        st.builds(generated_ufl, seeds, st.integers(3, max_facilities), st.integers(3, 15)),
    )


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
