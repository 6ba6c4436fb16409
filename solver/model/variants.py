"""Variants of a `MatrixModel` for the analyst experiments, and HiGHS runs of them.

Drop rule rows, swap the objective, add a column or rows, solve the LP relaxation with duals.

The experiments (minimum contracts, rule costs, explanations, alternatives) all ask questions of
the one formulation of `solver.formulation` rather than keeping models of their own, so that they
can never disagree with `solve()` about what the rules are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from solver.backends.highs.backend import solve_highs, to_highs_lp
from solver.backends.highs.deadline import stop_at
from solver.backends.outcome import BackendOutcome, proof_holds
from solver.model.formulation import MatrixModel
from solver.options import SolveOptions

INF = float("inf")


def family_rows(model: MatrixModel, match: Callable[[str], bool]) -> np.ndarray:
    """Indices of the rows of every family whose name satisfies `match`."""
    parts = [np.arange(s.start, s.stop) for name, s in model.families if match(name)]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)


def keep_rows(model: MatrixModel, keep: np.ndarray) -> MatrixModel:
    """The model with only the rows where boolean mask `keep` is True; families renumbered."""
    new_index = np.cumsum(keep) - 1
    families = []
    for name, s in model.families:
        inside = np.flatnonzero(keep[s.start : s.stop])
        if len(inside):
            start = int(new_index[s.start + inside[0]])
            families.append((name, slice(start, start + len(inside))))
    return dataclasses.replace(
        model,
        matrix=model.matrix[np.flatnonzero(keep)],
        row_lo=model.row_lo[keep],
        row_hi=model.row_hi[keep],
        families=families,
        money_rows=model.money_rows[keep],
    )


def drop_families(model: MatrixModel, names: Iterable[str]) -> MatrixModel:
    """The model without the rows of the named families (a rule relaxed away)."""
    wanted = set(names)
    keep = np.ones(model.n_rows, dtype=np.bool_)
    keep[family_rows(model, lambda name: name in wanted)] = False
    return keep_rows(model, keep)


def with_objective(model: MatrixModel, cost: np.ndarray) -> MatrixModel:
    """The same rules, another objective."""
    return dataclasses.replace(model, cost=np.asarray(cost, dtype=np.float64))


def add_column(
    model: MatrixModel,
    *,
    rows: np.ndarray,
    coef: np.ndarray,
    cost: float,
    lo: float,
    hi: float,
    name: str,
) -> MatrixModel:
    """Append one variable with coefficient `coef[i]` in row `rows[i]` and the given cost."""
    column = sp.csr_matrix(
        (np.asarray(coef, np.float64), (np.asarray(rows, np.int64), np.zeros(len(rows), np.int64))),
        shape=(model.n_rows, 1),
    )
    blocks = dict(model.blocks)
    blocks[name] = slice(model.n_cols, model.n_cols + 1)
    return dataclasses.replace(
        model,
        cost=np.append(model.cost, cost),
        col_lo=np.append(model.col_lo, lo),
        col_hi=np.append(model.col_hi, hi),
        matrix=sp.hstack([model.matrix, column], format="csr"),
        blocks=blocks,
    )


def add_rows(
    model: MatrixModel, matrix: sp.spmatrix, lo: ArrayLike, hi: ArrayLike, family: str
) -> MatrixModel:
    """Append rows `lo ≤ matrix · x ≤ hi` as a new family."""
    n = matrix.shape[0]
    families = [*model.families, (family, slice(model.n_rows, model.n_rows + n))]
    return dataclasses.replace(
        model,
        matrix=sp.vstack([model.matrix, sp.csr_matrix(matrix)], format="csr"),
        row_lo=np.concatenate([model.row_lo, np.asarray(lo, np.float64)]),
        row_hi=np.concatenate([model.row_hi, np.asarray(hi, np.float64)]),
        families=families,
        money_rows=np.concatenate([model.money_rows, np.zeros(n, np.bool_)]),
    )


def run_mip(model: MatrixModel, options: SolveOptions) -> BackendOutcome:
    """Solve the integer model with HiGHS (the experiments always use it, whatever the backend)."""
    outcome = solve_highs(model, dataclasses.replace(options, backend="highs", log=False), None)
    return proof_holds(outcome, model, options.gap)


@dataclasses.dataclass(frozen=True)
class LpDuals:
    """The LP optimum, its point, and the dual value of every row (∂ objective / ∂ row bound)."""

    objective: float
    values: np.ndarray
    row_dual: np.ndarray


def lp_duals(
    model: MatrixModel,
    fixed: dict[str, np.ndarray] | None = None,
    *,
    deadline: float | None = None,
    threads: int = 1,
) -> LpDuals | None:
    """Solve the LP relaxation, with the named variable blocks fixed at the given values.

    Returns None when that LP is infeasible (it cannot be when the fixed values come from a
    feasible plan, up to rounding), or when it is not solved by `deadline` (`time.monotonic()`).
    """
    col_lo, col_hi = model.col_lo.copy(), model.col_hi.copy()
    for name, values in (fixed or {}).items():
        block = model.blocks[name]
        col_lo[block] = values
        col_hi[block] = values
    relaxed = dataclasses.replace(model, col_lo=col_lo, col_hi=col_hi)
    lp = to_highs_lp(relaxed, integer=np.zeros(model.n_cols, dtype=np.bool_))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", int(threads))
    if deadline is not None:
        stop_at(h, deadline)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = h.getSolution()
    return LpDuals(
        objective=float(h.getInfo().objective_function_value),
        values=np.asarray(solution.col_value, dtype=np.float64),
        row_dual=np.asarray(solution.row_dual, dtype=np.float64),
    )
