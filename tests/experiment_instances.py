"""Tiny hand-built instances for the analyst experiments, some infeasible in one known way.

Every infeasible one passes the cheap pre-checks of `solver.infeasibility.precheck` (asserted in
the tests), so that only the deletion filter of `solver.infeasibility.explain` can say what clashes.
"""

from __future__ import annotations

from typing import Any

import pytest

from solver.instance import Instance, load_instance
from tests.builders import build_instance
from tests.conftest import SHARED


def conformance(name: str) -> Instance:
    """A conformance instance from shared/, or skip when shared/ is not beside the repo."""
    path = SHARED / "conformance" / f"{name}.json"
    if not path.exists():
        pytest.skip(f"{path} not found: shared/ must sit beside the repo")
    return load_instance(path)


def offer(care: str, capacity: int, price: float, **extra: Any) -> dict[str, Any]:
    """One offer."""
    return {"care_type": care, "capacity": capacity, "price": price, **extra}


def instance(
    *,
    providers: list[dict[str, Any]],
    demand: dict[tuple[str, str], int],
    lots: list[dict[str, Any]] | None = None,
    care_types: dict[str, str] | None = None,
    municipalities: dict[str, int] | None = None,
    policy: dict[str, Any] | None = None,
    consortia: list[dict[str, Any]] | None = None,
) -> Instance:
    """An instance; by default one fee-for-service lot `L` with one care type `c`."""
    return build_instance(
        name="tiny",
        municipalities=municipalities or {m: 1000 for m, _ in demand},
        lots=lots or [{"id": "L", "funding": "fee_for_service"}],
        care_types=care_types or {"c": "L"},
        demand=demand,
        providers=providers,
        consortia=consortia,
        policy=policy,
    )


def provider(pid: str, cost: float, offers: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """One provider."""
    return {"id": pid, "contract_cost": cost, "offers": offers, **extra}


def coverage_grid(max_contracts: int | None = None) -> Instance:
    """Two care types in three municipalities; providers cover different parts at different cost.

    Provider a alone covers everything; small enough for an exhaustive check over contract sets.
    """
    providers = [
        provider("a", 100, [offer("c", 50, 10), offer("d", 50, 30)]),
        provider("b", 60, [offer("c", 50, 8)], municipalities=["m1", "m2"]),
        provider("e", 60, [offer("d", 50, 9)], municipalities=["m2", "m3"]),
        provider("f", 80, [offer("c", 50, 7), offer("d", 50, 8)], municipalities=["m1", "m3"]),
        provider("g", 40, [offer("d", 50, 12)], municipalities=["m1"]),
    ]
    demand = {("m1", "c"): 5, ("m2", "c"): 4, ("m3", "c"): 3, ("m1", "d"): 2, ("m3", "d"): 6}
    return instance(
        providers=providers,
        demand=demand,
        care_types={"c": "L", "d": "L"},
        policy={"max_contracts": max_contracts} if max_contracts is not None else {},
    )


def planted_max_share() -> Instance:
    """max_contracts 3 against max_share 0.3: 10 clients need 4 units of at most 3 clients each."""
    providers = [provider(p, 10, [offer("c", 10, 5)]) for p in ("p1", "p2", "p3", "p4", "p5")]
    return instance(
        providers=providers,
        demand={("m1", "c"): 10},
        lots=[{"id": "L", "funding": "fee_for_service", "max_share": 0.3}],
        policy={"max_contracts": 3},
    )


def planted_budget_cap() -> Instance:
    """The cheap provider's capacity is short, so care costs €1,500 against a cap of €1,200."""
    providers = [
        provider("cheap", 0, [offer("c", 5, 100)]),
        provider("dear", 0, [offer("c", 10, 200)]),
    ]
    return instance(
        providers=providers,
        demand={("m1", "c"): 10},
        lots=[{"id": "L", "funding": "fee_for_service", "budget_cap": 1200}],
    )


def planted_units_per_municipality() -> Instance:
    """One area team per municipality, but no provider has the capacity for its 10 clients."""
    providers = [provider(p, 0, [offer("c", 6, 10)]) for p in ("p1", "p2")]
    return instance(
        providers=providers,
        demand={("m1", "c"): 10, ("m2", "c"): 2},
        lots=[{"id": "L", "funding": "fee_for_service", "max_units_per_municipality": 1}],
    )
