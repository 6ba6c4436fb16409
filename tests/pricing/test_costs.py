"""SPEC §3 objective parts and the regional cost, on hand-made plans with hand-computed amounts."""

from __future__ import annotations

import time

import pytest

from solver.pricing.costs import evaluate_plan
from solver.split.cost_split import split_cost
from solver.split.game.play import GameSettings
from tests.plan_builders import assign, build, contract, provider

FFS = {"id": "L1", "funding": "fee_for_service"}


def test_objective_parts_by_hand():
    plan = [assign("P", "A", "c1", 4), assign("P", "B", "c1", 6)]
    instance = build(
        {"A": 100, "B": 300},
        [FFS],
        {"c1": "L1"},
        [
            provider("P", 1000, {"c1": (10, 0.8)}, access={"B": 2}, incumbent=[("A", "c1", 5)]),
            provider("Q", 500, {"c1": 12}, incumbent=[("B", "c1", 3)]),
        ],
        assignments=plan,
        policy={"transfer_cost": 100, "quality_weight": 10},
    )
    ev = evaluate_plan(instance, [contract("P", "c1")], plan)
    # care: 4 × 10 + 6 × (10 + 2 access in B) = 40 + 72 = 112
    assert ev.costs.care_cost == pytest.approx(112)
    # contract: only P is contracted, 1000 (Q's 500 does not count)
    assert ev.costs.contract_cost == pytest.approx(1000)
    # moved: P had 5 in A, keeps 4 -> 1; Q had 3 in B, keeps 0 -> 3; 4 moved × 100
    assert ev.costs.moved_clients == 4
    assert ev.costs.transfer_cost == pytest.approx(400)
    # bonus: 10 × (10 clients × quality 0.8) = 80
    assert ev.costs.quality_bonus == pytest.approx(80)
    # objective: 1000 + 112 + 400 − 80 = 1432
    assert ev.objective == pytest.approx(1432)
    # fee for service pays care cost: payouts 112; regional 1000 + 112 + 400 = 1512
    assert ev.costs.payouts == pytest.approx(112)
    assert ev.regional_cost == pytest.approx(1512)


def test_default_quality_is_half():
    plan = [assign("P", "A", "c1", 3)]
    instance = build(
        {"A": 1},
        [FFS],
        {"c1": "L1"},
        [provider("P", 0, {"c1": 7})],
        assignments=plan,
        policy={"quality_weight": 2},
    )
    ev = evaluate_plan(instance, [contract("P", "c1")], plan)
    # bonus 2 × 3 × 0.5 = 3; objective 0 + 21 − 3 = 18
    assert ev.costs.quality_bonus == pytest.approx(3)
    assert ev.objective == pytest.approx(18)


def test_consortium_contract_cost_and_kept_incumbents():
    # P and Q bid together as K (contract cost 300, not 100 + 200); Q's incumbents stay with Q.
    plan = [assign("K", "A", "c1", 2, provider="Q"), assign("K", "A", "c1", 1, provider="P")]
    instance = build(
        {"A": 10},
        [FFS],
        {"c1": "L1"},
        [
            provider("P", 100, {"c1": 5}),
            provider("Q", 200, {"c1": 6}, incumbent=[("A", "c1", 2)]),
        ],
        assignments=plan,
        consortia=[{"id": "K", "lead": "P", "members": ["P", "Q"], "contract_cost": 300}],
        policy={"transfer_cost": 1000},
    )
    ev = evaluate_plan(instance, [contract("K", "c1")], plan)
    assert ev.costs.contract_cost == pytest.approx(300)
    # care: 2 × 6 + 1 × 5 = 17; Q kept both incumbents: nothing moved
    assert ev.costs.care_cost == pytest.approx(17)
    assert ev.costs.moved_clients == 0
    assert ev.objective == pytest.approx(317)
    assert [(b.unit, b.lot, b.amount) for b in ev.budgets] == [("K", "L1", pytest.approx(17))]


