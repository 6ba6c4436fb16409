"""Variants of a `MatrixModel`: rules dropped or kept, another objective, a column or rows added.

The experiments (minimum contracts, rule costs, explanations, alternatives) all ask questions of
the one formulation of `formulation` rather than keeping models of their own, so that they
can never disagree with `solve()` about what the rules are. They solve the variants with
`solver.backends.highs.backend.run_mip` and `solver.backends.highs.run.lp_duals`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from solver.errors import FieldError, InvalidInput
from solver.model.data import IntArray, ModelData
from solver.model.families import Y, Z
from solver.model.matrix import MatrixModel
from solver.result import Contract

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


def fix_contracts(
    model: MatrixModel,
    data: ModelData,
    contracts: Sequence[Contract],
    *,
    own: MatrixModel | None = None,
    columns: IntArray | None = None,
) -> MatrixModel:
    """The model with exactly these contracts: their options and units on, every other off.

    `own` is the data's own model and `columns` maps its columns into `model` (a horizon's
    first period); by default `model` is the data's own. Raises `InvalidInput` naming a
    contract the instance cannot hold.
    """
    unit_of = {u: i for i, u in enumerate(data.unit_ids)}
    care_of = {c: i for i, c in enumerate(data.care_type_ids)}
    pairs = zip(data.option_unit.tolist(), data.option_care.tolist(), strict=True)
    option_of = {pair: j for j, pair in enumerate(pairs)}
    on = np.zeros(len(data.option_unit), dtype=np.bool_)
    errors = []
    for i, contract in enumerate(contracts):
        u = unit_of.get(contract.unit)
        if u is None:
            errors.append(FieldError(f"contracts[{i}].unit", f"unknown unit {contract.unit!r}"))
            continue
        for care in contract.care_types:
            j = option_of.get((u, care_of.get(care, -1)))
            if j is None:
                why = f"{contract.unit} offers no {care} in this instance"
                errors.append(FieldError(f"contracts[{i}].care_types", why))
            else:
                on[j] = True
    if errors:
        raise InvalidInput(errors, "result")
    layout = own if own is not None else model
    where = columns if columns is not None else np.arange(model.n_cols)
    col_lo, col_hi = model.col_lo.copy(), model.col_hi.copy()
    y = where[layout.blocks[Y]]
    col_lo[y] = col_hi[y] = on.astype(np.float64)
    used = np.unique(data.option_unit)
    unit_on = np.isin(used, data.option_unit[on])
    z = where[layout.blocks[Z]]
    col_lo[z] = col_hi[z] = unit_on.astype(np.float64)
    return dataclasses.replace(model, col_lo=col_lo, col_hi=col_hi)
