"""One tiny hand-made instance per SPEC rule, its optimum computed by hand, on every backend.

Unless said otherwise: one municipality m1, one care type c in lot L, demand 10 clients.
Objective = contract cost + Σ clients × (price + access) + transfer × moved − quality bonus.
"""

from __future__ import annotations

from typing import Any

import pytest

from solver.instance import Instance
from solver.options import SolveOptions
from solver.result import Status
from solver.solve import solve
from tests.builders import build_instance
from tests.conftest import BACKENDS


def offer(cap: int, price: float, **extra: Any) -> dict[str, Any]:
    return {"capacity": cap, "price": price, **extra}


def provider(ident: str, cost: float, offers: dict[str, dict[str, Any]], **extra: Any) -> dict:
    return {
        "id": ident,
        "contract_cost": cost,
        "offers": [{"care_type": c, **o} for c, o in offers.items()],
        **extra,
    }


def region(
    providers: list[dict],
    *,
    lot: dict[str, Any] | None = None,
    demand: dict[tuple[str, str], int] | None = None,
    care_types: tuple[str, ...] = ("c",),
    population: dict[str, int] | None = None,
    consortia: list[dict] | None = None,
    policy: dict[str, Any] | None = None,
) -> Instance:
    return build_instance(
        name="rule",
        municipalities=population or {"m1": 1000},
        lots=[{"id": "L", "funding": "fee_for_service", **(lot or {})}],
        care_types=dict.fromkeys(care_types, "L"),
        demand=demand or {("m1", "c"): 10},
        providers=providers,
        consortia=consortia,
        policy=policy,
    )


A = provider("A", 50, {"c": offer(10, 100)})
B = provider("B", 200, {"c": offer(10, 90)})
CONSORTIUM = [{"id": "K", "lead": "A", "members": ["A", "B"], "contract_cost": 30}]

