"""SPEC §5 core check: blocking coalitions, and the least core when the core is empty.

The game is a cost game: c(S) for the coalitions that were solved (all of them up to 12
municipalities). A split x (in the game's units, Σ x = c(N)) is in the core when no coalition S
pays more together than it would alone: excess e(S) = Σ_{m∈S} x(m) − c(S) ≤ 0. A coalition that
is infeasible alone cannot buy alone, so it cannot block (c(S) = +∞, no constraint).

The least core is min ε such that some x with Σ x = c(N) has e(S) ≤ ε for every coalition S ≠ N:
an LP (scipy `linprog`, HiGHS). The core is empty exactly when ε > 0. Of the least-core splits the
one reported is the closest to the Shapley value in Σ|x − φ| (a second LP), so it is unique in
intent and deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

MOST_BLOCKING = 3  # coalitions named in the report


@dataclass(frozen=True, slots=True)
class LeastCore:
    """The least-core excess ε and a least-core split (game units, Σ = c(N))."""

    excess: float
    split: np.ndarray


def bits(mask: int, n: int) -> np.ndarray:
    """(n,) 0/1 membership of `mask`."""
    return ((mask >> np.arange(n)) & 1).astype(np.float64)


def excesses(costs: Mapping[int, float], split: np.ndarray, grand: int) -> dict[int, float]:
    """e(S) = Σ_{m∈S} x(m) − c(S) for every solved coalition S ≠ ∅, N."""
    n = len(split)
    return {
        mask: float(bits(mask, n) @ split) - cost
        for mask, cost in costs.items()
        if mask not in (0, grand)
    }


def most_blocking(
    excess: Mapping[int, float], ids: Sequence[str], count: int = MOST_BLOCKING
) -> list[dict[str, object]]:
    """The `count` coalitions with the largest excess (ties: smaller mask first)."""
    top = sorted(excess.items(), key=lambda kv: (-kv[1], kv[0]))[:count]
    return [
        {"coalition": [m for i, m in enumerate(ids) if mask >> i & 1], "excess": round(e, 2)}
        for mask, e in top
    ]


def least_core(
    costs: Mapping[int, float], n: int, grand_cost: float, anchor: np.ndarray | None = None
) -> LeastCore:
    """Least-core excess and the least-core split closest to `anchor` (e.g. the Shapley value)."""
    grand = (1 << n) - 1
    masks = sorted(m for m in costs if m not in (0, grand))
    if not masks:
        split = anchor if anchor is not None else np.full(n, grand_cost / n)
        return LeastCore(0.0, np.asarray(split, dtype=np.float64))
    a = np.array([bits(m, n) for m in masks])
    c = np.array([costs[m] for m in masks])
    # variables (x_1..x_n, ε): min ε  s.t.  Σ_S x − ε ≤ c(S),  Σ x = c(N)
    a_ub = np.hstack([a, -np.ones((len(masks), 1))])
    a_eq = np.hstack([np.ones((1, n)), np.zeros((1, 1))])
    objective = np.zeros(n + 1)
    objective[-1] = 1.0
    free = [(None, None)] * (n + 1)
    first = linprog(objective, A_ub=a_ub, b_ub=c, A_eq=a_eq, b_eq=[grand_cost], bounds=free,
                    method="highs")  # fmt: skip
    if first.status != 0:
        raise RuntimeError(f"least-core LP failed: {first.message}")
    eps = float(first.x[-1])
    if anchor is None:
        return LeastCore(eps, np.asarray(first.x[:n]))
    # second stage: fix ε (with slack for LP tolerance) and minimise Σ t, t ≥ |x − φ|
    slack = 1e-7 * max(1.0, abs(grand_cost))
    eye = np.eye(n)
    a2 = np.vstack([
        np.hstack([a, np.zeros((len(masks), n))]),
        np.hstack([eye, -eye]),
        np.hstack([-eye, -eye]),
    ])  # fmt: skip
    b2 = np.concatenate([c + eps + slack, anchor, -anchor])
    a2_eq = np.hstack([np.ones((1, n)), np.zeros((1, n))])
    obj2 = np.concatenate([np.zeros(n), np.ones(n)])
    second = linprog(obj2, A_ub=a2, b_ub=b2, A_eq=a2_eq, b_eq=[grand_cost],
                     bounds=[(None, None)] * n + [(0, None)] * n, method="highs")  # fmt: skip
    split = second.x[:n] if second.status == 0 else first.x[:n]
    return LeastCore(eps, np.asarray(split, dtype=np.float64))


def core_report(
    costs: Mapping[int, float],
    split: np.ndarray,
    ids: Sequence[str],
    *,
    tolerance: float,
    anchor: np.ndarray | None = None,
) -> tuple[dict[str, Any], LeastCore | None]:
    """The SPEC §5 core verdict of `split` (game units) over the solved coalitions.

    `tolerance` absorbs rounding to cents. Returns the report (without the least-core split,
    which the caller scales to euros) and the least core when the core is empty.
    """
    n = len(ids)
    grand = (1 << n) - 1
    excess = excesses(costs, split, grand)
    worst = max(excess.values(), default=0.0)
    lc = least_core(costs, n, costs[grand], anchor)
    core_empty = lc.excess > tolerance
    report: dict[str, Any] = {
        "in_core": bool(worst <= tolerance),
        "core_empty": core_empty,
        "coalitions_checked": len(excess),
        "most_blocking": most_blocking(excess, ids),
        "least_core_excess": round(lc.excess, 2),
    }
    return report, (lc if core_empty else None)
