"""Compare two results: contracts won and lost, per-municipality cost deltas, clients moved.

Municipality amounts come from each result's cost split (SPEC §5); with the instance, the care
cost of each municipality's own clients is compared too (SPEC §3, from the assignments).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from solver.instance import Instance, read_json
from solver.result import Result, parse_result


def load_result(path: str | Path) -> Result:
    """Read a result JSON file, or raise `InvalidInput` naming what is wrong."""
    return parse_result(read_json(path, "result"))


def _care_by_municipality(instance: Instance, result: Result) -> dict[str, float]:
    """Care cost (price + access) of each municipality's clients in `result`."""
    price = {(p.id, o.care_type): o.price for p in instance.providers for o in p.offers}
    access = {p.id: p.access_cost for p in instance.providers}
    out: defaultdict[str, float] = defaultdict(float, {m.id: 0.0 for m in instance.municipalities})
    for a in result.assignments:
        per_client = price.get((a.provider, a.care_type), 0.0)
        per_client += access.get(a.provider, {}).get(a.municipality, 0.0)
        out[a.municipality] += a.clients * per_client
    return dict(out)


def _placement(result: Result) -> Counter[tuple[str, str, str]]:
    """Clients per (provider, municipality, care type)."""
    out: Counter[tuple[str, str, str]] = Counter()
    for a in result.assignments:
        out[(a.provider, a.municipality, a.care_type)] += a.clients
    return out


def compare(a: Result, b: Result, instance: Instance | None = None) -> dict[str, Any]:
    """What changes from plan A to plan B."""
    units_a = {c.unit: set(c.care_types) for c in a.contracts}
    units_b = {c.unit: set(c.care_types) for c in b.contracts}
    changed = {
        u: {"won": sorted(units_b[u] - units_a[u]), "lost": sorted(units_a[u] - units_b[u])}
        for u in sorted(units_a.keys() & units_b.keys())
        if units_a[u] != units_b[u]
    }
    place_a, place_b = _placement(a), _placement(b)
    moved = sum(max(0, n - place_b.get(key, 0)) for key, n in place_a.items())
    per_mun: dict[str, dict[str, float | None]] = {}
    split_a = {x.municipality: x.amount for x in (a.cost_split.amounts if a.cost_split else [])}
    split_b = {x.municipality: x.amount for x in (b.cost_split.amounts if b.cost_split else [])}
    care_a = _care_by_municipality(instance, a) if instance else {}
    care_b = _care_by_municipality(instance, b) if instance else {}
    for m in dict.fromkeys([*split_a, *split_b, *care_a, *care_b]):
        row: dict[str, float | None] = {
            "pays_a": split_a.get(m),
            "pays_b": split_b.get(m),
            "pays_delta": _delta(split_a.get(m), split_b.get(m)),
        }
        if instance is not None:
            row |= {
                "care_a": care_a.get(m),
                "care_b": care_b.get(m),
                "care_delta": _delta(care_a.get(m), care_b.get(m)),
            }
        per_mun[m] = row
    return {
        "status": [a.status.value, b.status.value],
        "costs": _costs(a, b),
        "objective": [a.objective, b.objective, _delta(a.objective, b.objective)],
        "regional_cost": [
            a.regional_cost,
            b.regional_cost,
            _delta(a.regional_cost, b.regional_cost),
        ],
        "contracts": [len(a.contracts), len(b.contracts)],
        "won": sorted(units_b.keys() - units_a.keys()),
        "lost": sorted(units_a.keys() - units_b.keys()),
        "care_types_changed": changed,
        "clients_moved": moved,
        "clients": [sum(place_a.values()), sum(place_b.values())],
        "municipalities": per_mun,
    }


_COST_LINES = ("contract_cost", "care_cost", "payouts", "transfer_cost")


def _costs(a: Result, b: Result) -> dict[str, list[float | None]]:
    """Line by line: each part of the regional cost (SPEC §4), [A, B, B − A]."""
    out: dict[str, list[float | None]] = {}
    for name in _COST_LINES:
        x = None if a.costs is None else getattr(a.costs, name)
        y = None if b.costs is None else getattr(b.costs, name)
        out[name] = [x, y, _delta(x, y)]
    out["regional_cost"] = [
        a.regional_cost,
        b.regional_cost,
        _delta(a.regional_cost, b.regional_cost),
    ]
    return out


def format_care_change(unit: str, change: dict[str, list[str]]) -> str:
    """'a040: +crisis −pleegzorg': the care types a unit won and lost, only the parts that exist."""
    parts = [f"+{', '.join(change['won'])}"] if change["won"] else []
    if change["lost"]:
        parts.append(f"−{', '.join(change['lost'])}")
    return f"{unit}: {' '.join(parts)}"


def _delta(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else y - x
