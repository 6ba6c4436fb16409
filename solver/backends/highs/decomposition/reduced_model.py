"""Smaller models from a `MatrixModel`: columns fixed at 0 removed, an implied row added.

`restrict` drops every column whose bounds are [0, 0] (and the rows left empty), keeping block and
family names so the HiGHS backend treats the result like any model; `Reduced.expand` maps a point
back to the original columns (the removed ones are 0). A restriction of a model has only plans of
the model, so every plan it gives is a plan of the original.

`with_aggregate_capacity` adds, per group of demand rows that share providers, the row
Σ cap_k·y_k ≥ Σ need (it follows from the demand rows and the capacity rows: the clients of those
rows all go to those members, none beyond its capacity). It changes no plan, but gives HiGHS a
knapsack row whose cover cuts close most of the gap of capacitated facility location.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from solver.backends.highs.decomposition.skeleton import FacilityStructure
from solver.model.data import FloatArray, IntArray
from solver.model.matrix import MatrixModel

AGGREGATE = "aggregate_capacity"


@dataclass(frozen=True, eq=False)
class Reduced:
    """A restricted model, the original column of each of its columns; None when infeasible."""

    model: MatrixModel | None
    cols: IntArray
    n_original: int

    def expand(self, values: np.ndarray) -> np.ndarray:
        """A point of the restricted model as a point of the original (removed columns 0)."""
        full = np.zeros(self.n_original)
        full[self.cols] = values
        return full

    def shrink(self, values: np.ndarray) -> np.ndarray:
        """A point of the original model restricted to the kept columns."""
        return values[self.cols]


def restrict(model: MatrixModel, col_lo: FloatArray, col_hi: FloatArray) -> Reduced:
    """`model` with these bounds, without the columns fixed at 0 (model None: no plan left)."""
    keep = ~((col_lo == 0) & (col_hi == 0))
    cols = np.flatnonzero(keep)
    matrix = model.matrix.tocsc()[:, cols].tocsr()
    low, high = _activity(matrix, col_lo[cols], col_hi[cols])
    if np.any((low > model.row_hi) | (high < model.row_lo)):
        return Reduced(None, cols, model.n_cols)  # a row the kept columns cannot satisfy
    # rows every point within the bounds satisfies (e.g. −b·y ≤ 0 once its flow is gone)
    filled = ~((low >= model.row_lo) & (high <= model.row_hi))
    rows = np.flatnonzero(filled)
    reduced = MatrixModel(
        cost=model.cost[cols],
        col_lo=col_lo[cols],
        col_hi=col_hi[cols],
        matrix=matrix[rows],
        row_lo=model.row_lo[rows],
        row_hi=model.row_hi[rows],
        blocks=_renumber(model.blocks.items(), keep),
        families=list(_renumber(model.families, filled).items()),
        money_rows=model.money_rows[rows],
    )
    return Reduced(reduced, cols, model.n_cols)


def _activity(
    matrix: sp.csr_matrix, lo: FloatArray, hi: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The least and the greatest value of every row over the column bounds."""
    positive = matrix.multiply(matrix > 0).tocsr()
    negative = matrix.multiply(matrix < 0).tocsr()
    with np.errstate(invalid="ignore"):  # 0 · ∞ where a bound is infinite: no entry there
        low = positive @ np.where(np.isinf(lo), 0.0, lo) + negative @ np.where(np.isinf(hi), 0, hi)
        high = positive @ np.where(np.isinf(hi), 0.0, hi) + negative @ np.where(np.isinf(lo), 0, lo)
    # a row with an entry on an unbounded side has an unbounded activity there
    low = np.where(
        _touches(positive, np.isinf(lo)) | _touches(negative, np.isinf(hi)), -np.inf, low
    )
    high = np.where(
        _touches(positive, np.isinf(hi)) | _touches(negative, np.isinf(lo)), np.inf, high
    )
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def _touches(matrix: sp.csr_matrix, columns: np.ndarray) -> np.ndarray:
    """Rows with an entry in one of the marked columns."""
    if not columns.any():
        return np.zeros(matrix.shape[0], dtype=np.bool_)
    return np.asarray((matrix.astype(np.bool_) @ columns.astype(np.float64)) > 0).ravel()


def _renumber(parts: object, keep: np.ndarray) -> dict[str, slice]:
    """Contiguous named ranges after removing the entries where `keep` is False."""
    new_index = np.concatenate([[0], np.cumsum(keep)])
    out: dict[str, slice] = {}
    for name, part in parts:  # type: ignore[attr-defined]
        start, stop = int(new_index[part.start]), int(new_index[part.stop])
        if stop > start:
            out[name] = slice(start, stop)
    return out


def with_aggregate_capacity(model: MatrixModel, s: FacilityStructure) -> MatrixModel:
    """`model` (the original columns) with the implied aggregate capacity rows appended."""
    n_rows, n_members = s.n_rows, len(s.member_cap)
    links = sp.coo_matrix(
        (np.ones(len(s.x)), (s.x_row, n_rows + s.x_member)),
        shape=(n_rows + n_members, n_rows + n_members),
    )
    n_groups, label = connected_components(links, directed=False)
    row_group, member_group = label[:n_rows], label[n_rows:]
    need = np.bincount(row_group, s.need, minlength=n_groups)
    used = np.unique(row_group)
    index = np.full(n_groups, -1, dtype=np.int64)
    index[used] = np.arange(len(used))
    on = index[member_group] >= 0
    extra = sp.csr_matrix(
        (s.member_cap[on], (index[member_group[on]], s.y[s.member_y[on]])),
        shape=(len(used), model.n_cols),
    )
    extra.sum_duplicates()
    return dataclasses.replace(
        model,
        matrix=sp.vstack([model.matrix, extra], format="csr"),
        row_lo=np.concatenate([model.row_lo, need[used]]),
        row_hi=np.concatenate([model.row_hi, np.full(len(used), np.inf)]),
        families=[*model.families, (AGGREGATE, slice(model.n_rows, model.n_rows + len(used)))],
        money_rows=np.concatenate([model.money_rows, np.zeros(len(used), np.bool_)]),
    )
