"""One MILP over all periods of a horizon (SPEC §8), built from each period's own model.

Each period's model is the single-year formulation of its own instance (`periods`), its costs
weighted. They are stacked side by side and linked:

- contract options (y) and unit contracts (z) are equal within a term, and at a later term's start
  at most the previous period's (`y_t ≤ y_{t−1}`): contracts may end, never start;
- at a later term's start, per contract option j, `ended_j ≥ Σ x_{t−1}(j) − C_j · y_{t,j}` with C_j
  the option's capacity in period t−1: the clients an ended contract held move, at
  `transfer_cost` each (weighted); `policy.max_moved` bounds their sum per period.

Columns are laid out so that all periods' client flows, and all moved-client columns, are one
block each (`X`, `MOVED`): the HiGHS backend relaxes those blocks first, as for one year.
`columns[t]` maps period t's own columns into the stacked model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from solver.errors import NotSupported
from solver.horizon.periods import PeriodSpec, period_instance, period_specs
from solver.instance import Instance
from solver.model.data import IntArray, ModelData, build_data
from solver.model.families import MOVED, X, Y, Z
from solver.model.formulation import build_model
from solver.model.matrix import INF, MatrixModel

ENDED = "ended_at_term_start"  # the moved-client columns and rows at a later term's start
SAME_TERM = "same_contracts_within_term"
SUBSET = "contracts_end_never_start"
MAX_MOVED_AT_START = "max_moved_at_term_start"


@dataclass(frozen=True, eq=False)
class HorizonModel:
    """The stacked model and, per period, what is needed to read its plan back."""

    model: MatrixModel
    specs: list[PeriodSpec]
    instances: list[Instance]  # each period's own instance (incumbents in the first only)
    data: list[ModelData]
    models: list[MatrixModel]  # each period's own model (unweighted costs)
    columns: list[IntArray]  # period t's own columns -> stacked columns


def build_horizon(instance: Instance) -> HorizonModel:
    """Every period's instance, data and model, stacked and linked (module docstring)."""
    horizon = instance.horizon
    if horizon is None:
        raise ValueError("the instance has no horizon")
    specs = period_specs(horizon)
    instances = [period_instance(instance, p, first=t == 0) for t, p in enumerate(horizon.periods)]
    data = [build_data(i) for i in instances]
    models = [build_model(d) for d in data]
    _same_options(data)
    ended_cols = [_ended_count(instance, spec, d) for spec, d in zip(specs, data, strict=True)]
    columns, order, n_cols = _layout(models, ended_cols)
    return HorizonModel(
        model=_stack(instance, specs, data, models, columns, ended_cols, order, n_cols),
        specs=specs,
        instances=instances,
        data=data,
        models=models,
        columns=columns,
    )


def _same_options(data: list[ModelData]) -> None:
    first = data[0]
    for d in data[1:]:
        if not (
            np.array_equal(d.option_unit, first.option_unit)
            and np.array_equal(d.option_care, first.option_care)
        ):
            raise NotSupported("the periods' contract options differ (a bug in dekkend)")


def _ended_count(instance: Instance, spec: PeriodSpec, data: ModelData) -> int:
    """How many ended-contract columns period t needs: one per option at a later term's start."""
    counted = instance.policy.transfer_cost > 0 or instance.policy.max_moved is not None
    return len(data.option_unit) if spec.starts_term and counted else 0


def _layout(
    models: list[MatrixModel], ended: list[int]
) -> tuple[list[IntArray], list[tuple[str, int, int]], int]:
    """Stacked positions of every period's columns: flows first, moved next, the rest after."""
    sizes = {
        "x": sum(m.blocks[X].stop - m.blocks[X].start for m in models),
        "moved": sum(
            (m.blocks[MOVED].stop - m.blocks[MOVED].start) if MOVED in m.blocks else 0
            for m in models
        )
        + sum(ended),  # fmt: skip
    }
    next_x, next_moved, next_rest = 0, sizes["x"], sizes["x"] + sizes["moved"]
    columns: list[IntArray] = []
    order: list[tuple[str, int, int]] = []  # (what, period, first stacked column) of ended blocks
    for t, m in enumerate(models):
        where = np.empty(m.n_cols, dtype=np.int64)
        for name, block in m.blocks.items():
            n = block.stop - block.start
            if name == X:
                where[block] = np.arange(next_x, next_x + n)
                next_x += n
            elif name == MOVED:
                where[block] = np.arange(next_moved, next_moved + n)
                next_moved += n
            else:
                where[block] = np.arange(next_rest, next_rest + n)
                next_rest += n
        columns.append(where)
        if ended[t]:
            order.append((ENDED, t, next_moved))
            next_moved += ended[t]
    return columns, order, next_rest


