"""The four bundled instances (`instances/*.json`), defined as `generate_region` arguments.

Real municipality names; youth populations (0–17) and town coordinates are approximations (see
`instances/README.md` for what comes from the seed documents and what is synthetic). Every bundled
file is `dumps_instance(bundled_instance(name))`; `instances/build.py` rewrites them and a test
fails when they drift.
"""

from __future__ import annotations

import math
from typing import Any

from solver.generate.region import generate_region

# name: (approximate youth population 0–17, latitude, longitude of the main town)
_Town = tuple[str, int, float, float]

ACHTERHOEK: tuple[_Town, ...] = (
    ("Aalten", 5600, 51.925, 6.581),
    ("Berkelland", 8500, 52.105, 6.560),
    ("Bronckhorst", 6700, 52.050, 6.310),
    ("Doetinchem", 11400, 51.965, 6.290),
    ("Montferland", 7300, 51.935, 6.135),
    ("Oost Gelre", 6000, 52.010, 6.600),
    ("Oude IJsselstreek", 7800, 51.895, 6.385),
    ("Winterswijk", 5500, 51.972, 6.720),
)

EEMLAND: tuple[_Town, ...] = (
    ("Amersfoort", 34500, 52.156, 5.388),
    ("Baarn", 5000, 52.211, 5.287),
    ("Bunschoten", 5600, 52.243, 5.376),
    ("Leusden", 6800, 52.133, 5.431),
    ("Soest", 9300, 52.173, 5.291),
    ("Woudenberg", 3300, 52.081, 5.417),
    ("Eemnes", 2200, 52.254, 5.257),
)

# The twelve municipalities of the RIGG in 2019 (seed 000: "de 12 gemeenten"); since 2021
# Appingedam, Delfzijl and Loppersum form Eemsdelta, so the province now has ten.
GRONINGEN: tuple[_Town, ...] = (
    ("Groningen", 37000, 53.219, 6.567),
    ("Het Hogeland", 8900, 53.330, 6.520),
    ("Westerkwartier", 13500, 53.200, 6.360),
    ("Midden-Groningen", 11500, 53.165, 6.760),
    ("Appingedam", 2100, 53.321, 6.858),
    ("Delfzijl", 4300, 53.330, 6.918),
    ("Loppersum", 1800, 53.332, 6.748),
    ("Oldambt", 6500, 53.140, 7.035),
    ("Pekela", 2300, 53.100, 7.000),
    ("Stadskanaal", 5800, 52.990, 6.950),
    ("Veendam", 5200, 53.107, 6.877),
    ("Westerwolde", 4400, 52.995, 7.080),
)

TINY: tuple[_Town, ...] = (
    ("Noordveen", 2400, 52.10, 6.10),
    ("Middeldorp", 3600, 52.00, 6.15),
    ("Zuidhaven", 5200, 51.92, 6.05),
)


# A stated assumption, not a seed figure: about two thirds of the clients of each municipality
# and care type are in care at the tender's start with a provider the instance records (the rest
# start care during the year), spread over today's providers within their capacity.
TODAY = 2 / 3


def _towns(towns: tuple[_Town, ...]) -> dict[str, Any]:
    """Names, youth and (x, y) in km from the first town (equirectangular; fine at this scale)."""
    lat0, lon0 = towns[0][2], towns[0][3]
    scale = 111.32 * math.cos(math.radians(lat0))
    return {
        "municipalities": len(towns),
        "municipality_names": [t[0] for t in towns],
        "youth_populations": [t[1] for t in towns],
        "coordinates": [((lon - lon0) * scale, (lat - lat0) * 110.57) for _, _, lat, lon in towns],
    }


