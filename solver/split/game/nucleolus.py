"""SPEC §5 `nucleolus`: the split that makes the most unhappy group of municipalities least unhappy.

In the cost game c(S), a split x (Σ x = c(N)) leaves coalition S an excess e(S) = x(S) − c(S): how
much more S pays together than it would alone. The nucleolus is the x whose excesses, sorted from
largest to smallest, are lexicographically smallest. It is unique, it lies in the least core, and
in the core whenever the core is not empty.

Computed by the standard sequence of linear programs (Maschler, Peleg and Shapley), over the
coalition values already proven (and cached): stage k minimises the largest excess ε_k of the
coalitions not yet settled; every coalition whose constraint has a positive dual value is tight in
*every* optimum (complementary slackness), so its excess is settled at ε_k; a coalition whose
membership vector lies in the span of the settled ones (and N) has a settled excess too. Each stage
settles at least one coalition outside that span, so after at most n stages the settled
equalities determine x. A coalition that cannot buy alone (infeasible) has no constraint: it can
never complain. The LPs are HiGHS through scipy (`linprog`); where a dual is too close to zero to
tell, a coalition at the stage's largest excess is settled only when an LP proves its excess
cannot go below ε_k.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.optimize import linprog

_DUAL = 1e-9  # a dual value above this (relative to the largest) is positive


class NotUnique(ValueError):
    """Too few coalitions can buy alone for the nucleolus to be one split."""


_SPAN = 1e-9  # a residual below this: the vector lies in the span


def nucleolus(costs: Mapping[int, float], n: int) -> np.ndarray:
    """The nucleolus of the cost game `costs` (mask -> c(S), the grand coalition included).

    Coalitions absent from `costs` (infeasible alone) take no part. Raises `NotUnique` when too
    few coalitions remain to decide one split (every coalition settled before x is), and
    `ValueError` when the grand coalition has no cost.
    """
    grand = (1 << n) - 1
    if grand not in costs:
        raise ValueError("the grand coalition has no cost: the game has no split")
    scale = max(1.0, max(abs(c) for c in costs.values()))
    masks = sorted(m for m in costs if m != grand)
    rows = np.array([_bits(m, n) for m in masks]).reshape(len(masks), n)
    values = np.array([costs[m] for m in masks], dtype=np.float64)
    settled_rows: list[np.ndarray] = [np.ones(n)]
    settled_values: list[float] = [costs[grand]]
    free = _outside_span(rows, np.array(settled_rows))
    while np.linalg.matrix_rank(np.array(settled_rows)) < n:
        if not free.any():
            break  # every coalition settled: the equalities hold x already
        epsilon, x, duals = _stage(rows[free], values[free], settled_rows, settled_values)
        active = np.flatnonzero(free)
        tight = active[duals > _DUAL * max(1.0, float(duals.max(initial=0.0)))]
        if len(tight) == 0:
            proven = _proven_tight(active, rows, values, x, epsilon, settled_rows,
                                   settled_values, scale)  # fmt: skip
            tight = np.array(proven, dtype=np.int64)
        for i in tight:
            settled_rows.append(rows[i])
            settled_values.append(values[i] + epsilon)
        free &= _outside_span(rows, np.array(settled_rows))
    return _solve_equalities(np.array(settled_rows), np.array(settled_values), n)


def _bits(mask: int, n: int) -> np.ndarray:
    return ((mask >> np.arange(n)) & 1).astype(np.float64)


def _outside_span(rows: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """(rows,) bool: the row is not a linear combination of the `basis` rows (maybe dependent)."""
    _, singular, vt = np.linalg.svd(basis)
    q = vt[: int((singular > _SPAN * max(1.0, singular.max(initial=0.0))).sum())].T
    residual = rows - (rows @ q) @ q.T
    return np.linalg.norm(residual, axis=1) > _SPAN


def _stage(
    rows: np.ndarray,
    values: np.ndarray,
    settled_rows: list[np.ndarray],
    settled_values: list[float],
) -> tuple[float, np.ndarray, np.ndarray]:
    """Min ε s.t. x(S) − ε ≤ c(S) (free S), x(S) = c(S) + e_S (settled); ε, x and the duals."""
    n = rows.shape[1]
    objective = np.zeros(n + 1)
    objective[-1] = 1.0
    a_ub = np.hstack([rows, -np.ones((len(rows), 1))])
    a_eq = np.hstack([np.array(settled_rows), np.zeros((len(settled_rows), 1))])
    found = linprog(objective, A_ub=a_ub, b_ub=values, A_eq=a_eq, b_eq=settled_values,
                    bounds=[(None, None)] * (n + 1), method="highs")  # fmt: skip
    if found.status != 0:
        raise RuntimeError(f"nucleolus LP failed: {found.message}")
    return float(found.x[-1]), found.x[:n], -np.asarray(found.ineqlin.marginals)


def _proven_tight(
    active: np.ndarray,
    rows: np.ndarray,
    values: np.ndarray,
    x: np.ndarray,
    epsilon: float,
    settled_rows: list[np.ndarray],
    settled_values: list[float],
    scale: float,
) -> list[int]:
    """The coalitions at excess ε whose excess no optimum of the stage can lower (by LP)."""
    n = rows.shape[1]
    at_max = [int(i) for i in active if rows[i] @ x - values[i] >= epsilon - 1e-9 * scale]
    others = rows[active]
    tight = []
    for i in at_max:
        # min x(S) subject to the stage's constraints with ε fixed at its optimum
        found = linprog(rows[i], A_ub=others, b_ub=values[active] + epsilon + 1e-9 * scale,
                        A_eq=np.array(settled_rows), b_eq=settled_values,
                        bounds=[(None, None)] * n, method="highs")  # fmt: skip
        if found.status == 0 and found.fun - values[i] >= epsilon - 1e-7 * scale:
            tight.append(i)
    if not tight:
        raise RuntimeError("nucleolus: no coalition could be settled (numerical trouble)")
    return tight


def _solve_equalities(rows: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """The x the settled equalities determine (they have rank n)."""
    x, _, rank, _ = np.linalg.lstsq(rows, values, rcond=None)
    if rank < n:
        raise NotUnique(f"the coalitions that can buy alone settle only {rank} of {n} shares")
    return np.asarray(x, dtype=np.float64)