def _stack(
    instance: Instance,
    specs: list[PeriodSpec],
    data: list[ModelData],
    models: list[MatrixModel],
    columns: list[IntArray],
    ended: list[int],
    order: list[tuple[str, int, int]],
    n_cols: int,
) -> MatrixModel:
    cost = np.zeros(n_cols)
    col_lo, col_hi = np.zeros(n_cols), np.zeros(n_cols)
    rows, cols, vals = [], [], []
    row_lo, row_hi, money, families = [], [], [], []
    n_rows = 0
    for t, (m, where) in enumerate(zip(models, columns, strict=True)):
        cost[where] = specs[t].weight * m.cost
        col_lo[where], col_hi[where] = m.col_lo, m.col_hi
        coo = m.matrix.tocoo()
        rows.append(coo.row + n_rows)
        cols.append(where[coo.col])
        vals.append(coo.data)
        row_lo.append(m.row_lo)
        row_hi.append(m.row_hi)
        money.append(m.money_rows)
        families += [(f"{name}@{specs[t].id}", slice(s.start + n_rows, s.stop + n_rows))
                     for name, s in m.families]  # fmt: skip
        n_rows += m.n_rows

    def link(family: str, r: IntArray, c: IntArray, v: np.ndarray, lo: np.ndarray,
             hi: np.ndarray) -> None:  # fmt: skip
        nonlocal n_rows
        rows.append(r + n_rows)
        cols.append(c)
        vals.append(v)
        row_lo.append(lo)
        row_hi.append(hi)
        money.append(np.zeros(len(lo), np.bool_))
        families.append((family, slice(n_rows, n_rows + len(lo))))
        n_rows += len(lo)

    starts = {t: first for _, t, first in order}
    policy = instance.policy
    for t in range(1, len(models)):
        same = not specs[t].starts_term
        for block in (Y, Z):
            now = columns[t][models[t].blocks[block]]
            before = columns[t - 1][models[t - 1].blocks[block]]
            n = len(now)
            link(
                SAME_TERM if same else SUBSET,
                np.concatenate([np.arange(n), np.arange(n)]),
                np.concatenate([now, before]),
                np.concatenate([np.ones(n), -np.ones(n)]),
                np.zeros(n) if same else np.full(n, -INF),
                np.zeros(n),
            )
        if t in starts:
            _ended_rows(link, t, starts[t], data, models, columns, cost, col_lo, col_hi,
                        specs[t].weight * policy.transfer_cost, policy.max_moved)  # fmt: skip
    blocks = {X: slice(0, int(sum(m.blocks[X].stop - m.blocks[X].start for m in models)))}
    moved_end = (
        blocks[X].stop
        + sum(
            (m.blocks[MOVED].stop - m.blocks[MOVED].start) if MOVED in m.blocks else 0
            for m in models
        )
        + sum(ended)
    )
    if moved_end > blocks[X].stop:
        blocks[MOVED] = slice(blocks[X].stop, moved_end)
    matrix = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, n_cols),
    )
    matrix.sum_duplicates()
    return MatrixModel(
        cost=cost,
        col_lo=col_lo,
        col_hi=col_hi,
        matrix=matrix,
        row_lo=np.concatenate(row_lo),
        row_hi=np.concatenate(row_hi),
        blocks=blocks,
        families=families,
        money_rows=np.concatenate(money),
    )


def _ended_rows(link, t, first, data, models, columns, cost, col_lo, col_hi, price, limit) -> None:  # type: ignore[no-untyped-def]
    """ended_j − Σ x_{t−1}(j) + C_j·y_{t,j} ≥ 0 per option j; Σ ended ≤ max_moved."""
    before, now = data[t - 1], data[t]
    n_opt = len(now.option_unit)
    ended = np.arange(first, first + n_opt)
    capacity = np.bincount(
        before.member_option,
        before.offer_capacity[before.member_offer].astype(np.float64),
        minlength=n_opt,
    )
    cost[ended] = price
    col_lo[ended], col_hi[ended] = 0.0, capacity
    x_before = columns[t - 1][models[t - 1].blocks[X]]
    y_now = columns[t][models[t].blocks[Y]]
    option_of_row = before.row_option
    n_x = len(option_of_row)
    link(
        ENDED,
        np.concatenate([np.arange(n_opt), option_of_row, np.arange(n_opt)]),
        np.concatenate([ended, x_before, y_now]),
        np.concatenate([np.ones(n_opt), -np.ones(n_x), capacity]),
        np.zeros(n_opt),
        np.full(n_opt, INF),
    )
    if limit is not None:
        link(MAX_MOVED_AT_START, np.zeros(n_opt, np.int64), ended, np.ones(n_opt),
             np.array([-INF]), np.array([float(limit)]))  # fmt: skip