CASES: dict[str, tuple[Instance, float]] = {
    # A: 50 + 10×100 = 1050; B: 200 + 10×90 = 1100
    "cheapest": (region([A, B]), 1050.0),
    # A alone and C alone lack capacity; A+C: 50+100 + 6×100 + 4×80 = 1070 < B 1100
    "capacity": (
        region([provider("A", 50, {"c": offer(6, 100)}), B,
                provider("C", 100, {"c": offer(4, 80)})]),
        1070.0,
    ),
    # B would take 5 at 50, but its contract needs ≥ 6 clients and it has room for 5: A only
    "min_clients": (
        region([provider("A", 0, {"c": offer(10, 100)}),
                provider("B", 0, {"c": offer(5, 50, min_clients=6)})]),
        1000.0,
    ),
    # two units must be able to serve m1: both contracted, clients to the cheaper B
    "coverage": (region([A, B], lot={"min_providers": 2}), 50 + 200 + 900.0),
    # the consortium contracts once (30) and its member B delivers at 90
    "consortium": (region([A, B], consortia=CONSORTIUM), 30 + 900.0),
    # k = 2: K and A together would be 980, but A cannot be in two contracted units
    "one_unit_per_provider": (
        region([A, B], lot={"min_providers": 2}, consortia=CONSORTIUM),
        1150.0,
    ),
    # specialists A (c1) and B (c2) cost 10 + 10 + 20×50 = 1020; one contract forces G: 10 + 20×80
    "max_contracts": (
        region(
            [provider("A", 10, {"c1": offer(10, 50)}), provider("B", 10, {"c2": offer(10, 50)}),
             provider("G", 10, {"c1": offer(10, 80), "c2": offer(10, 80)})],
            care_types=("c1", "c2"), demand={("m1", "c1"): 10, ("m1", "c2"): 10},
            policy={"max_contracts": 1},
        ),
        1610.0,
    ),
    "lot_max_contracts": (
        region(
            [provider("A", 10, {"c1": offer(10, 50)}), provider("B", 10, {"c2": offer(10, 50)}),
             provider("G", 10, {"c1": offer(10, 80), "c2": offer(10, 80)})],
            care_types=("c1", "c2"), demand={("m1", "c1"): 10, ("m1", "c2"): 10},
            lot={"max_contracts": 1},
        ),
        1610.0,
    ),
    # unlimited: 6×50 + 4×100 = 700; one unit per municipality: only A can take all 10
    "max_units_per_municipality": (
        region([provider("A", 0, {"c": offer(10, 100)}), provider("B", 0, {"c": offer(6, 50)})],
               lot={"max_units_per_municipality": 1}),
        1000.0,
    ),
    # no unit above half of the lot's clients: 5×50 + 5×100
    "max_share": (
        region([provider("A", 0, {"c": offer(10, 50)}), provider("B", 0, {"c": offer(10, 100)})],
               lot={"max_share": 0.5}),
        750.0,
    ),
    # A would pay out 1000 > cap 950; B pays out 900: objective 500 + 900
    "budget_cap": (
        region([provider("A", 0, {"c": offer(10, 100)}), provider("B", 500, {"c": offer(10, 90)})],
               lot={"budget_cap": 950}),
        1400.0,
    ),
    # lump sum: A 1000 × 1.1 = 1100 > 1050; B 900 × 1.1 = 990
    "lump_sum_margin_cap": (
        region([provider("A", 0, {"c": offer(10, 100)}), provider("B", 500, {"c": offer(10, 90)})],
               lot={"funding": "lump_sum", "risk_margin": 0.1, "budget_cap": 1050}),
        1400.0,
    ),
    # care cost must fit the task budget 950: A's 1000 does not
    "task_budget": (
        region([provider("A", 0, {"c": offer(10, 100)}), provider("B", 500, {"c": offer(10, 90)})],
               lot={"funding": "task_based", "task_budget": 950}),
        1400.0,
    ),
    # population budget of m1 = 1.0 × 950 youth: A's care 1000 does not fit
    "population_budget": (
        region([provider("A", 0, {"c": offer(10, 100)}), provider("B", 500, {"c": offer(10, 90)})],
               lot={"funding": "population_based", "population_rate": 1.0},
               population={"m1": 950}),
        1400.0,
    ),
    # A keeps its 4 clients: 100 + 1000; B all: 100 + 900 + 4 moved × 50 = 1200; both 1140
    "transfer_cost": (
        region([provider("A", 100, {"c": offer(10, 100)},
                         incumbent=[{"municipality": "m1", "care_type": "c", "clients": 4}]),
                provider("B", 100, {"c": offer(10, 90)})],
               policy={"transfer_cost": 50}),
        1100.0,
    ),
    # quality 1 vs 0 at 20 per point per client: A 1000 − 200 = 800 < B 900
    "quality_weight": (
        region([provider("A", 0, {"c": offer(10, 100, quality=1.0)}),
                provider("B", 0, {"c": offer(10, 90, quality=0.0)})],
               policy={"quality_weight": 20}),
        800.0,
    ),
    # A's 20 per client to reach m1 makes it 1200 against B's 1100
    "access_cost": (
        region([provider("A", 0, {"c": offer(10, 100)}, access_cost={"m1": 20}),
                provider("B", 0, {"c": offer(10, 110)})]),
        1100.0,
    ),
    # population-based: m2 has no clients but needs an area team, only B serves it
    "population_coverage": (
        region([provider("A", 0, {"c": offer(10, 50)}, municipalities=["m1"]),
                provider("B", 100, {"c": offer(10, 80)})],
               lot={"funding": "population_based", "population_rate": 1000.0},
               population={"m1": 100, "m2": 100}),
        100 + 500.0,
    ),
}  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", list(CASES))
def test_rule_optimum(case: str, backend: str) -> None:
    instance, optimum = CASES[case]
    result = solve(instance, options=SolveOptions(backend=backend, time_limit_s=30))
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(optimum, rel=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_infeasibility_only_the_solver_can_prove(backend: str) -> None:
    # Capacity 12 ≥ 10 and two providers pass every pre-check, but one unit per municipality
    # cannot carry 10 clients with room for 6.
    instance = region(
        [provider("A", 0, {"c": offer(6, 100)}), provider("B", 0, {"c": offer(6, 50)})],
        lot={"max_units_per_municipality": 1},
    )
    result = solve(instance, options=SolveOptions(backend=backend, time_limit_s=30))
    assert result.status is Status.INFEASIBLE
    assert result.explanation
    assert not result.contracts and not result.assignments


def test_consortium_plan_names_unit_and_member() -> None:
    instance, _ = CASES["consortium"]
    result = solve(instance)
    assert [c.unit for c in result.contracts] == ["K"]
    assert {(a.unit, a.provider, a.clients) for a in result.assignments} == {("K", "B", 10)}


def test_pre_checks_name_the_cell() -> None:
    instance = region(
        [provider("A", 0, {"c": offer(4, 100)}), provider("B", 0, {"c": offer(5, 90)})]
    )
    result = solve(instance)
    assert result.status is Status.INFEASIBLE
    assert result.explanation == [
        "demand for c in m1 is 10 clients; the providers that can serve it have capacity 9 together"
    ]


def test_coverage_pre_check_names_providers() -> None:
    instance = region([A, B], lot={"min_providers": 3})
    result = solve(instance)
    assert result.status is Status.INFEASIBLE
    assert "c in m1 needs 3 contracted providers" in result.explanation[0]
    assert "A, B" in result.explanation[0]
