"""Instance -> index arrays (numpy), built once per solve; backends only read them.

Units are contract parties: every provider alone (unit index = provider index), then every
consortium (unit index = n_providers + consortium index). Three derived index sets carry the model:

- *contract options* `(u, c)`: unit u can be contracted for care type c (a member offers c);
- *member offers* `(u, p, c)`: provider p delivers care type c under unit u's contract;
- *assignment rows* `(u, p, m, c)`: p can serve clients of (m, c) under u, with demand(m, c) > 0.

Clients are indexed per unit, not only per provider, so that every unit-level rule (max_share,
max_units_per_municipality, min_clients) is a plain linear constraint without big-M terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from solver.instance import Instance

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class ModelData:
    """The arrays every backend and the diagnosis read. Built by `build_data`."""

    instance: Instance
    municipality_ids: list[str]
    care_type_ids: list[str]
    lot_ids: list[str]
    unit_ids: list[str]
    n_providers: int
    care_lot: IntArray  # (C,) lot index of each care type
    demand: IntArray  # (M, C) clients per year
    population: IntArray  # (M,)
    unit_contract_cost: FloatArray  # (U,)
    unit_members: list[IntArray]  # provider indices of each unit
    serves: BoolArray  # (P, M)
    access: FloatArray  # (P, M) access cost per client
    # offers, one per (provider, care type)
    offer_provider: IntArray
    offer_care: IntArray
    offer_capacity: IntArray
    offer_price: FloatArray
    offer_min: IntArray
    offer_quality: FloatArray
    # contract options (u, c)
    option_unit: IntArray
    option_care: IntArray
    option_covers: BoolArray  # (Y, M): a member offers c and serves m
    # member offers (u, p, c)
    member_option: IntArray  # index into the contract options
    member_offer: IntArray  # index into the offers
    # assignment rows (u, p, m, c)
    row_member: IntArray  # index into the member offers
    row_municipality: IntArray
    row_cost: FloatArray  # price + access cost per client
    row_bound: IntArray  # min(capacity, demand): no row ever carries more clients
    # incumbents, one per (provider, municipality, care type)
    incumbent_provider: IntArray
    incumbent_municipality: IntArray
    incumbent_care: IntArray
    incumbent_clients: IntArray

    @property
    def row_option(self) -> IntArray:
        """Contract option of each assignment row."""
        return self.member_option[self.row_member]

    @property
    def row_offer(self) -> IntArray:
        """Offer of each assignment row."""
        return self.member_offer[self.row_member]

    @property
    def row_unit(self) -> IntArray:
        """Unit of each assignment row."""
        return self.option_unit[self.row_option]

    @property
    def row_provider(self) -> IntArray:
        """Provider of each assignment row."""
        return self.offer_provider[self.row_offer]

    @property
    def row_care(self) -> IntArray:
        """Care type of each assignment row."""
        return self.offer_care[self.row_offer]

    @property
    def row_lot(self) -> IntArray:
        """Lot of each assignment row."""
        return self.care_lot[self.row_care]

    @property
    def row_quality(self) -> FloatArray:
        """Quality of the offer behind each assignment row."""
        return self.offer_quality[self.row_offer]

    @property
    def coverage_cells(self) -> BoolArray:
        """(M, C): cells that need `min_providers` contracted units (SPEC §2 rule 5)."""
        cells = self.demand > 0
        for li, lot in enumerate(self.instance.lots):
            if lot.funding == "population_based":
                cells[:, self.care_lot == li] = True
        return cells

    @property
    def coverage_level(self) -> IntArray:
        """(M, C): contracted units each cell needs (0 where none), SPEC §2 rules 5 and 6.

        Its lot's `min_providers`, at least two where there is demand under `policy.n_minus_1`.
        """
        k = np.array([lot.min_providers for lot in self.instance.lots], dtype=np.int64)
        level = np.where(self.coverage_cells, k[self.care_lot][None, :], 0)
        if self.instance.policy.n_minus_1:
            level = np.where(self.demand > 0, np.maximum(level, 2), level)
        return level.astype(np.int64)


def build_data(instance: Instance) -> ModelData:
    """Index the instance: ids to positions, offers and rows to flat arrays."""
    mun = {m.id: i for i, m in enumerate(instance.municipalities)}
    care = {c.id: i for i, c in enumerate(instance.care_types)}
    lots = {lot.id: i for i, lot in enumerate(instance.lots)}
    prov = {p.id: i for i, p in enumerate(instance.providers)}
    n_m, n_c, n_p = len(mun), len(care), len(prov)

    demand = np.zeros((n_m, n_c), dtype=np.int64)
    for d in instance.demand:
        demand[mun[d.municipality], care[d.care_type]] = d.clients

    serves = np.zeros((n_p, n_m), dtype=np.bool_)
    access = np.zeros((n_p, n_m), dtype=np.float64)
    offer_cols: list[tuple[int, int, int, float, int, float]] = []
    inc: dict[tuple[int, int, int], int] = {}
    for pi, p in enumerate(instance.providers):
        if p.municipalities is None:
            serves[pi, :] = True
        else:
            serves[pi, [mun[m] for m in p.municipalities]] = True
        for m, cost in p.access_cost.items():
            access[pi, mun[m]] = cost
        for o in p.offers:
            offer_cols.append(
                (pi, care[o.care_type], o.capacity, o.price, o.min_clients, o.quality)
            )
        for record in p.incumbent:
            if record.clients > 0:
                inc[(pi, mun[record.municipality], care[record.care_type])] = record.clients
    offers = _columns(offer_cols, 6)

    members = [np.array([pi], dtype=np.int64) for pi in range(n_p)]
    members += [np.array([prov[m] for m in k.members], dtype=np.int64) for k in instance.consortia]
    unit_cost = [p.contract_cost for p in instance.providers]
    unit_cost += [k.contract_cost for k in instance.consortia]

    idx = _derive(
        instance=instance,
        demand=demand,
        serves=serves,
        members=members,
        offer_provider=offers[0].astype(np.int64),
        offer_care=offers[1].astype(np.int64),
    )
    inc_keys = sorted(inc)
    return ModelData(
        instance=instance,
        municipality_ids=list(mun),
        care_type_ids=list(care),
        lot_ids=list(lots),
        unit_ids=[p.id for p in instance.providers] + [k.id for k in instance.consortia],
        n_providers=n_p,
        care_lot=np.array([lots[c.lot] for c in instance.care_types], dtype=np.int64),
        demand=demand,
        population=np.array([m.youth_population for m in instance.municipalities], np.int64),
        unit_contract_cost=np.array(unit_cost, dtype=np.float64),
        unit_members=members,
        serves=serves,
        access=access,
        offer_provider=offers[0].astype(np.int64),
        offer_care=offers[1].astype(np.int64),
        offer_capacity=offers[2].astype(np.int64),
        offer_price=offers[3].astype(np.float64),
        offer_min=offers[4].astype(np.int64),
        offer_quality=offers[5].astype(np.float64),
        row_cost=(offers[3][idx.row_offer] + access[idx.row_provider, idx.row_mun]),
        row_bound=np.minimum(
            offers[2][idx.row_offer].astype(np.int64),
            demand[idx.row_mun, offers[1][idx.row_offer].astype(np.int64)],
        ),
        option_unit=idx.option_unit,
        option_care=idx.option_care,
        option_covers=idx.option_covers,
        member_option=idx.member_option,
        member_offer=idx.member_offer,
        row_member=idx.row_member,
        row_municipality=idx.row_mun,
        incumbent_provider=np.array([k[0] for k in inc_keys], dtype=np.int64),
        incumbent_municipality=np.array([k[1] for k in inc_keys], dtype=np.int64),
        incumbent_care=np.array([k[2] for k in inc_keys], dtype=np.int64),
        incumbent_clients=np.array([inc[k] for k in inc_keys], dtype=np.int64),
    )


def _columns(rows: Sequence[Sequence[float]], width: int) -> list[NDArray[np.float64]]:
    """Turn a list of equal-length tuples into `width` numpy columns (empty-safe)."""
    if not rows:
        return [np.zeros(0) for _ in range(width)]
    table = np.array(rows, dtype=np.float64)
    return [table[:, j] for j in range(width)]


@dataclass(frozen=True, eq=False)
class _Index:
    """The derived index sets of `_derive` (see the module docstring)."""

    option_unit: IntArray
    option_care: IntArray
    option_covers: BoolArray
    member_option: IntArray
    member_offer: IntArray
    row_member: IntArray
    row_mun: IntArray
    row_offer: IntArray
    row_provider: IntArray


def _derive(
    *,
    instance: Instance,
    demand: IntArray,
    serves: BoolArray,
    members: list[IntArray],
    offer_provider: IntArray,
    offer_care: IntArray,
) -> _Index:
    """Contract options, member offers and assignment rows, in a fixed (deterministic) order."""
    n_p = len(instance.providers)
    offer_of = {
        (int(p), int(c)): o for o, (p, c) in enumerate(zip(offer_provider, offer_care, strict=True))
    }
    offers_by_provider: list[list[int]] = [[] for _ in range(n_p)]
    for o, p in enumerate(offer_provider):
        offers_by_provider[int(p)].append(o)

    option_unit: list[int] = []
    option_care: list[int] = []
    member_option: list[int] = []
    member_offer: list[int] = []
    for u, mem in enumerate(members):
        cares = sorted({int(offer_care[o]) for p in mem for o in offers_by_provider[int(p)]})
        for c in cares:
            y = len(option_unit)
            option_unit.append(u)
            option_care.append(c)
            for p in mem:
                found = offer_of.get((int(p), c))
                if found is not None:
                    member_option.append(y)
                    member_offer.append(found)
    m_opt = np.array(member_option, dtype=np.int64)
    m_off = np.array(member_offer, dtype=np.int64)

    # (member offer, municipality) pairs where the provider serves m and m has demand for c
    m_prov = offer_provider[m_off]
    m_care = offer_care[m_off]
    reach = serves[m_prov, :] & (demand[:, m_care].T > 0)
    row_member, row_mun = np.nonzero(reach)

    covers = np.zeros((len(option_unit), serves.shape[1]), dtype=np.bool_)
    np.logical_or.at(covers, m_opt, serves[m_prov, :])
    return _Index(
        option_unit=np.array(option_unit, dtype=np.int64),
        option_care=np.array(option_care, dtype=np.int64),
        option_covers=covers,
        member_option=m_opt,
        member_offer=m_off,
        row_member=row_member.astype(np.int64),
        row_mun=row_mun.astype(np.int64),
        row_offer=m_off[row_member],
        row_provider=m_prov[row_member],
    )
