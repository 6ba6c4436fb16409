"""Hypothesis: random small regions solve to checked results, and all backends agree.

`solve` runs the independent checker on every plan it returns, so a plan that breaks a rule
fails here as `CheckFailed`. Statuses must agree, and objectives to 1e-6 relative.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.instance import parse_instance
from solver.options import SolveOptions
from solver.result import Status
from solver.solve import solve
from tests.conftest import BACKENDS

FUNDINGS = ["fee_for_service", "lump_sum", "task_based", "population_based"]


@st.composite
def regions(draw: st.DrawFn) -> dict[str, Any]:
    """A raw instance: 1–3 municipalities, 1–3 care types in 1–2 lots, 2–5 providers."""
    n_m = draw(st.integers(1, 3))
    muns = [f"m{i}" for i in range(n_m)]
    n_lots = draw(st.integers(1, 2))
    lots = []
    for li in range(n_lots):
        funding = draw(st.sampled_from(FUNDINGS))
        lot: dict[str, Any] = {
            "id": f"L{li}",
            "funding": funding,
            "min_providers": draw(st.integers(1, 2)),
        }
        if funding == "task_based":
            lot["task_budget"] = float(draw(st.integers(500, 5000)))
        if funding == "population_based":
            lot["population_rate"] = float(draw(st.integers(1, 20)))
        if funding == "lump_sum":
            lot["risk_margin"] = draw(st.sampled_from([0.0, 0.05]))
        if draw(st.booleans()):
            lot["max_share"] = draw(st.sampled_from([0.5, 0.75, 1.0]))
        if draw(st.booleans()):
            lot["max_units_per_municipality"] = draw(st.integers(1, 2))
        lots.append(lot)
    cares = [f"c{i}" for i in range(draw(st.integers(1, 3)))]
    care_types = [{"id": c, "lot": f"L{draw(st.integers(0, n_lots - 1))}"} for c in cares]
    demand = [
        {"municipality": m, "care_type": c, "clients": draw(st.integers(0, 8))}
        for m in muns
        for c in cares
    ]
    providers = []
    for pi in range(draw(st.integers(2, 5))):
        offered = draw(
            st.lists(st.sampled_from(cares), min_size=1, max_size=len(cares), unique=True)
        )
        serves = draw(
            st.one_of(st.none(), st.lists(st.sampled_from(muns), min_size=1, unique=True))
        )
        provider: dict[str, Any] = {
            "id": f"p{pi}",
            "contract_cost": float(draw(st.integers(0, 300))),
            "municipalities": serves,
            "offers": [
                {
                    "care_type": c,
                    "capacity": draw(st.integers(0, 20)),
                    "price": float(draw(st.integers(0, 100))),
                    "min_clients": draw(st.sampled_from([0, 0, 2])),
                    "quality": draw(st.sampled_from([0.0, 0.5, 1.0])),
                }
                for c in offered
            ],
            "access_cost": {
                m: float(draw(st.integers(0, 20))) for m in muns if draw(st.booleans())
            },
        }
        if draw(st.booleans()):
            provider["incumbent"] = [
                {"municipality": draw(st.sampled_from(muns)), "care_type": offered[0],
                 "clients": draw(st.integers(1, 4))}
            ]  # fmt: skip
        providers.append(provider)
    consortia = []
    if draw(st.booleans()):
        consortia.append({"id": "k0", "lead": "p0", "members": ["p0", "p1"], "contract_cost": 50.0})
    policy: dict[str, Any] = {
        "transfer_cost": float(draw(st.sampled_from([0, 30]))),
        "quality_weight": float(draw(st.sampled_from([0, 10]))),
    }
    if draw(st.booleans()):
        policy["max_contracts"] = draw(st.integers(1, 4))
    return {
        "schema_version": 1,
        "name": "random",
        "municipalities": [{"id": m, "youth_population": draw(st.integers(0, 300))} for m in muns],
        "lots": lots,
        "care_types": care_types,
        "demand": demand,
        "providers": providers,
        "consortia": consortia,
        "policy": policy,
    }


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(raw=regions())
def test_backends_agree_on_random_regions(raw: dict[str, Any]) -> None:
    instance = parse_instance(raw)
    results = {
        b: solve(instance, options=SolveOptions(backend=b, time_limit_s=30)) for b in BACKENDS
    }
    statuses = {b: r.status for b, r in results.items()}
    assert len(set(statuses.values())) == 1, statuses
    first = results["highs"]
    if first.status is Status.OPTIMAL:
        for backend, result in results.items():
            assert result.objective == pytest.approx(first.objective, rel=1e-6, abs=1e-6), backend
    else:
        assert first.status is Status.INFEASIBLE and first.explanation
