"""The bidders of a generated region (`region`): backbone, free providers, consortia.

Providers live in one flat, vectorised `ProviderTable` (served municipalities and offers as CSR-like
arrays) until `assemble_providers` turns them into SPEC §1 JSON. The backbone keeps the witness
solution that makes the region feasible by construction (see `solver.generate`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from solver.generate.org_names import consortium_names, organisation_names

OFFER_COUNTS = (1, 2, 3)
OFFER_COUNT_P = (0.45, 0.40, 0.15)
MAX_BUNDLE = 3  # a backbone provider offers one bundle: at most three care types of one lot


@dataclass
class ProviderTable:
    """Providers as arrays: home, served municipalities (CSR), offers; prices once drawn."""

    home: np.ndarray
    national: np.ndarray
    served_ptr: np.ndarray
    served_idx: np.ndarray
    off_p: np.ndarray
    off_c: np.ndarray
    off_cap: np.ndarray
    off_min: np.ndarray
    off_price: np.ndarray = field(default_factory=lambda: np.zeros(0))
    off_quality: np.ndarray = field(default_factory=lambda: np.zeros(0))
    contract_cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    access: np.ndarray = field(default_factory=lambda: np.zeros(0))  # aligned with served_idx

    @property
    def count(self) -> int:
        """Number of providers."""
        return len(self.home)

    def concat(self, other: ProviderTable) -> ProviderTable:
        """The providers of both tables, `other` after these (before prices are drawn)."""
        return ProviderTable(
            home=np.concatenate([self.home, other.home]),
            national=np.concatenate([self.national, other.national]),
            served_ptr=np.concatenate(
                [self.served_ptr, other.served_ptr[1:] + self.served_ptr[-1]]
            ),
            served_idx=np.concatenate([self.served_idx, other.served_idx]),
            off_p=np.concatenate([self.off_p, other.off_p + self.count]),
            off_c=np.concatenate([self.off_c, other.off_c]),
            off_cap=np.concatenate([self.off_cap, other.off_cap]),
            off_min=np.concatenate([self.off_min, other.off_min]),
        )

    def draw_prices(
        self, rng: np.random.Generator, dist: np.ndarray, specs: list[Any], backbone: int
    ) -> None:
        """Prices, quality, contract cost, access cost per km; the first `backbone` bid higher."""
        low = np.array([s.price_low for s in specs])[self.off_c]
        high = np.array([s.price_high for s in specs])[self.off_c]
        # The backbone (large, regional safety-net providers) bids in the upper half of the range,
        # so many small, cheaper providers compete and max_contracts tends to bind.
        low = np.where(self.off_p < backbone, (low + high) / 2, low)
        self.off_price = np.round(rng.uniform(low, high), 2)
        self.off_quality = np.round(rng.uniform(0.2, 0.95, len(self.off_c)), 2)
        self.contract_cost = np.round(rng.uniform(5000.0, 30000.0, self.count), 2)
        per_km = rng.uniform(3.0, 12.0, self.count)  # euros per client per km of road, per year
        owner = np.repeat(np.arange(self.count), np.diff(self.served_ptr))
        self.access = np.round(per_km[owner] * dist[self.home[owner], self.served_idx], 2)


@dataclass
class Backbone:
    """The backbone providers (first in the table) and their witness assignment."""

    table: ProviderTable
    w_p: np.ndarray
    w_m: np.ndarray
    w_c: np.ndarray
    w_n: np.ndarray
    units_per_lot: dict[str, int]
    lot_of_type: list[str]

    @property
    def count(self) -> int:
        """Number of backbone providers (= contracts of the witness)."""
        return self.table.count

    def witness_cost(
        self, table: ProviderTable, n_mun: int, n_lots: int, lot_of: list[int]
    ) -> np.ndarray:
        """Care cost of the witness per (municipality, lot index), priced from `table`."""
        price = np.zeros((self.count, len(self.lot_of_type)))
        mine = table.off_p < self.count
        price[table.off_p[mine], table.off_c[mine]] = table.off_price[mine]
        access = np.zeros((self.count, n_mun))
        owner = np.repeat(np.arange(table.count), np.diff(table.served_ptr))
        rows = owner < self.count
        access[owner[rows], table.served_idx[rows]] = table.access[rows]
        each = self.w_n * (price[self.w_p, self.w_c] + access[self.w_p, self.w_m])
        cost = np.zeros((n_mun, n_lots))
        np.add.at(cost, (self.w_m, np.asarray(lot_of)[self.w_c]), each)
        return cost

    def check_shares(self, lot_id: str, max_share: float | None) -> None:
        """Raise when the witness would give one unit more than `max_share` of a lot."""
        if max_share is None:
            return
        in_lot = np.array([self.lot_of_type[c] == lot_id for c in self.w_c], dtype=bool)
        total = self.w_n[in_lot].sum()
        if total == 0:
            return
        top = np.bincount(self.w_p[in_lot], self.w_n[in_lot], minlength=self.count).max()
        if top > max_share * total:
            raise ValueError(
                f"lot {lot_id!r} has too few clients ({total}) to spread under max_share "
                f"{max_share}; raise care_rate or the youth populations"
            )


def make_backbone(
    rng: np.random.Generator,
    zones: list[np.ndarray],
    demand: np.ndarray,
    youth: np.ndarray,
    lots: dict[str, dict[str, Any]],
    lot_of: list[int],
) -> Backbone:
    """Per zone and bundle, min_providers + 1 (or more) providers sized for the witness."""
    homes: list[int] = []
    served: list[np.ndarray] = []  # municipality indices per provider
    offers: list[tuple[int, int, int]] = []  # (provider, care type, capacity)
    witness: list[np.ndarray] = []  # 4 x k blocks: provider, municipality, care type, clients
    units: dict[str, int] = {}
    for index, (lot_id, fields) in enumerate(lots.items()):
        types = [c for c, owner in enumerate(lot_of) if owner == index]
        bundles = np.array_split(types, math.ceil(len(types) / MAX_BUNDLE))
        # One unit per municipality: the witness gives a municipality's whole lot to one unit.
        whole = fields.get("max_units_per_municipality") == 1
        if whole and len(bundles) > 1:
            raise ValueError(f"lot {lot_id!r} has one unit per municipality but over 3 care types")
        size = max(fields.get("min_providers", 1) + 1, 2)
        if fields.get("max_share") and not whole:
            size = max(size, math.ceil(1 / fields["max_share"]) + 1)
        units[lot_id] = size * len(zones) * len(bundles)
        for zone in zones:
            spin = np.arange(len(zone))
            for bundle in bundles:
                for j in range(size):
                    p = len(homes)
                    homes.append(zone[np.argmax(youth[zone])])
                    served.append(zone)
                    for c in bundle:
                        d = demand[zone, c]
                        if whole:
                            load = np.where(spin % size == j, d, 0)
                            need = d.sum()
                        else:  # even split, remainders rotating over the municipalities
                            load = d // size + ((j - spin) % size < d % size)
                            need = load.sum()
                        offers.append((p, c, math.ceil(need * rng.uniform(1.3, 2.0)) + 1))
                        keep = load > 0
                        witness.append(
                            np.stack(
                                [
                                    np.full(keep.sum(), p),
                                    zone[keep],
                                    np.full(keep.sum(), c),
                                    load[keep],
                                ]
                            )
                        )
    off = np.array(offers, dtype=np.int64).reshape(-1, 3)
    w = np.concatenate(witness, axis=1) if witness else np.zeros((4, 0), dtype=np.int64)
    lengths = [len(s) for s in served]
    table = ProviderTable(
        home=np.array(homes, dtype=np.int64),
        national=np.zeros(len(homes), dtype=bool),
        served_ptr=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        served_idx=np.concatenate(served).astype(np.int64),
        off_p=off[:, 0],
        off_c=off[:, 1],
        off_cap=off[:, 2],
        off_min=np.zeros(len(off), dtype=np.int64),
    )
    lot_names = list(lots)
    w_p, w_m, w_c, w_n = w.astype(np.int64)
    return Backbone(table, w_p, w_m, w_c, w_n, units, [lot_names[o] for o in lot_of])


def draw_free_providers(
    rng: np.random.Generator,
    count: int,
    youth: np.ndarray,
    dist: np.ndarray,
    demand: np.ndarray,
    specs: list[Any],
    *,
    national_share: float,
    max_served: int,
    min_clients_share: float,
) -> ProviderTable:
    """Providers drawn freely: a home, a neighbourhood (or everything), 1–3 offers."""
    n_mun, n_types = demand.shape
    weights = youth / youth.sum() if youth.sum() > 0 else None
    home = rng.choice(n_mun, size=count, p=weights)
    national = rng.random(count) < national_share
    reach = np.clip(np.rint(rng.lognormal(math.log(4), 0.8, count)), 1, min(max_served, n_mun))
    reach = np.where(national, n_mun, reach).astype(np.int64)
    ptr = np.concatenate([[0], np.cumsum(reach)]).astype(np.int64)
    local = np.arange(ptr[-1]) - np.repeat(ptr[:-1], reach)
    nearest = np.argsort(dist, axis=1, kind="stable")
    idx = nearest[np.repeat(home, reach), local]

    # Care types without replacement, weighted by √share so rare types still find bidders.
    n_off = np.minimum(rng.choice(OFFER_COUNTS, size=count, p=OFFER_COUNT_P), n_types)
    share = np.sqrt([s.share for s in specs])
    ranks = np.argsort(rng.exponential(size=(count, n_types)) / share, axis=1, kind="stable")
    take = np.arange(n_types)[None, :] < n_off[:, None]
    off_p = np.repeat(np.arange(count), n_off)
    off_c = ranks[take]

    # Capacity: a fraction of the demand in the neighbourhood (smaller for national providers).
    near_demand = (
        np.add.reduceat(demand[idx], ptr[:-1], axis=0) if count else np.zeros((0, n_types))
    )
    # Most providers are small, a few are large: lognormal around 8% of nearby demand.
    regional = np.clip(rng.lognormal(math.log(0.08), 0.8, len(off_p)), 0.02, 1.0)
    frac = np.where(national[off_p], rng.uniform(0.01, 0.1, len(off_p)), regional)
    cap = np.maximum(1, np.ceil(near_demand[off_p, off_c] * frac)).astype(np.int64)
    has_min = rng.random(len(off_p)) < min_clients_share
    floor = np.minimum(cap, np.maximum(1, np.rint(cap * rng.uniform(0.05, 0.25, len(cap)))))
    return ProviderTable(
        home=home.astype(np.int64),
        national=national,
        served_ptr=ptr,
        served_idx=idx.astype(np.int64),
        off_p=off_p.astype(np.int64),
        off_c=off_c.astype(np.int64),
        off_cap=cap,
        off_min=np.where(has_min, floor, 0).astype(np.int64),
    )


def draw_incumbents(
    rng: np.random.Generator, table: ProviderTable, demand: np.ndarray, share: float
) -> np.ndarray:
    """Rows (provider, municipality, care type, clients) in care today; ≤ demand per cell."""
    pick = np.flatnonzero(rng.random(len(table.off_p)) < share)
    p, c = table.off_p[pick], table.off_c[pick]
    reach = np.diff(table.served_ptr)[p]
    m = table.served_idx[table.served_ptr[p] + np.floor(rng.random(len(p)) * reach).astype(int)]
    n = np.rint(demand[m, c] * rng.uniform(0.05, 0.35, len(p))).astype(np.int64)
    rows = np.stack([p, m, c, n], axis=1)[n > 0]
    # Keep, per cell, only as many incumbents as fit in this year's demand.
    cell = rows[:, 1] * demand.shape[1] + rows[:, 2]
    order = np.argsort(cell, kind="stable")
    rows, cell = rows[order], cell[order]
    total = np.cumsum(rows[:, 3])
    start = np.searchsorted(cell, cell, side="left")
    before = np.where(start > 0, total[np.maximum(start - 1, 0)], 0)
    rows = rows[total - before <= demand[rows[:, 1], rows[:, 2]]]
    return rows[np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))]


def spread_incumbents(
    rng: np.random.Generator, table: ProviderTable, demand: np.ndarray, share: float
) -> np.ndarray:
    """Rows (provider, municipality, care type, clients): about `share` of each cell in care today.

    They are spread over the providers that offer the care and serve the municipality.

    Each cell's clients go to its providers in proportion to their capacity times a lognormal
    draw (some providers are far larger locally than others), never beyond an offer's capacity
    over all municipalities: today's situation is one the bids can hold. A cell whose providers
    are full keeps fewer incumbents.
    """
    n_m = demand.shape[0]
    serves = np.zeros((table.count, n_m), dtype=bool)
    for p in range(table.count):
        serves[p, table.served_idx[table.served_ptr[p] : table.served_ptr[p + 1]]] = True
    room = table.off_cap.astype(np.int64).copy()
    rows: list[tuple[int, int, int, int]] = []
    cells = np.argwhere(demand > 0)
    for m, c in cells[rng.permutation(len(cells))]:
        left = int(round(share * demand[m, c]))
        offers = np.flatnonzero((table.off_c == c) & serves[table.off_p, m])
        got = np.zeros(len(offers), dtype=np.int64)
        weight = room[offers] * rng.lognormal(0.0, 0.75, len(offers))
        while left > 0:
            open_ = room[offers] - got > 0
            if not open_.any():
                break
            w = np.where(open_, weight, 0.0)
            draw = rng.multinomial(left, w / w.sum())
            take = np.minimum(draw, room[offers] - got)
            got += take
            left -= int(take.sum())
        room[offers] -= got
        rows += [(int(table.off_p[o]), int(m), int(c), int(n))
                 for o, n in zip(offers, got, strict=True) if n > 0]  # fmt: skip
    if not rows:
        return np.zeros((0, 4), dtype=np.int64)
    out = np.array(rows, dtype=np.int64)
    return out[np.lexsort((out[:, 2], out[:, 1], out[:, 0]))]


def make_consortia(
    rng: np.random.Generator, table: ProviderTable, first_free: int, count: int, dist: np.ndarray
) -> list[tuple[int, list[int], float]]:
    """Disjoint consortia of 2–3 free providers with nearby homes: (lead, members, cost)."""
    free = np.arange(first_free, table.count)
    available = np.ones(len(free), dtype=bool)
    coops = []
    for size in rng.integers(2, 4, count):
        if available.sum() < size:
            break
        lead = int(rng.choice(np.flatnonzero(available)))
        gap = dist[table.home[free[lead]], table.home[free]] + rng.random(len(free))
        gap[~available] = np.inf
        gap[lead] = -1.0  # the lead first, then its nearest available neighbours
        chosen = np.argpartition(gap, size - 1)[:size]
        chosen = chosen[np.argsort(gap[chosen], kind="stable")]
        available[chosen] = False
        members = [int(free[lead])] + [int(free[i]) for i in chosen if i != lead]
        costs = table.contract_cost[members]
        cost = costs.max() + rng.uniform(0.1, 0.4) * (costs.sum() - costs.max())
        coops.append((members[0], members, round(float(cost), 2)))
    return coops


def assemble_providers(
    table: ProviderTable,
    order: np.ndarray,
    mun_ids: list[str],
    specs: list[Any],
    incumbents: np.ndarray,
    coops: list[tuple[int, list[int], float]],
    seed: int,
) -> dict[str, list[dict[str, Any]]]:
    """SPEC §1 `providers` and `consortia`; provider i is written at position `order[i]`.

    Every provider and consortium gets a fictional organisation name (`org_names`, by position).
    """
    names, stems = organisation_names(table.count, seed)
    width = max(3, len(str(table.count - 1)))
    pid = [f"a{pos:0{width}d}" for pos in order.tolist()]
    type_ids = [s.id for s in specs]
    ptr, idx, access = table.served_ptr.tolist(), table.served_idx.tolist(), table.access.tolist()
    offers: list[list[dict[str, Any]]] = [[] for _ in range(table.count)]
    rows = zip(
        table.off_p.tolist(),
        table.off_c.tolist(),
        table.off_cap.tolist(),
        table.off_price.tolist(),
        table.off_min.tolist(),
        table.off_quality.tolist(),
        strict=True,
    )
    for p, c, cap, price, low, quality in rows:
        offer = {"care_type": type_ids[c], "capacity": cap, "price": price}
        if low:
            offer["min_clients"] = low
        offers[p].append({**offer, "quality": quality})
    current: list[list[dict[str, Any]]] = [[] for _ in range(table.count)]
    for p, m, c, n in incumbents.tolist():
        current[p].append({"municipality": mun_ids[m], "care_type": type_ids[c], "clients": n})
    out: list[dict[str, Any]] = [{} for _ in range(table.count)]
    national, cost = table.national.tolist(), table.contract_cost.tolist()
    for p in range(table.count):
        served = idx[ptr[p] : ptr[p + 1]]
        item: dict[str, Any] = {"id": pid[p], "name": names[order[p]], "contract_cost": cost[p]}
        if not national[p]:
            item["municipalities"] = [mun_ids[m] for m in served]
        item["offers"] = offers[p]
        charged = {mun_ids[m]: a for m, a in zip(served, access[ptr[p] : ptr[p + 1]], strict=True)}
        charged = {k: v for k, v in charged.items() if v > 0}
        if charged:
            item["access_cost"] = charged
        if current[p]:
            item["incumbent"] = current[p]
        out[order[p]] = item
    cwidth = max(2, len(str(len(coops) - 1)))
    coop_names = consortium_names([stems[order[lead]] for lead, _, _ in coops])
    consortia = [
        {
            "id": f"coop{i:0{cwidth}d}",
            "name": coop_names[i],
            "lead": pid[lead],
            "members": [pid[m] for m in members],
            "contract_cost": cost_,
        }
        for i, (lead, members, cost_) in enumerate(coops)
    ]
    return {"providers": out, "consortia": consortia}
