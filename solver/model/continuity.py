"""SPEC §2 rule 6's newer policies as rows: continuity of care, N−1 resilience, Open House.

Called by `formulation.Formulation` with its builder and columns, one function per rule:

- `add_max_moved`: Σ moved ≤ `policy.max_moved` (the moved columns are lower bounds of who moves,
  so their sum bounds the clients who must change provider);
- `add_n_minus_1`: per care type c with demand, a column M_c ≥ cap_j·y_j for every contract option
  j of c (so M_c is at least the largest contracted unit's capacity) and Σ cap·y − M_c ≥ D_c: the
  contracted capacity less the largest unit's still covers the region's demand. Exact: M_c is
  bounded below by the rows and above by the largest option's capacity. The two units per cell
  are `formulation`'s coverage level (`ModelData.coverage_level`);
- `add_open_house`: for every offer (p, c) of an Open House lot, the units p belongs to are
  contracted for c at least once (alone or through one consortium).
"""

from __future__ import annotations

import numpy as np

from solver.model.data import IntArray, ModelData
from solver.model.families import MAX_MOVED, N_MINUS_1, N_MINUS_1_LARGEST, OPEN_HOUSE, per_lot
from solver.model.matrix import INF, Builder


def add_max_moved(b: Builder, data: ModelData, moved: IntArray | None) -> None:
    """SPEC §2.6 `policy.max_moved`: at most this many incumbent clients move."""
    limit = data.instance.policy.max_moved
    if limit is None or moved is None or len(moved) == 0:
        return
    n = len(moved)
    b.constraints(MAX_MOVED, np.zeros(n, np.int64), moved, np.ones(n), [-INF], [float(limit)])


def add_n_minus_1(b: Builder, data: ModelData, y: IntArray) -> None:
    """SPEC §2.6 `policy.n_minus_1`: capacity less the largest contracted unit's covers demand."""
    if not data.instance.policy.n_minus_1:
        return
    need = data.demand.sum(axis=0)  # (C,) the region's clients per care type
    # a contract option's capacity for its care type: its member offers' together
    capacity = np.bincount(
        data.member_option,
        data.offer_capacity[data.member_offer].astype(np.float64),
        minlength=len(y),
    )
    for c in np.flatnonzero(need > 0):
        options = np.flatnonzero(data.option_care == c)
        care = data.care_type_ids[c]
        # bounded by the largest option's capacity (CP-SAT needs finite bounds)
        top = float(capacity[options].max()) if len(options) else 0.0
        [largest] = b.variables(per_lot(N_MINUS_1_LARGEST, care), [0.0], 0.0, top)
        n = len(options)
        # M_c − cap_j·y_j ≥ 0 for every option j of c
        b.constraints(
            per_lot(N_MINUS_1_LARGEST, care),
            np.concatenate([np.arange(n), np.arange(n)]),
            np.concatenate([np.full(n, largest), y[options]]),
            np.concatenate([np.ones(n), -capacity[options]]),
            np.zeros(n),
            np.full(n, INF),
        )
        # Σ cap·y − M_c ≥ D_c
        b.constraints(
            per_lot(N_MINUS_1, care),
            np.zeros(n + 1, np.int64),
            np.concatenate([y[options], [largest]]),
            np.concatenate([capacity[options], [-1.0]]),
            [float(need[c])],
            [INF],
        )


def add_open_house(b: Builder, data: ModelData, y: IntArray) -> None:
    """SPEC §1 `open_house`: every offer of the lot's care types is contracted, once."""
    lots = [li for li, lot in enumerate(data.instance.lots) if lot.open_house]
    if not lots:
        return
    in_open = np.isin(data.care_lot[data.offer_care], lots)
    offers = np.flatnonzero(in_open)
    index = np.full(len(data.offer_care), -1, dtype=np.int64)
    index[offers] = np.arange(len(offers))
    # member offer (u, p, c) -> the row of offer (p, c): Σ_u y_(u,c) ≥ 1 over p's units
    members = np.flatnonzero(index[data.member_offer] >= 0)
    for li in lots:
        mine = members[data.care_lot[data.offer_care[data.member_offer[members]]] == li]
        rows = index[data.member_offer[mine]]
        used, local = np.unique(rows, return_inverse=True)
        b.constraints(
            per_lot(OPEN_HOUSE, data.lot_ids[li]),
            local,
            y[data.member_option[mine]],
            np.ones(len(mine)),
            np.ones(len(used)),
            np.full(len(used), INF),
        )


def open_house_care(data: ModelData) -> np.ndarray:
    """(C,) bool: care types of an Open House lot (min_clients does not apply there)."""
    lots = [li for li, lot in enumerate(data.instance.lots) if lot.open_house]
    return np.isin(data.care_lot, lots)


def member_min_clients(data: ModelData) -> IntArray:
    """Per member offer, the min_clients that applies: none in an Open House lot (SPEC §1)."""
    low = data.offer_min[data.member_offer].astype(np.int64)
    low[open_house_care(data)[data.offer_care[data.member_offer]]] = 0
    return low
