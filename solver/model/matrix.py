"""An integer linear model held as arrays, and the builder that assembles one block at a time.

`MatrixModel` is what every backend reads: min cost·x s.t. row_lo ≤ A x ≤ row_hi, bounds on x,
x integer. `Builder` collects variable blocks and constraint families as COO triplets with local
row numbers, so each SPEC rule in `formulation` adds its rows without index bookkeeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from solver.model.data import FloatArray, IntArray

INF = float("inf")


@dataclass(frozen=True, eq=False)
class MatrixModel:
    """min cost·x  s.t.  row_lo ≤ A x ≤ row_hi,  col_lo ≤ x ≤ col_hi,  x integer."""

    cost: FloatArray
    col_lo: FloatArray
    col_hi: FloatArray
    matrix: sp.csr_matrix
    row_lo: FloatArray
    row_hi: FloatArray
    blocks: dict[str, slice]  # variable blocks by name
    families: list[tuple[str, slice]]  # row families (SPEC rule) in order, for logs and tests
    money_rows: NDArray[np.bool_]  # rows with euro coefficients (CP-SAT scales these)

    @property
    def n_cols(self) -> int:
        """Number of variables."""
        return len(self.cost)

    @property
    def n_rows(self) -> int:
        """Number of constraints."""
        return len(self.row_lo)


def rows_hold(
    model: MatrixModel, activity: FloatArray, rows: IntArray | None = None, *, tol: float
) -> bool:
    """Whether `activity` (A·x over `rows`, default all) lies within those rows' bounds.

    Each bound may be missed by `tol`·max(1, |activity|): solver points are floats.
    """
    lo = model.row_lo if rows is None else model.row_lo[rows]
    hi = model.row_hi if rows is None else model.row_hi[rows]
    slack = tol * np.maximum(1.0, np.abs(activity))
    return bool(np.all(activity >= lo - slack) and np.all(activity <= hi + slack))


@dataclass
class Builder:
    """Accumulates variables and COO triplets; `finish` turns them into a `MatrixModel`."""

    cost: list[FloatArray] = field(default_factory=list)
    col_lo: list[FloatArray] = field(default_factory=list)
    col_hi: list[FloatArray] = field(default_factory=list)
    blocks: dict[str, slice] = field(default_factory=dict)
    n_cols: int = 0
    rows: list[IntArray] = field(default_factory=list)
    cols: list[IntArray] = field(default_factory=list)
    vals: list[FloatArray] = field(default_factory=list)
    row_lo: list[FloatArray] = field(default_factory=list)
    row_hi: list[FloatArray] = field(default_factory=list)
    money: list[NDArray[np.bool_]] = field(default_factory=list)
    families: list[tuple[str, slice]] = field(default_factory=list)
    n_rows: int = 0

    def variables(self, name: str, cost: ArrayLike, lo: ArrayLike, hi: ArrayLike) -> IntArray:
        """Add a block of variables; return their column indices."""
        costs = np.asarray(cost, np.float64)
        n = len(costs)
        self.cost.append(costs)
        self.col_lo.append(np.broadcast_to(np.asarray(lo, np.float64), (n,)).copy())
        self.col_hi.append(np.broadcast_to(np.asarray(hi, np.float64), (n,)).copy())
        self.blocks[name] = slice(self.n_cols, self.n_cols + n)
        self.n_cols += n
        return np.arange(self.blocks[name].start, self.blocks[name].stop, dtype=np.int64)

    def constraints(
        self,
        family: str,
        row: ArrayLike,
        col: ArrayLike,
        val: ArrayLike,
        lo: ArrayLike,
        hi: ArrayLike,
        *,
        money: bool = False,
    ) -> None:
        """Add rows lo ≤ A x ≤ hi given as triplets with local row numbers 0..len(lo)-1."""
        lows = np.atleast_1d(np.asarray(lo, np.float64))
        n = len(lows)
        if n == 0:
            return
        self.rows.append(np.asarray(row, np.int64) + self.n_rows)
        self.cols.append(np.asarray(col, np.int64))
        self.vals.append(np.asarray(val, np.float64))
        self.row_lo.append(lows.copy())
        self.row_hi.append(np.broadcast_to(np.asarray(hi, np.float64), (n,)).copy())
        self.money.append(np.full(n, money))
        self.families.append((family, slice(self.n_rows, self.n_rows + n)))
        self.n_rows += n

    def at_most(self, family: str, cols: ArrayLike, by: ArrayLike, factor: ArrayLike) -> None:
        """One row per i: x[cols_i] ≤ factor_i · x[by_i] (a variable bounded by a switch)."""
        lhs = np.asarray(cols, np.int64)
        n = len(lhs)
        rows = np.arange(n)
        self.constraints(
            family,
            np.concatenate([rows, rows]),
            np.concatenate([lhs, np.asarray(by, np.int64)]),
            np.concatenate([np.ones(n), -np.broadcast_to(np.asarray(factor, np.float64), (n,))]),
            np.full(n, -np.inf),
            np.zeros(n),
        )

    def finish(self) -> MatrixModel:
        """Assemble the sparse matrix (duplicates summed) and the bound vectors."""

        def cat(parts: list[NDArray], dtype: type) -> NDArray:
            return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

        matrix = sp.csr_matrix(
            (cat(self.vals, np.float64), (cat(self.rows, np.int64), cat(self.cols, np.int64))),
            shape=(self.n_rows, self.n_cols),
        )
        matrix.sum_duplicates()
        return MatrixModel(
            cost=cat(self.cost, np.float64),
            col_lo=cat(self.col_lo, np.float64),
            col_hi=cat(self.col_hi, np.float64),
            matrix=matrix,
            row_lo=cat(self.row_lo, np.float64),
            row_hi=cat(self.row_hi, np.float64),
            blocks=dict(self.blocks),
            families=list(self.families),
            money_rows=cat(self.money, np.bool_),
        )
