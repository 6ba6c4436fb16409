"""The one place tests write a SPEC §1 instance dict from its parts.

The test modules keep their own short builders (each suits its tests' shape of data), and all of
them end here, so a change to the instance format is made once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from solver.instance import Instance, parse_instance


def raw_instance(
    *,
    municipalities: Mapping[str, int],
    lots: list[dict[str, Any]],
    care_types: Mapping[str, str],
    demand: Mapping[tuple[str, str], int],
    providers: list[dict[str, Any]],
    consortia: list[dict[str, Any]] | None = None,
    policy: dict[str, Any] | None = None,
    name: str = "test",
) -> dict[str, Any]:
    """The raw instance: municipalities id → youth population, care types id → lot,
    demand (municipality, care type) → clients."""
    return {
        "schema_version": 1,
        "name": name,
        "municipalities": [{"id": m, "youth_population": p} for m, p in municipalities.items()],
        "lots": lots,
        "care_types": [{"id": c, "lot": lot} for c, lot in care_types.items()],
        "demand": [
            {"municipality": m, "care_type": c, "clients": k} for (m, c), k in demand.items()
        ],
        "providers": providers,
        "consortia": consortia or [],
        "policy": policy or {},
    }


def build_instance(**parts: Any) -> Instance:
    """`raw_instance(**parts)`, validated."""
    return parse_instance(raw_instance(**parts))
