"""The facility-location skeleton of a `MatrixModel`, read from its row families.

Every SPEC model contains it: clients `x` of an assignment row are bounded by the contract option
`y` they belong to (family `assignment_bound`, x ≤ b·y), summed per member offer into a capacity
row (Σ x ≤ cap·y), and every `y` is bounded by its unit's contract `z` (`contract_link`, y ≤ z).
The demand rows (Σ x = need) tie the units together. The Lagrangian bound of
`lagrangian` keeps exactly this skeleton, prices the demand rows and drops every
other row, which only relaxes the model: the bound it gives is valid whatever else the model says.

Optional parts kept when present: `contract_needs_care_type` (a contracted unit holds at least one
care type) and `max_contracts` (Σ z ≤ p, the p-median limit). `facility_structure` returns None
when the arrays do not have this shape (a hand-built model, or bounds it does not expect), and the
caller then takes another path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from solver.model.data import FloatArray, IntArray
from solver.model.families import (
    ASSIGNMENT_BOUND,
    CAPACITY,
    CONTRACT_LINK,
    CONTRACT_NEEDS_CARE_TYPE,
    COVERAGE,
    DEMAND,
    MAX_CONTRACTS,
    X,
    Y,
    Z,
)
from solver.model.matrix import MatrixModel

log = logging.getLogger(__name__)

_REQUIRED = (DEMAND, CAPACITY, ASSIGNMENT_BOUND, CONTRACT_LINK)
# Families the Lagrangian keeps, or drops without losing much (coverage with one provider per cell
# follows from demand). A model with other rules (min_clients, max_share, budgets, transfers, ...)
# is a facility model too, but its bound is weaker and its restrictions are often infeasible.
_PURE = (*_REQUIRED, CONTRACT_NEEDS_CARE_TYPE, COVERAGE, MAX_CONTRACTS)


@dataclass(frozen=True, eq=False)
class FacilityStructure:
    """Index arrays of the skeleton; x, y, z hold model column numbers, the rest local indices."""

    x: IntArray  # flow columns
    y: IntArray  # contract option columns
    z: IntArray  # unit contract columns
    x_row: IntArray  # demand row of each flow
    need: FloatArray  # right-hand side of each demand row
    x_member: IntArray  # capacity row (member offer) of each flow
    x_ub: FloatArray  # upper bound of a flow whose option is on: min(column bound, b)
    member_y: IntArray  # option of each member offer
    member_cap: FloatArray
    y_z: IntArray  # unit of each option
    needs_care_type: bool  # z = 1 needs some y = 1
    max_contracts: float | None  # Σ z ≤ p, when the model says so
    rest: IntArray  # every other column (its rows are dropped)

    @property
    def n_rows(self) -> int:
        """Number of demand rows (the priced rows)."""
        return len(self.need)

    def unit_capacity(self) -> FloatArray:
        """Σ capacity of each unit's member offers: Σ_u cap_u·z_u ≥ Σ need is implied."""
        per_y = np.bincount(self.member_y, self.member_cap, minlength=len(self.y))
        return np.bincount(self.y_z, per_y, minlength=len(self.z)).astype(np.float64)


def is_pure(model: MatrixModel) -> bool:
    """Whether the model has only the skeleton's rules (as OR-Library facility models do)."""
    return all(name in _PURE for name, _ in model.families)


def facility_structure(model: MatrixModel) -> FacilityStructure | None:
    """The skeleton of `model`, or None when its families do not have the expected shape."""
    families = dict(model.families)
    if any(name not in families for name in _REQUIRED):
        return None
    if any(name not in model.blocks for name in (X, Y, Z)):
        return None
    x, y, z = (_columns(model.blocks[name]) for name in (X, Y, Z))
    where = np.full(model.n_cols, -1, dtype=np.int64)
    kind = np.zeros(model.n_cols, dtype=np.int64)  # 1 x, 2 y, 3 z
    for code, cols in ((1, x), (2, y), (3, z)):
        where[cols] = np.arange(len(cols))
        kind[cols] = code
    try:
        x_row, need = _demand(model, families[DEMAND], kind, where, len(x))
        x_member, member_y, member_cap = _switched(
            model, families[CAPACITY], kind, where, len(x), CAPACITY
        )
        x_y, x_factor = _pairs(model, families[ASSIGNMENT_BOUND], kind, where, len(x), 1, 2)
        y_z, _ = _pairs(model, families[CONTRACT_LINK], kind, where, len(y), 2, 3)
    except _NotFacility as reason:
        log.debug("no facility structure: %s", reason)
        return None
    if not np.array_equal(member_y[x_member], x_y):
        log.debug("no facility structure: a flow's capacity row and its bound use other options")
        return None
    if np.any(model.col_lo[x] != 0) or np.any(~_binary(model, y)) or np.any(~_binary(model, z)):
        log.debug("no facility structure: flows must start at 0 and switches be 0/1")
        return None
    rest = np.flatnonzero(kind == 0)
    if np.any(np.isinf(np.where(model.cost[rest] >= 0, model.col_lo[rest], model.col_hi[rest]))):
        return None  # a column whose cost is unbounded once its rows are dropped
    return FacilityStructure(
        x=x,
        y=y,
        z=z,
        x_row=x_row,
        need=need,
        x_member=x_member,
        x_ub=np.minimum(model.col_hi[x], x_factor),
        member_y=member_y,
        member_cap=member_cap,
        y_z=y_z,
        needs_care_type=CONTRACT_NEEDS_CARE_TYPE in families,
        max_contracts=_max_contracts(model, families.get(MAX_CONTRACTS), kind),
        rest=rest,
    )


