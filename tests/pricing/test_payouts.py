"""SPEC §4 budgets per funding model, with amounts computed by hand (DECISIONS 2–5)."""

from __future__ import annotations

import pytest

from solver.pricing.payouts import lot_payouts, unit_budgets
from solver.result import Budget
from tests.plan_builders import assign, build, contract, provider


def amounts(budgets: list[Budget]) -> list[tuple[str, str, float]]:
    return [(b.unit, b.lot, b.amount) for b in budgets]


def two_units(lot: dict, prices: tuple[float, float], plan, access=None):
    """Providers P and Q both offering c1 of `lot`, both contracted."""
    instance = build(
        {"A": 100, "B": 300},
        [lot],
        {"c1": lot["id"]},
        [
            provider("P", 10, {"c1": prices[0]}, access=access),
            provider("Q", 20, {"c1": prices[1]}),
        ],
        assignments=plan,
    )
    return unit_budgets(instance, [contract("Q", "c1"), contract("P", "c1")], plan)


def test_fee_for_service_pays_care_cost_including_access():
    plan = [assign("P", "A", "c1", 2), assign("P", "B", "c1", 1), assign("Q", "B", "c1", 4)]
    budgets = two_units({"id": "L", "funding": "fee_for_service"}, (10, 30), plan, access={"B": 5})
    # P: 2 × 10 + 1 × (10 + 5) = 35; Q: 4 × 30 = 120; order P, Q (instance order)
    assert amounts(budgets) == [
        ("P", "L", pytest.approx(35)),
        ("Q", "L", pytest.approx(120)),
    ]
    assert {b.funding for b in budgets} == {"fee_for_service"}


def test_lump_sum_adds_the_risk_margin():
    plan = [assign("P", "A", "c1", 20), assign("Q", "B", "c1", 1)]
    lot = {"id": "L", "funding": "lump_sum", "risk_margin": 0.1}
    budgets = two_units(lot, (10, 30), plan)
    # P: 200 × 1.1 = 220; Q: 30 × 1.1 = 33
    assert amounts(budgets) == [("P", "L", pytest.approx(220)), ("Q", "L", pytest.approx(33))]


def test_lump_sum_without_margin_is_care_cost():
    plan = [assign("P", "A", "c1", 3)]
    budgets = two_units({"id": "L", "funding": "lump_sum"}, (10, 30), plan)
    # P: 30; Q contracted without clients: 0, still listed
    assert amounts(budgets) == [("P", "L", pytest.approx(30)), ("Q", "L", 0.0)]


def test_task_based_hands_out_the_budget_pro_rata_care_cost():
    plan = [assign("P", "A", "c1", 30), assign("Q", "B", "c1", 5)]
    lot = {"id": "L", "funding": "task_based", "task_budget": 1000}
    budgets = two_units(lot, (10, 20), plan)
    # care P 300, Q 100, lot 400: P 1000 × 300/400 = 750, Q 250
    assert amounts(budgets) == [("P", "L", pytest.approx(750)), ("Q", "L", pytest.approx(250))]


def test_task_based_with_zero_care_cost_goes_pro_rata_clients():
    plan = [assign("P", "A", "c1", 3), assign("Q", "B", "c1", 1)]
    lot = {"id": "L", "funding": "task_based", "task_budget": 1000}
    budgets = two_units(lot, (0, 0), plan)
    # care(l) = 0 but 4 clients: P 1000 × 3/4 = 750, Q 1000 × 1/4 = 250
    assert amounts(budgets) == [("P", "L", pytest.approx(750)), ("Q", "L", pytest.approx(250))]


def test_task_based_without_clients_pays_nothing():
    lot = {"id": "L", "funding": "task_based", "task_budget": 1000}
    budgets = two_units(lot, (10, 20), [])
    assert amounts(budgets) == [("P", "L", 0.0), ("Q", "L", 0.0)]
    assert lot_payouts(budgets) == {"L": 0.0}


def population_instance(plan, *, consortia=None, extra_providers=()):
    """Rate 20 per youth inhabitant; P serves all, Q serves A, B and D only."""
    return build(
        {"A": 100, "B": 300, "C": 50, "D": 10},
        [{"id": "G", "funding": "population_based", "population_rate": 20}],
        {"g": "G"},
        [
            provider("P", 0, {"g": 10}),
            provider("Q", 0, {"g": 10}, municipalities=["A", "B", "D"]),
            *extra_providers,
        ],
        assignments=plan,
        consortia=consortia,
    )


