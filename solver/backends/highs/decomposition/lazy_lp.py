"""The LP relaxation of a large model with its per-flow rows added lazily, warm-started.

The rows `x ≤ b·switch` (families `assignment_bound` and `unit_in_municipality[...]`, one per
flow) are most of a large model's rows and most of its root LP time, yet few of them bind. The LP
is solved without them in ONE `highspy.Highs` object; the violated ones are then added with
`addRows` and the LP re-solved from the previous basis (dual simplex), until none is violated:
that is the full LP's optimum with a fraction of the rows. Every round's optimum is a bound of the
model (the LP of a relaxation), so stopping early at the deadline still leaves a valid bound.

The LP path turns the last round's duals into a bound valid for any duals
(`solver.backends.highs.reduced_costs.safe_bound`), never trusting HiGHS's tolerances.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from solver.backends.highs.run import new_highs, to_highs_lp
from solver.model.data import BoolArray, FloatArray
from solver.model.families import ASSIGNMENT_BOUND, UNIT_IN_MUNICIPALITY
from solver.model.matrix import MatrixModel

log = logging.getLogger(__name__)

LAZY_FAMILIES = (ASSIGNMENT_BOUND, UNIT_IN_MUNICIPALITY + "[")
_VIOLATED = 1e-7  # a row this much above its bound (relative to 1) is added


@dataclass(frozen=True, eq=False)
class LazyLp:
    """The last LP optimum: its objective, point, row duals (0 for rows not in the LP)."""

    objective: float
    values: FloatArray
    row_dual: FloatArray
    in_lp: BoolArray  # rows that were in the LP
    converged: bool  # no lazy row violated: this is the full model's LP optimum
    rounds: int


def lazy_rows(model: MatrixModel) -> BoolArray:
    """The rows solved lazily: every row of the per-flow switch families."""
    lazy = np.zeros(model.n_rows, dtype=np.bool_)
    for name, rows in model.families:
        if name.startswith(LAZY_FAMILIES):
            lazy[rows] = True
    return lazy


def solve_lazy_lp(
    model: MatrixModel, deadline: float, max_rounds: int | None = None
) -> LazyLp | None:
    """The LP relaxation by rounds of lazy rows; None if not even the first LP finished.

    It stops when no lazy row is violated, after `max_rounds` LPs, or at `deadline`, whichever
    comes first. The rounds' LPs do not depend on time, so a run that stops on the round count
    gives the same LP every time; one that stops at the deadline gives whatever round it reached.
    """
    lazy = lazy_rows(model)
    base = np.flatnonzero(~lazy)
    h, _ = new_highs(threads=1, deadline=deadline)
    h.passModel(to_highs_lp(_rows(model, base), np.zeros(model.n_cols, dtype=np.bool_)))
    order = list(base)  # model row of each LP row
    pending = lazy.copy()
    matrix = model.matrix.tocsr()
    found: LazyLp | None = None
    rounds = 0
    while True:
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break  # interrupted (or worse): keep the last optimum
        rounds += 1
        solution = h.getSolution()
        values = np.asarray(solution.col_value, dtype=np.float64)
        dual = np.zeros(model.n_rows)
        dual[order] = solution.row_dual
        in_lp = ~pending
        candidates = np.flatnonzero(pending)
        activity = matrix[candidates] @ values
        violated = candidates[activity > model.row_hi[candidates] + _VIOLATED]
        found = LazyLp(
            objective=float(h.getInfo().objective_function_value),
            values=values,
            row_dual=dual,
            in_lp=in_lp,
            converged=len(violated) == 0,
            rounds=rounds,
        )
        if found.converged or time.monotonic() >= deadline or rounds == max_rounds:
            break
        _add(h, matrix, model, violated)
        order.extend(violated)
        pending[violated] = False
    if found is not None:
        log.info(
            "lazy LP: %.6g after %d rounds, %d of %d lazy rows, converged %s",
            found.objective, found.rounds, int((found.in_lp & lazy).sum()), int(lazy.sum()),
            found.converged,
        )  # fmt: skip
    return found


def _rows(model: MatrixModel, rows: np.ndarray) -> MatrixModel:
    """The model with only `rows` (families are not needed by the LP)."""
    return dataclasses.replace(
        model,
        matrix=model.matrix[rows],
        row_lo=model.row_lo[rows],
        row_hi=model.row_hi[rows],
        families=[],
        money_rows=model.money_rows[rows],
    )


def _add(h: highspy.Highs, matrix: sp.csr_matrix, model: MatrixModel, rows: np.ndarray) -> None:
    """Append model rows to the LP (its columns are the model's columns)."""
    part = matrix[rows]
    lo = np.where(np.isfinite(model.row_lo[rows]), model.row_lo[rows], -highspy.kHighsInf)
    hi = np.where(np.isfinite(model.row_hi[rows]), model.row_hi[rows], highspy.kHighsInf)
    h.addRows(
        len(rows), lo, hi, part.nnz,
        part.indptr[:-1].astype(np.int32), part.indices.astype(np.int32), part.data,
    )  # fmt: skip
