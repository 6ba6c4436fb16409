"""One pass over a plan: the sums that the objective, the payouts and the cost split are built from.

`tally_plan` reads the contracts and assignments once (O(size)) and aggregates care cost and
clients per (unit, lot), (lot, municipality), (unit, municipality) with `numpy.bincount`, so
`costs`, `payouts` and `split` never rescan the assignments. Units are indexed compactly: the
contracted units first, in instance order (providers, then consortia), then any unit that has
assignments without a contract (only in infeasible plans; they count for care cost, not budgets).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from solver.instance import Instance, Lot
from solver.result import Assignment, Contract


@dataclass(frozen=True, slots=True)
class PlanTally:
    """Aggregates of one plan. Arrays are indexed by `units`, `lots` and `municipalities` order."""

    instance: Instance
    municipalities: list[str]
    population: np.ndarray  # (M,) youth population as float
    lots: list[Lot]
    units: list[str]  # compact unit ids; the first `n_contracted` are the contracted units
    n_contracted: int
    contract_cost: np.ndarray  # (n_contracted,) each contracted unit's own contract_cost
    unit_lots: list[list[int]]  # per contracted unit: lot indices it holds care types of, in order
    care_ul: np.ndarray  # (U, L) care cost
    clients_ul: np.ndarray  # (U, L) clients
    care_lm: np.ndarray  # (L, M)
    clients_lm: np.ndarray  # (L, M)
    care_um: np.ndarray  # (U, M)
    clients_um: np.ndarray  # (U, M)
    clients_ulm: dict[int, np.ndarray]  # population_based lot index -> (U, M) clients
    can_serve: dict[int, np.ndarray]  # population_based lot index -> (U, M) bool (DECISIONS 4)
    care_cost: float  # Σ clients × (price + access_cost)
    quality_points: float  # Σ clients × quality
    moved_m: np.ndarray  # (M,) moved incumbent clients per municipality (DECISIONS 1)
    moved: int
    # (provider, municipality, care type, moved, incumbents) where clients move, instance order
    moved_pmc: list[tuple[str, str, str, int, int]]

    @property
    def care_l(self) -> np.ndarray:
        """(L,) care cost per lot."""
        return self.care_lm.sum(axis=1)

    @property
    def clients_l(self) -> np.ndarray:
        """(L,) clients per lot."""
        return self.clients_lm.sum(axis=1)


@dataclass(frozen=True, slots=True)
class _Index:
    """Look-ups on the instance that the tally needs."""

    lot_of: dict[str, int]  # care type -> lot index
    offer: dict[tuple[str, str], tuple[float, float]]  # (provider, care type) -> (price, quality)
    access: dict[str, dict[str, float]]  # provider -> municipality -> access cost
    serves: dict[str, list[str] | None]  # provider -> municipalities, None = all
    members: dict[str, tuple[str, ...]]  # unit -> member providers
    unit_cost: dict[str, float]  # unit -> contract_cost
    unit_order: dict[str, int]  # unit -> position among providers + consortia


def _index(instance: Instance) -> _Index:
    lot_pos = {lot.id: i for i, lot in enumerate(instance.lots)}
    members: dict[str, tuple[str, ...]] = {p.id: (p.id,) for p in instance.providers}
    unit_cost = {p.id: p.contract_cost for p in instance.providers}
    for k in instance.consortia:
        members[k.id] = tuple(k.members)
        unit_cost[k.id] = k.contract_cost
    return _Index(
        lot_of={c.id: lot_pos[c.lot] for c in instance.care_types},
        offer={
            (p.id, o.care_type): (o.price, o.quality) for p in instance.providers for o in p.offers
        },
        access={p.id: p.access_cost for p in instance.providers},
        serves={p.id: p.municipalities for p in instance.providers},
        members=members,
        unit_cost=unit_cost,
        unit_order={u: i for i, u in enumerate(members)},
    )


def _contracted(index: _Index, contracts: Sequence[Contract]) -> dict[str, list[str]]:
    """Unit -> its care types, for units with ≥ 1 care type, in instance order."""
    care: dict[str, list[str]] = {}
    for i, contract in enumerate(contracts):
        if contract.unit not in index.unit_order:
            raise ValueError(f"contracts[{i}].unit: unknown unit {contract.unit!r}")
        listed = care.setdefault(contract.unit, [])
        for c in contract.care_types:
            if c not in index.lot_of:
                raise ValueError(f"contracts[{i}]: unknown care type {c!r}")
            if c not in listed:
                listed.append(c)
    return {u: care[u] for u in sorted(care, key=index.unit_order.__getitem__) if care[u]}


def tally_plan(
    instance: Instance, contracts: Sequence[Contract], assignments: Sequence[Assignment]
) -> PlanTally:
    """Aggregate one plan. Raises `ValueError` naming an assignment that refers to nothing."""
    index = _index(instance)
    municipalities = [m.id for m in instance.municipalities]
    m_pos = {m: i for i, m in enumerate(municipalities)}
    n_m, n_l = len(municipalities), len(instance.lots)
    contracted = _contracted(index, contracts)
    units = list(contracted)
    u_pos = {u: i for i, u in enumerate(units)}

    n = len(assignments)
    u_idx = np.empty(n, dtype=np.int64)
    l_idx = np.empty(n, dtype=np.int64)
    m_idx = np.empty(n, dtype=np.int64)
    clients = np.empty(n, dtype=np.float64)
    cost = np.empty(n, dtype=np.float64)
    points = np.empty(n, dtype=np.float64)
    # Only incumbents need clients per (provider, municipality, care type): skip the dict if none.
    track = any(p.incumbent for p in instance.providers)
    assigned: dict[tuple[str, str, str], int] = {}
    for i, a in enumerate(assignments):
        priced = index.offer.get((a.provider, a.care_type))
        m = m_pos.get(a.municipality)
        if priced is None or m is None:
            raise ValueError(
                f"assignments[{i}]: provider {a.provider!r} has no offer for care type "
                f"{a.care_type!r} or municipality {a.municipality!r} is unknown"
            )
        u = u_pos.get(a.unit)
        if u is None:
            if a.unit not in index.unit_order:
                raise ValueError(f"assignments[{i}].unit: unknown unit {a.unit!r}")
            u = u_pos[a.unit] = len(units)
            units.append(a.unit)
        k = a.clients
        u_idx[i], l_idx[i], m_idx[i], clients[i] = u, index.lot_of[a.care_type], m, k
        cost[i] = k * (priced[0] + index.access[a.provider].get(a.municipality, 0.0))
        points[i] = k * priced[1]
        if track:
            key = (a.provider, a.municipality, a.care_type)
            assigned[key] = assigned.get(key, 0) + k

    n_u = len(units)

    def total(keys: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
        return np.bincount(keys, weights=weights, minlength=size).astype(np.float64)

    ul, lm, um = u_idx * n_l + l_idx, l_idx * n_m + m_idx, u_idx * n_m + m_idx
    pop_lots = [j for j, lot in enumerate(instance.lots) if lot.funding == "population_based"]
    clients_ulm = {}
    for j in pop_lots:
        mask = l_idx == j
        clients_ulm[j] = total(um[mask], clients[mask], n_u * n_m).reshape(n_u, n_m)

    moved_m = np.zeros(n_m, dtype=np.int64)
    moved_pmc = []
    for p in instance.providers:
        for inc in p.incumbent:
            gone = inc.clients - assigned.get((p.id, inc.municipality, inc.care_type), 0)
            if gone > 0:
                moved_m[m_pos[inc.municipality]] += gone
                moved_pmc.append((p.id, inc.municipality, inc.care_type, gone, inc.clients))

    return PlanTally(
        instance=instance,
        municipalities=municipalities,
        population=np.array([m.youth_population for m in instance.municipalities], np.float64),
        lots=list(instance.lots),
        units=units,
        n_contracted=len(contracted),
        contract_cost=np.array([index.unit_cost[u] for u in contracted], dtype=np.float64),
        unit_lots=[sorted({index.lot_of[c] for c in cts}) for cts in contracted.values()],
        care_ul=total(ul, cost, n_u * n_l).reshape(n_u, n_l),
        clients_ul=total(ul, clients, n_u * n_l).reshape(n_u, n_l),
        care_lm=total(lm, cost, n_l * n_m).reshape(n_l, n_m),
        clients_lm=total(lm, clients, n_l * n_m).reshape(n_l, n_m),
        care_um=total(um, cost, n_u * n_m).reshape(n_u, n_m),
        clients_um=total(um, clients, n_u * n_m).reshape(n_u, n_m),
        clients_ulm=clients_ulm,
        can_serve={j: _can_serve(index, contracted, j, n_u, m_pos) for j in pop_lots},
        care_cost=math.fsum(cost),
        quality_points=math.fsum(points),
        moved_m=moved_m,
        moved=int(moved_m.sum()),
        moved_pmc=moved_pmc,
    )


def _can_serve(
    index: _Index, contracted: dict[str, list[str]], lot: int, n_u: int, m_pos: dict[str, int]
) -> np.ndarray:
    """(U, M): unit is contracted for a care type c of `lot` and has a member offering c in m."""
    out = np.zeros((n_u, len(m_pos)), dtype=bool)
    for u, (unit, cts) in enumerate(contracted.items()):
        for c in cts:
            if index.lot_of[c] != lot:
                continue
            for p in index.members[unit]:
                if (p, c) not in index.offer:
                    continue
                served = index.serves[p]
                if served is None:
                    out[u, :] = True
                else:
                    out[u, [m_pos[m] for m in served]] = True
    return out
