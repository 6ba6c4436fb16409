"""Seeded synthetic regions: realistic SPEC §1 instances of any size, feasible by construction.

`generate_region` draws a region (municipalities with youth populations and locations, demand of
about 10% of the youth over ten Dutch care types in four lots) and its bidders, with numpy's
`default_rng(seed)` only, so the same arguments give byte-identical JSON.

Feasibility is built in, not hoped for. Municipalities are cut into compact zones of at most
`zone_size` (≤ `max_served`) municipalities. For every zone and every *bundle* (the care types of a
lot, at most three per bundle) a few *backbone* providers serve the whole zone with enough capacity
for their part of a planned **witness** solution: contract every backbone provider for its bundle,
split each cell's demand evenly over its bundle's backbone (or give it whole to one of them in lots
with one unit per municipality). Each bundle has at least min_providers + 1 backbone providers per
zone, enough that nobody exceeds a lot's max_share, and no min_clients; max_contracts is at least
the backbone's size; task budgets, population rates and (optional) budget caps are set above the
witness's cost. All other providers are drawn freely (1–3 offers, neighbourhoods of 1–max_served
municipalities, a few national ones, some min_clients) and can only make the instance cheaper.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from solver.generate.catalogue import CATALOGUE, CareSpec
from solver.generate.lots import (
    make_lots,
    max_contracts_limit,
    set_budgets,
    set_lot_limits,
    set_open_house,
)
from solver.generate.providers import (
    assemble_providers,
    draw_free_providers,
    draw_incumbents,
    make_backbone,
    make_consortia,
    spread_incumbents,
)

ROAD_FACTOR = 1.25  # road distance / straight-line distance, roughly, in the Netherlands


def generate_region(
    *,
    providers: int,
    municipalities: int,
    seed: int,
    name: str | None = None,
    municipality_names: list[str] | None = None,
    youth_populations: list[int] | None = None,
    coordinates: list[tuple[float, float]] | None = None,
    care_types: list[str] | None = None,
    care_rate: float = 0.10,
    lot_funding: dict[str, str] | None = None,
    lot_names: dict[str, str] | None = None,
    lot_max_contracts: dict[str, int] | None = None,
    max_contracts: int | None = None,
    contract_share: float = 0.27,
    national_share: float = 0.02,
    max_served: int = 40,
    zone_size: int = 30,
    consortia: int | None = None,
    incumbent_share: float = 0.25,
    incumbent_clients: float | None = None,
    open_house: list[str] | None = None,
    min_clients_share: float = 0.15,
    transfer_cost: float = 1500.0,
    quality_weight: float = 0.0,
    cost_split: dict[str, Any] | None = None,
    budget_cap_slack: float | None = None,
    spacing_km: float = 12.0,
) -> dict[str, Any]:
    """Return raw SPEC §1 instance data (schema_version 1) for a seeded synthetic region.

    Required: `providers` (bidders, ≥ the backbone, see the module docstring), `municipalities`,
    `seed` (any int ≥ 0). Knobs, all keyword-only:

    - `name`: the instance name (default `region-<providers>x<municipalities>-s<seed>`).
    - `municipality_names`: names (ids are their slugs); default `Gemeente 0..` with ids `g000..`.
    - `youth_populations`: inhabitants aged 0–17 per municipality; default lognormal around 7,000,
      clipped to 2,000–60,000.
    - `coordinates`: (x, y) in km per municipality; default uniform in a square with `spacing_km`
      between neighbours. Access costs grow with road distance (`ROAD_FACTOR` × straight line).
    - `care_types`: ids from `CATALOGUE` to include (default all ten); lots without any are dropped.
    - `care_rate`: clients per youth inhabitant per year (default 0.10; the Achterhoek says 10.2%).
    - `lot_funding` `{lot: funding}`: override a lot's funding model (`LOT_DEFAULTS`); a task_based
      lot gets a task_budget 10% above the witness's care cost, rounded up to 10,000.
    - `lot_names` `{lot: name}`; `lot_max_contracts` `{lot: n}` (n ≥ that lot's backbone size).
    - `max_contracts`: policy limit; default max(⌈`contract_share` × providers⌉, backbone size).
    - `national_share`: fraction of the free providers that serve every municipality (0.02).
    - `max_served`: largest neighbourhood of a regional provider (40); `zone_size` (30): zone size.
    - `consortia`: number of consortia (default round(providers / 30)), each of 2–3 nearby free
      providers, costing more than its dearest member and less than all of them together.
    - `incumbent_share`: chance that an offer has clients in care today in one served municipality.
    - `incumbent_clients`: instead, about this share of every cell's clients is in care today,
      spread over the providers that offer the care and serve the municipality, within their
      capacity (`spread_incumbents`; the bundled regions use 2/3).
    - `open_house`: lots run as an Open House (SPEC §1: every bidder contracted, no lot
      max_contracts); `max_contracts` must then leave room for all their bidders.
    - `min_clients_share`: chance that a free provider's offer carries a min_clients.
    - `transfer_cost` (1500), `quality_weight` (0), `cost_split` (default mixed, usage_weight 0.5).
    - `budget_cap_slack`: if set (e.g. 1.5), each lot's budget_cap = that × the witness's payout.

    Raises ValueError for arguments that cannot give a valid, feasible instance.
    """
    _check_sizes(providers, municipalities, seed, max_served, zone_size)
    if incumbent_clients is not None and not 0 <= incumbent_clients <= 1:
        raise ValueError(f"incumbent_clients is a share in [0, 1], not {incumbent_clients}")
    rng = np.random.default_rng(seed)
    specs = _select_care_types(care_types)
    lots = make_lots(specs, lot_funding or {}, lot_names or {})
    mun_ids, mun_names = _municipality_labels(municipalities, municipality_names)
    youth = _youth(rng, municipalities, youth_populations)
    dist = _distances(rng, municipalities, coordinates, spacing_km)
    shares = np.array([s.share for s in specs])
    demand = rng.multinomial(np.rint(youth * care_rate).astype(np.int64), shares / shares.sum())

    zones = _zones(dist, min(zone_size, max_served))
    lot_of = [list(lots).index(s.lot) for s in specs]
    backbone = make_backbone(rng, zones, demand, youth, lots, lot_of)
    if backbone.count > providers:
        raise ValueError(
            f"{providers} providers are too few: a region of {municipalities} municipalities in "
            f"{len(zones)} zone(s) needs {backbone.count} backbone providers to be feasible"
        )
    free = draw_free_providers(
        rng,
        providers - backbone.count,
        youth,
        dist,
        demand,
        specs,
        national_share=national_share,
        max_served=max_served,
        min_clients_share=min_clients_share,
    )
    table = backbone.table.concat(free)
    table.draw_prices(rng, dist, specs, backbone.count)
    set_budgets(lots, backbone, table, youth, lot_of, budget_cap_slack)
    limit = max_contracts_limit(providers, max_contracts, contract_share, backbone)
    set_lot_limits(lots, lot_max_contracts or {}, backbone)
    set_open_house(lots, open_house or [], table, specs, backbone, limit)
    incumbents = draw_incumbents(rng, table, demand, incumbent_share)
    if incumbent_clients is not None:
        # its own stream: the rest of the region (consortia, ids) stays as `seed` draws it
        incumbents = spread_incumbents(
            np.random.default_rng([seed, 1]), table, demand, incumbent_clients
        )
    count = round(providers / 30) if consortia is None else consortia
    coops = make_consortia(rng, table, backbone.count, count, dist)

    order = rng.permutation(providers)
    return {
        "schema_version": 1,
        "name": name or f"region-{providers}x{municipalities}-s{seed}",
        "municipalities": [
            {"id": i, "name": n, "youth_population": int(y)}
            for i, n, y in zip(mun_ids, mun_names, youth, strict=True)
        ],
        "lots": [{"id": lot_id, **fields} for lot_id, fields in lots.items()],
        "care_types": [{"id": s.id, "name": s.name, "lot": s.lot} for s in specs],
        "demand": [
            {"municipality": mun_ids[m], "care_type": specs[c].id, "clients": int(demand[m, c])}
            for m, c in zip(*np.nonzero(demand), strict=True)
        ],
        **assemble_providers(table, order, mun_ids, specs, incumbents, coops, seed),
        "policy": {
            "max_contracts": limit,
            "transfer_cost": float(transfer_cost),
            "quality_weight": float(quality_weight),
            "cost_split": cost_split or {"rule": "mixed", "usage_weight": 0.5},
        },
    }


def dumps_instance(data: dict[str, Any]) -> str:
    """The one JSON text of an instance (indent 1, UTF-8 names): CLI and bundled files alike."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------------------------------
# The region


def _check_sizes(providers: int, municipalities: int, seed: int, served: int, zone: int) -> None:
    for label, value in (("providers", providers), ("municipalities", municipalities)):
        if value < 1:
            raise ValueError(f"{label} must be ≥ 1, not {value}")
    if seed < 0:
        raise ValueError(f"seed must be ≥ 0, not {seed}")
    if served < 1 or zone < 1:
        raise ValueError("max_served and zone_size must be ≥ 1")


def _select_care_types(wanted: list[str] | None) -> list[CareSpec]:
    if wanted is None:
        return list(CATALOGUE)
    known = {s.id: s for s in CATALOGUE}
    unknown = [w for w in wanted if w not in known]
    if unknown or not wanted or len(set(wanted)) != len(wanted):
        raise ValueError(f"care_types must be distinct ids from {sorted(known)}; got {wanted}")
    return [s for s in CATALOGUE if s.id in wanted]


def _municipality_labels(count: int, names: list[str] | None) -> tuple[list[str], list[str]]:
    if names is None:
        width = max(3, len(str(count - 1)))
        return [f"g{i:0{width}d}" for i in range(count)], [f"Gemeente {i}" for i in range(count)]
    if len(names) != count:
        raise ValueError(f"municipality_names has {len(names)} names for {count} municipalities")
    ids = ["".join(ch if ch.isalnum() else "-" for ch in n.lower()).strip("-") for n in names]
    if len(set(ids)) != count or not all(ids):
        raise ValueError(f"municipality_names must give distinct ids; got {ids}")
    return ids, list(names)


def _youth(rng: np.random.Generator, count: int, given: list[int] | None) -> np.ndarray:
    drawn = np.clip(np.rint(rng.lognormal(math.log(7000), 0.9, count)), 2000, 60000)
    if given is None:
        return drawn.astype(np.int64)
    if len(given) != count or any(int(y) != y or y < 0 for y in given):
        raise ValueError(f"youth_populations must be {count} whole numbers ≥ 0")
    return np.array(given, dtype=np.int64)


def _distances(
    rng: np.random.Generator, count: int, given: list[tuple[float, float]] | None, spacing: float
) -> np.ndarray:
    """Road distances in km between municipalities."""
    side = spacing * math.sqrt(count)
    xy = rng.uniform(0.0, side, (count, 2))
    if given is not None:
        if len(given) != count:
            raise ValueError(f"coordinates has {len(given)} points for {count} municipalities")
        xy = np.array(given, dtype=float)
    return ROAD_FACTOR * np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))


def _zones(dist: np.ndarray, size: int) -> list[np.ndarray]:
    """Compact groups of ≤ size municipalities, peeled off the edge of what is left."""
    size = math.ceil(len(dist) / math.ceil(len(dist) / size))  # balanced: 342 by 30 -> 12 of ≤ 29
    left = np.ones(len(dist), dtype=bool)
    zones = []
    while left.any():
        candidates = np.flatnonzero(left)
        # The most peripheral municipality left, with its nearest neighbours left.
        seed = candidates[np.argmax(dist[np.ix_(candidates, candidates)].sum(axis=1))]
        near = candidates[np.argsort(dist[seed, candidates], kind="stable")[:size]]
        left[near] = False
        zones.append(np.sort(near))
    return zones


# ----------------------------------------------------------------------------------------------
# Limits and budgets, all set above what the witness needs
