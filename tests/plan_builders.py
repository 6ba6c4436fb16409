"""Tiny hand-made instances and plans for the costs, payouts and split tests."""

from __future__ import annotations

from collections import Counter
from typing import Any

from solver.instance import Instance
from solver.result import Assignment, Contract
from tests.builders import build_instance


def provider(
    pid: str,
    contract_cost: float,
    offers: dict[str, float | tuple[float, float]],
    *,
    municipalities: list[str] | None = None,
    access: dict[str, float] | None = None,
    incumbent: list[tuple[str, str, int]] | None = None,
) -> dict[str, Any]:
    """A provider; offers map care type -> price or (price, quality); capacity is ample."""
    out: dict[str, Any] = {"id": pid, "contract_cost": contract_cost, "offers": []}
    for care, bid in offers.items():
        price, quality = bid if isinstance(bid, tuple) else (bid, None)
        offer: dict[str, Any] = {"care_type": care, "capacity": 10_000, "price": price}
        if quality is not None:
            offer["quality"] = quality
        out["offers"].append(offer)
    if municipalities is not None:
        out["municipalities"] = municipalities
    if access:
        out["access_cost"] = access
    if incumbent:
        out["incumbent"] = [
            {"municipality": m, "care_type": c, "clients": k} for m, c, k in incumbent
        ]
    return out


def build(
    populations: dict[str, int],
    lots: list[dict[str, Any]],
    care_types: dict[str, str],
    providers: list[dict[str, Any]],
    *,
    assignments: list[Assignment] = (),  # type: ignore[assignment]
    consortia: list[dict[str, Any]] | None = None,
    policy: dict[str, Any] | None = None,
) -> Instance:
    """An instance whose demand is exactly what `assignments` serve."""
    demand: Counter[tuple[str, str]] = Counter()
    for a in assignments:
        demand[(a.municipality, a.care_type)] += a.clients
    return build_instance(
        name="hand-made",
        municipalities=populations,
        lots=lots,
        care_types=care_types,
        demand=demand,
        providers=providers,
        consortia=consortia,
        policy=policy,
    )


def contract(unit: str, *care_types: str) -> Contract:
    """A contract for `unit`."""
    return Contract(unit=unit, care_types=list(care_types))


def assign(
    unit: str, municipality: str, care_type: str, clients: int, provider: str = ""
) -> Assignment:
    """Clients of (municipality, care type) to `provider` (default: the unit itself)."""
    return Assignment(
        unit=unit,
        provider=provider or unit,
        municipality=municipality,
        care_type=care_type,
        clients=clients,
    )