class _NotFacility(Exception):
    """A family does not have the shape the skeleton needs."""


def _columns(block: slice) -> IntArray:
    return np.arange(block.start, block.stop, dtype=np.int64)


def _binary(model: MatrixModel, cols: IntArray) -> np.ndarray:
    lo, hi = model.col_lo[cols], model.col_hi[cols]
    return np.isin(lo, (0.0, 1.0)) & np.isin(hi, (0.0, 1.0)) & (lo <= hi)


def _rows(model: MatrixModel, rows: slice) -> sp.coo_matrix:
    return model.matrix[rows.start : rows.stop].tocoo()


def _demand(
    model: MatrixModel, rows: slice, kind: IntArray, where: IntArray, n_x: int
) -> tuple[IntArray, FloatArray]:
    """Each flow in exactly one demand row (coefficient 1); each row an equality on flows only."""
    part = _rows(model, rows)
    if np.any(kind[part.col] != 1) or np.any(part.data != 1.0):
        raise _NotFacility("a demand row holds a column other than a flow")
    lo, hi = model.row_lo[rows], model.row_hi[rows]
    if np.any(lo != hi) or np.any(~np.isfinite(lo)):
        raise _NotFacility("a demand row is not an equality")
    x_row = np.full(n_x, -1, dtype=np.int64)
    x_row[where[part.col]] = part.row
    if len(part.row) != n_x or np.any(x_row < 0):
        raise _NotFacility("a flow is not in exactly one demand row")
    return x_row, lo.astype(np.float64)


def _switched(
    model: MatrixModel, rows: slice, kind: IntArray, where: IntArray, n_x: int, name: str
) -> tuple[IntArray, IntArray, FloatArray]:
    """Rows Σ flows − cap·y ≤ 0: the row of each flow, the option and capacity of each row."""
    part = _rows(model, rows)
    n = rows.stop - rows.start
    flows = kind[part.col] == 1
    switches = kind[part.col] == 2
    if np.any(~(flows | switches)) or np.any(part.data[flows] != 1.0):
        raise _NotFacility(f"a {name} row holds other columns")
    if np.any(np.bincount(part.row[switches], minlength=n) != 1) or np.any(part.data[switches] > 0):
        raise _NotFacility(f"a {name} row has no single switch")
    if np.any(model.row_hi[rows] != 0.0) or np.any(np.isfinite(model.row_lo[rows])):
        raise _NotFacility(f"a {name} row is not '≤ 0'")
    x_member = np.full(n_x, -1, dtype=np.int64)
    x_member[where[part.col[flows]]] = part.row[flows]
    if flows.sum() != n_x or np.any(x_member < 0):
        raise _NotFacility(f"a flow is not in exactly one {name} row")
    member_y = np.zeros(n, dtype=np.int64)
    member_cap = np.zeros(n)
    member_y[part.row[switches]] = where[part.col[switches]]
    member_cap[part.row[switches]] = -part.data[switches]
    return x_member, member_y, member_cap


def _pairs(
    model: MatrixModel, rows: slice, kind: IntArray, where: IntArray, n: int, low: int, high: int
) -> tuple[IntArray, FloatArray]:
    """Rows v − f·s ≤ 0, one per column v of kind `low`: its switch s (kind `high`) and f."""
    part = _rows(model, rows)
    count = rows.stop - rows.start
    lower = (kind[part.col] == low) & (part.data == 1.0)
    upper = (kind[part.col] == high) & (part.data < 0)
    if np.any(~(lower | upper)) or count != n:
        raise _NotFacility("a switch row has another shape")
    if np.any(np.bincount(part.row[lower], minlength=count) != 1):
        raise _NotFacility("a switch row bounds no single column")
    if np.any(np.bincount(part.row[upper], minlength=count) != 1):
        raise _NotFacility("a switch row has no single switch")
    if np.any(model.row_hi[rows] != 0.0) or np.any(np.isfinite(model.row_lo[rows])):
        raise _NotFacility("a switch row is not '≤ 0'")
    row_of = np.full(n, -1, dtype=np.int64)
    row_of[where[part.col[lower]]] = part.row[lower]
    if np.any(row_of < 0):
        raise _NotFacility("a column has no switch row")
    switch = np.zeros(count, dtype=np.int64)
    factor = np.zeros(count)
    switch[part.row[upper]] = where[part.col[upper]]
    factor[part.row[upper]] = -part.data[upper]
    return switch[row_of], factor[row_of]


def _max_contracts(model: MatrixModel, rows: slice | None, kind: IntArray) -> float | None:
    """The limit p of the row Σ z ≤ p (every unit, coefficient 1), or None."""
    if rows is None or rows.stop - rows.start != 1:
        return None
    part = _rows(model, rows)
    if np.any(kind[part.col] != 3) or np.any(part.data != 1.0):
        return None
    if len(part.col) != int((kind == 3).sum()):
        return None
    return float(model.row_hi[rows.start])