BUNDLED: dict[str, dict[str, Any]] = {
    # Seed 004: 8 municipalities, 221 contracted providers, aim of about 60 contracts, 3 lump-sum
    # lots and 1 small population-based lot, ~6,000 young people in care = 10.2% of the youth.
    "achterhoek": {
        **_towns(ACHTERHOEK),
        "providers": 221,
        "seed": 2020,
        "care_rate": 0.102,
        "lot_funding": {"specialistisch": "lump_sum"},
        "max_contracts": 60,
        "transfer_cost": 1500.0,
        "incumbent_clients": TODAY,
        "cost_split": {"rule": "mixed", "usage_weight": 0.5},
    },
    # Seed 001: jeugdregio Eemland moves specialist care to a task-based regional budget with a
    # limited number of providers; the provider count and the limits are synthetic.
    "eemland": {
        **_towns(EEMLAND),
        "providers": 140,
        "seed": 2021,
        "lot_funding": {"specialistisch": "task_based"},
        "lot_names": {"specialistisch": "Specialistische jeugdhulp (taakgericht budget)"},
        "lot_max_contracts": {"specialistisch": 8},
        "transfer_cost": 1500.0,
        "incumbent_clients": TODAY,
        "cost_split": {
            "rule": "mixed",
            "usage_weight": 0.5,
            "by_lot": {"specialistisch": {"rule": "usage"}},
        },
    },
    # Seeds 000 and 003: the Groningen municipalities buy through an Open House (p×q) that stays
    # as a safety net, and fund basic youth care with a lump sum; provider count is synthetic.
    # The Open House contracts every bidder of its lot, so max_contracts (synthetic, "veel
    # minder" than 300) leaves room for them; the selective tender of the same lot is
    # `--set lots[specialistisch].open_house=false --set policy.max_contracts=81`.
    "groningen": {
        **_towns(GRONINGEN),
        "providers": 300,
        "seed": 2022,
        "open_house": ["specialistisch"],
        "max_contracts": 150,
        "lot_names": {
            "specialistisch": "Open House specialistische jeugdhulp (p×q)",
            "ambulant": "Basisjeugdhulp (lump sum)",
        },
        "transfer_cost": 1500.0,
        "incumbent_clients": TODAY,
        "cost_split": {
            "rule": "mixed",
            "usage_weight": 0.5,
            "by_lot": {"verblijf": {"rule": "population"}},
        },
    },
    # Invented: small enough to read whole and to solve at once.
    "tiny": {
        **_towns(TINY),
        "providers": 8,
        "seed": 7,
        "care_types": ["begeleiding", "behandeling", "pleegzorg", "crisis"],
        "consortia": 1,
        "incumbent_clients": TODAY,
        "transfer_cost": 1500.0,
    },
}


def bundled_instance(name: str) -> dict[str, Any]:
    """The raw instance data of bundled instance `name` (a key of `BUNDLED`)."""
    if name not in BUNDLED:
        raise ValueError(f"unknown bundled instance {name!r}; known: {sorted(BUNDLED)}")
    return generate_region(name=name, **BUNDLED[name])


# Seed 004: "drie jaar, met twee keer twee jaar verlenging" → terms of 3, 2 and 2 years. Demand
# growing 3 % a year is an assumption (Eemland's seed names "een groeiend beroep op jeugdhulp"),
# not a seed figure; prices, capacities and budgets stay as bid.
GROWTH = 0.03
TERMS_3_2_2 = ("1", "1", "1", "2", "2", "3", "3")
HORIZONS: dict[str, tuple[str, dict[str, Any]]] = {
    "achterhoek-horizon": (
        "achterhoek",
        {
            "periods": [
                {"id": f"year-{t + 1}", "term": term, "demand_factor": round((1 + GROWTH) ** t, 6)}
                for t, term in enumerate(TERMS_3_2_2)
            ]
        },
    ),
}


def horizon_instance(name: str) -> dict[str, Any]:
    """The raw data of bundled horizon instance `name`: a bundled region with a horizon."""
    if name not in HORIZONS:
        raise ValueError(f"unknown bundled horizon instance {name!r}; known: {sorted(HORIZONS)}")
    base, horizon = HORIZONS[name]
    return {**bundled_instance(base), "name": name, "horizon": horizon}
