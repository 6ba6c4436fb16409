"""A bound from any LP duals, and reduced-cost fixing against a plan's cost.

`safe_bound` recomputes a bound from row duals in float64 (a Lagrangian bound, valid for any
duals, so it never trusts HiGHS's tolerances) and gives the reduced costs c − Aᵀπ it uses;
`fix_by_reduced_cost` narrows column bounds so that every plan of cost ≤ U is kept. The guided
start and the LP path use them; the Lagrangian path has its own fixing (`decomposition.fixing`).
"""

from __future__ import annotations

import numpy as np

from solver.model.data import FloatArray
from solver.model.matrix import MatrixModel

# Fix only when L + Δ > U + MARGIN·max(1, |U|): far above the rounding of L (a sum of float64
# terms), so the test fixes a little less, never more.
MARGIN = 1e-7


def safe_bound(model: MatrixModel, row_dual: FloatArray) -> tuple[float, FloatArray]:
    """A bound valid for any duals, and the reduced costs c − Aᵀπ it uses.

    Each dual is first given the sign its row allows (a ≥ row a non-negative one, a ≤ row a
    non-positive one); then min c·x ≥ Σ_i min(π_i·lo_i, π_i·hi_i) + Σ_j min(d_j·lo_j, d_j·hi_j).
    """
    pi = np.where(np.isfinite(model.row_lo), row_dual, np.minimum(row_dual, 0.0))
    pi = np.where(np.isfinite(model.row_hi), pi, np.maximum(pi, 0.0))
    with np.errstate(invalid="ignore"):
        row_part = np.where(pi > 0, pi * model.row_lo, np.where(pi < 0, pi * model.row_hi, 0.0))
        reduced = model.cost - model.matrix.T @ pi
        col_part = np.where(
            reduced > 0, reduced * model.col_lo, np.where(reduced < 0, reduced * model.col_hi, 0.0)
        )
    bound = float(row_part.sum() + col_part.sum())
    return (bound if np.isfinite(bound) else -np.inf), reduced


def fix_by_reduced_cost(
    model: MatrixModel, bound: float, reduced: FloatArray, upper: float
) -> tuple[FloatArray, FloatArray]:
    """Column bounds keeping every plan of cost ≤ `upper`, from LP duals (the LP path, guided).

    `bound` = L(π) and `reduced` = c − Aᵀπ from `lazy_lp.safe_bound`: every plan costs at least
    L + d_j·(x_j − lo_j) for a column with d_j > 0 (all other terms are ≥ 0), so
    x_j ≤ lo_j + ⌊(U + margin − L) / d_j⌋ in every plan of cost ≤ U, and symmetrically for
    d_j < 0. The floor uses that x_j is integer: apply it to integer columns only.
    """
    room = upper - bound + MARGIN * max(1.0, abs(upper))
    lo, hi = model.col_lo.copy(), model.col_hi.copy()
    if not np.isfinite(room) or room < 0:
        return lo, hi
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.floor(room / np.abs(reduced))
    up = (reduced > 0) & np.isfinite(steps) & np.isfinite(lo)
    hi[up] = np.minimum(hi[up], lo[up] + steps[up])
    down = (reduced < 0) & np.isfinite(steps) & np.isfinite(hi)
    lo[down] = np.maximum(lo[down], hi[down] - steps[down])
    return lo, hi