def test_contract_without_care_types_is_not_contracted():
    plan = [assign("P", "A", "c1", 1)]
    instance = build(
        {"A": 10},
        [FFS],
        {"c1": "L1"},
        [provider("P", 100, {"c1": 5}), provider("Q", 40, {"c1": 5})],
        assignments=plan,
    )
    ev = evaluate_plan(instance, [contract("Q"), contract("P", "c1")], plan)
    # Q is listed with no care type: neither its 40 nor a budget
    assert ev.costs.contract_cost == pytest.approx(100)
    assert [b.unit for b in ev.budgets] == ["P"]


def test_empty_plan_is_all_zero():
    instance = build({"A": 10, "B": 5}, [FFS], {"c1": "L1"}, [provider("P", 100, {"c1": 5})])
    ev = evaluate_plan(instance, [], [])
    assert ev.objective == 0
    assert ev.regional_cost == 0
    assert ev.budgets == []
    assert ev.costs.moved_clients == 0
    assert ev.costs.payouts == 0
    split = split_cost(instance, [], [], ev, game=GameSettings())
    assert [(a.municipality, a.amount) for a in split.amounts] == [("A", 0.0), ("B", 0.0)]


def test_empty_plan_still_counts_moved_incumbents():
    instance = build(
        {"A": 10},
        [FFS],
        {"c1": "L1"},
        [provider("P", 100, {"c1": 5}, incumbent=[("A", "c1", 3)])],
        policy={"transfer_cost": 10},
    )
    ev = evaluate_plan(instance, [], [])
    # 3 incumbents have nowhere to stay: 3 × 10
    assert ev.costs.moved_clients == 3
    assert ev.objective == pytest.approx(30)
    assert ev.regional_cost == pytest.approx(30)


def test_unknown_references_name_the_assignment():
    instance = build({"A": 10}, [FFS], {"c1": "L1"}, [provider("P", 100, {"c1": 5})])
    with pytest.raises(ValueError, match=r"assignments\[0\]"):
        evaluate_plan(instance, [contract("P", "c1")], [assign("P", "Z", "c1", 1)])
    with pytest.raises(ValueError, match=r"contracts\[0\]\.unit"):
        evaluate_plan(instance, [contract("X", "c1")], [])


def test_fifty_thousand_assignments_are_fast():
    # 50 municipalities × 20 care types × 50 providers = 50,000 assignments in two lots.
    towns = {f"m{i}": 100 + i for i in range(50)}
    cares = {f"c{j}": ("L1" if j < 10 else "L2") for j in range(20)}
    providers = [
        provider(f"p{k}", 1000 + k, {c: 10 + (k + j) % 7 for j, c in enumerate(cares)})
        for k in range(50)
    ]
    plan = [
        assign(f"p{k}", m, c, 1 + (i + j + k) % 3)
        for i, m in enumerate(towns)
        for j, c in enumerate(cares)
        for k in range(50)
    ]
    lots = [FFS, {"id": "L2", "funding": "task_based", "task_budget": 1e6}]
    instance = build(towns, lots, cares, providers, assignments=plan)
    contracts = [contract(f"p{k}", *cares) for k in range(50)]
    start = time.perf_counter()
    ev = evaluate_plan(instance, contracts, plan)
    split = split_cost(instance, contracts, plan, ev, game=GameSettings())
    elapsed = time.perf_counter() - start
    assert len(ev.budgets) == 100
    # task_based hands out exactly its budget; the split adds up to the regional cost in cents
    task = sum(b.amount for b in ev.budgets if b.lot == "L2")
    assert task == pytest.approx(1e6)
    cents = sum(round(a.amount * 100) for a in split.amounts)
    assert cents == round(ev.regional_cost * 100)
    assert elapsed < 5.0  # measured ~0.1 s; generous for a loaded CI machine