def test_population_based_shares_and_equal_split_without_clients():
    plan = [
        assign("P", "A", "g", 2),
        assign("Q", "A", "g", 2),
        assign("P", "B", "g", 1),
        assign("Q", "B", "g", 3),
    ]
    instance = population_instance(plan)
    budgets = unit_budgets(instance, [contract("P", "g"), contract("Q", "g")], plan)
    # A: 20 × 100 = 2000, half each -> P 1000, Q 1000
    # B: 20 × 300 = 6000, P 1/4 -> 1500, Q 3/4 -> 4500
    # C: no clients, 20 × 50 = 1000, only P can serve C -> P 1000
    # D: no clients, 20 × 10 = 200, P and Q can serve D -> 100 each
    # P = 1000 + 1500 + 1000 + 100 = 3600; Q = 1000 + 4500 + 100 = 5600
    assert amounts(budgets) == [("P", "G", pytest.approx(3600)), ("Q", "G", pytest.approx(5600))]
    # the lot pays rate × all youth: 20 × 460 = 9200
    assert lot_payouts(budgets) == {"G": pytest.approx(9200)}


def test_population_based_pays_nothing_where_no_unit_can_serve():
    # Only Q is contracted; it cannot serve C, which has no clients: C's 1000 is not paid.
    plan = [assign("Q", "A", "g", 1), assign("Q", "B", "g", 1)]
    instance = population_instance(plan)
    budgets = unit_budgets(instance, [contract("Q", "g")], plan)
    # A 2000 + B 6000 + D 200 = 8200
    assert amounts(budgets) == [("Q", "G", pytest.approx(8200))]


def test_population_based_consortium_serves_through_its_members():
    # K = R (serves only C) + S (no offer for g): K can serve C through R, nothing else.
    plan = [assign("P", "A", "g", 1), assign("P", "B", "g", 1)]
    extra = [
        provider("R", 0, {"g": 10}, municipalities=["C"]),
        provider("S", 0, {"h": 10}),
    ]
    instance = build(
        {"A": 100, "B": 300, "C": 50, "D": 10},
        [
            {"id": "G", "funding": "population_based", "population_rate": 20},
            {"id": "H", "funding": "fee_for_service"},
        ],
        {"g": "G", "h": "H"},
        [provider("P", 0, {"g": 10}), *extra],
        assignments=plan,
        consortia=[{"id": "K", "lead": "R", "members": ["R", "S"], "contract_cost": 5}],
    )
    budgets = unit_budgets(instance, [contract("K", "g", "h"), contract("P", "g")], plan)
    # P: A 2000 + B 6000 + half of C (1000 / 2 = 500) + D 200 = 8700
    # K: half of C = 500; K also holds lot H with no clients: 0
    assert amounts(budgets) == [
        ("P", "G", pytest.approx(8700)),
        ("K", "G", pytest.approx(500)),
        ("K", "H", 0.0),
    ]


def test_budget_order_is_units_then_lots_in_instance_order():
    plan = [assign("Q", "A", "b", 1), assign("P", "A", "a", 2)]
    instance = build(
        {"A": 1},
        [{"id": "L1", "funding": "fee_for_service"}, {"id": "L2", "funding": "lump_sum"}],
        {"a": "L1", "b": "L2"},
        [provider("P", 0, {"a": 3, "b": 4}), provider("Q", 0, {"a": 5, "b": 6})],
        assignments=plan,
    )
    contracts = [contract("Q", "b", "a"), contract("P", "b", "a")]
    budgets = unit_budgets(instance, contracts, plan)
    # P: L1 2 × 3 = 6, L2 0; Q: L1 0, L2 1 × 6 = 6
    assert amounts(budgets) == [
        ("P", "L1", pytest.approx(6)),
        ("P", "L2", 0.0),
        ("Q", "L1", 0.0),
        ("Q", "L2", pytest.approx(6)),
    ]
    assert [b.funding for b in budgets] == ["fee_for_service", "lump_sum"] * 2
    assert lot_payouts(budgets) == {"L1": pytest.approx(6), "L2": pytest.approx(6)}


def test_lot_payouts_sum_per_lot():
    budgets = [
        Budget(unit="P", lot="L1", funding="lump_sum", amount=0.1),
        Budget(unit="P", lot="L2", funding="lump_sum", amount=5.0),
        Budget(unit="Q", lot="L1", funding="lump_sum", amount=0.2),
    ]
    # L1: 0.1 + 0.2 = 0.3; L2: 5
    assert lot_payouts(budgets) == {"L1": pytest.approx(0.3), "L2": 5.0}
    assert lot_payouts([]) == {}
