"""SPEC §5 cost split rules and the largest-remainder rounding (DECISIONS 6–10), by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solver.pricing.costs import evaluate_plan
from solver.split.cost_split import split_cost
from solver.split.game.play import GameSettings
from solver.split.rounding import largest_remainder
from tests.plan_builders import assign, build, contract, provider

# Base plan, one fee_for_service lot; A has 100 youth, B 300.
#   P (contract 100, price 10): A 3 clients (30), B 1 client (10)  -> care A 30, B 10
#   Q (contract 60, price 20):  B 2 clients (40)                   -> care B 40
#   P had 2 incumbents in B and keeps 1: 1 moved in B × transfer 50
# regional = contract 160 + payout 80 + transfer 50 = 290
# usage:  lot 80 pro rata care: A 30, B 50
#         P's 100 pro rata P's care (A 30, B 10): A 75, B 25;  Q's 60: B 60
#         transfer: B 50
#         A = 30 + 75 = 105, B = 50 + 25 + 60 + 50 = 185
BASE_PLAN = [assign("P", "A", "c1", 3), assign("P", "B", "c1", 1), assign("Q", "B", "c1", 2)]


def base(cost_split: dict, *, extra=(), contracts=()):
    instance = build(
        {"A": 100, "B": 300},
        [{"id": "L1", "funding": "fee_for_service"}],
        {"c1": "L1"},
        [
            provider("P", 100, {"c1": 10}, incumbent=[("B", "c1", 2)]),
            provider("Q", 60, {"c1": 20}),
            *extra,
        ],
        assignments=BASE_PLAN,
        policy={"transfer_cost": 50, "cost_split": cost_split},
    )
    return split(instance, [contract("P", "c1"), contract("Q", "c1"), *contracts], BASE_PLAN)


def split(instance, contracts, plan):
    evaluation = evaluate_plan(instance, contracts, plan)
    result = split_cost(instance, contracts, plan, evaluation, game=GameSettings())
    return result.rule, [(a.municipality, a.amount) for a in result.amounts]


def test_usage_by_hand():
    assert base({"rule": "usage"}) == ("usage", [("A", 105.0), ("B", 185.0)])


def test_population_by_hand():
    # 290 × 100/400 = 72.5, 290 × 300/400 = 217.5
    assert base({"rule": "population"}) == ("population", [("A", 72.5), ("B", 217.5)])


def test_key_by_hand():
    # weights 2 : 3 -> 290 × 2/5 = 116, 290 × 3/5 = 174
    rule = {"rule": "key", "weights": {"A": 2, "B": 3}}
    assert base(rule) == ("key", [("A", 116.0), ("B", 174.0)])


def test_mixed_default_weight_is_half():
    # A: 0.5 × 105 + 0.5 × 72.5 = 88.75; B: 0.5 × 185 + 0.5 × 217.5 = 201.25
    assert base({}) == ("mixed", [("A", 88.75), ("B", 201.25)])


def test_mixed_with_usage_weight():
    # A: 0.8 × 105 + 0.2 × 72.5 = 84 + 14.5 = 98.5; B: 0.8 × 185 + 0.2 × 217.5 = 148 + 43.5 = 191.5
    rule = {"rule": "mixed", "usage_weight": 0.8}
    assert base(rule) == ("mixed", [("A", 98.5), ("B", 191.5)])


def test_usage_unit_without_clients_pays_pro_rata_population():
    # R is contracted (40) but gets no clients: A 40 × 100/400 = 10, B 30.
    # regional 330; A = 105 + 10 = 115, B = 185 + 30 = 215
    got = base(
        {"rule": "usage"},
        extra=[provider("R", 40, {"c1": 1})],
        contracts=[contract("R", "c1")],
    )
    assert got == ("usage", [("A", 115.0), ("B", 215.0)])


def test_usage_task_based_zero_care_and_population_based():
    # P (contract 40) holds a task_based lot T (budget 1000, price 0) and a population_based
    # lot G (rate 2, price 0). All care costs are 0.
    #   T: clients A 1, B 3 -> 1000 pro rata clients: A 250, B 750
    #   G: clients only in A, P serves B too -> A 2 × 100 = 200, B 2 × 300 = 600
    #   contract 40: P has no care cost, clients A 2, B 3 -> A 16, B 24
    # regional = 40 + 1000 + 800 = 1840; A = 250 + 200 + 16 = 466, B = 750 + 600 + 24 = 1374
    plan = [assign("P", "A", "t", 1), assign("P", "B", "t", 3), assign("P", "A", "g", 1)]
    instance = build(
        {"A": 100, "B": 300},
        [
            {"id": "T", "funding": "task_based", "task_budget": 1000},
            {"id": "G", "funding": "population_based", "population_rate": 2},
        ],
        {"t": "T", "g": "G"},
        [provider("P", 40, {"t": 0, "g": 0})],
        assignments=plan,
        policy={"cost_split": {"rule": "usage"}},
    )
    assert split(instance, [contract("P", "t", "g")], plan) == (
        "usage",
        [("A", 466.0), ("B", 1374.0)],
    )


def test_by_lot_mixes_rules():
    # Main rule usage; lot L1 (fee for service) by population, lot L2 (lump sum, margin 0.5) by
    # key A 1 : B 4.
    #   P (contract 100): c1 A 3 × 10 = 30, B 1 × 10 = 10; c2 A 2 × 5 = 10
    #   Q (contract 60):  c1 B 2 × 20 = 40
    #   L1 payout 80; L2 payout 10 × 1.5 = 15; 1 moved in B × 50
    #   regional = 160 + 95 + 50 = 305
    #   L1 by population: A 20, B 60.  L2 by key: A 3, B 12.
    #   usage of the rest: P's 100 pro rata its care (A 40, B 10): A 80, B 20; Q's 60: B 60;
    #   transfer B 50.
    #   A = 20 + 3 + 80 = 103; B = 60 + 12 + 20 + 60 + 50 = 202
    plan = [*BASE_PLAN, assign("P", "A", "c2", 2)]
    instance = build(
        {"A": 100, "B": 300},
        [
            {"id": "L1", "funding": "fee_for_service"},
            {"id": "L2", "funding": "lump_sum", "risk_margin": 0.5},
        ],
        {"c1": "L1", "c2": "L2"},
        [
            provider("P", 100, {"c1": 10, "c2": 5}, incumbent=[("B", "c1", 2)]),
            provider("Q", 60, {"c1": 20}),
        ],
        assignments=plan,
        policy={
            "transfer_cost": 50,
            "cost_split": {
                "rule": "usage",
                "by_lot": {
                    "L1": {"rule": "population"},
                    "L2": {"rule": "key", "weights": {"A": 1, "B": 4}},
                },
            },
        },
    )
    contracts = [contract("P", "c1", "c2"), contract("Q", "c1")]
    assert split(instance, contracts, plan) == ("usage", [("A", 103.0), ("B", 202.0)])


def test_by_lot_mixed_with_its_own_weight():
    # Main rule population; L1 by mixed with usage_weight 0.25.
    #   L1 payout 80: usage A 30, B 50; population A 20, B 60
    #     -> A 0.25 × 30 + 0.75 × 20 = 22.5, B 0.25 × 50 + 0.75 × 60 = 57.5
    #   rest (contract 160 + transfer 50 = 210) by population: A 52.5, B 157.5
    #   A = 75, B = 215
    rule = {"rule": "population", "by_lot": {"L1": {"rule": "mixed", "usage_weight": 0.25}}}
    assert base(rule) == ("population", [("A", 75.0), ("B", 215.0)])


def test_shapley_rule_is_dispatched_to_the_coalition_game():
    # the game itself is tested in test_shapley.py; here: split_cost hands shapley over to it
    rule, amounts = base({"rule": "shapley"})
    assert rule == "shapley"
    assert [m for m, _ in amounts] == ["A", "B"]
    assert all(amount > 0 for _, amount in amounts)


# ---------------------------------------------------------------------------------------------
# Largest remainder (DECISIONS 6)


def test_largest_remainder_is_exact_to_the_cent_and_ties_go_first():
    # 100 cents over three equal shares: 33.33 each, one cent left -> the first municipality
    assert largest_remainder([1, 1, 1], 1.0) == [0.34, 0.33, 0.33]
    # 200 cents: 66.67 each, two cents left -> the first two
    assert largest_remainder([5, 5, 5], 2.0) == [0.67, 0.67, 0.66]


def test_largest_remainder_gives_leftover_to_largest_fraction():
    # 1 cent by 1 : 2 -> x = 0.333, 0.667; the cent goes to the second
    assert largest_remainder([1, 2], 0.01) == [0.0, 0.01]
    # 10 cents by 1 : 1 : 8 -> x = 1, 1, 8: exact, nothing left over
    assert largest_remainder([1, 1, 8], 0.10) == [0.01, 0.01, 0.08]


def test_largest_remainder_all_amounts_round_down():
    # 2 cents over three: x = 0.667 each, every floor is 0 -> two cents to the first two
    assert largest_remainder([1, 1, 1], 0.02) == [0.01, 0.01, 0.0]


def test_largest_remainder_total_zero_and_all_zero_raw():
    assert largest_remainder([3, 0, 1], 0.0) == [0.0, 0.0, 0.0]
    # nothing to go by: equal shares, 1000 cents / 3 = 333.33 -> 3.34, 3.33, 3.33
    assert largest_remainder([0, 0, 0], 10.0) == [3.34, 3.33, 3.33]


def test_largest_remainder_rounds_the_total_to_cents():
    # 12.344 -> 1234 cents; 1 : 1 -> 617 each
    assert largest_remainder([1, 1], 12.344) == [6.17, 6.17]
    assert largest_remainder([], 0.0) == []
    with pytest.raises(ValueError, match="no municipalities"):
        largest_remainder([], 1.0)


@given(
    raw=st.lists(
        st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=40,
    ),
    total=st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
)
def test_largest_remainder_property(raw, total):
    amounts = largest_remainder(raw, total)
    target = round(total * 100)
    cents = [round(a * 100) for a in amounts]
    assert all(c / 100 == a for c, a in zip(cents, amounts, strict=True))
    assert sum(cents) == target
    weight = math.fsum(raw)
    for a_m, c in zip(raw, cents, strict=True):
        exact = a_m * target / weight if weight > 0 else target / len(raw)
        assert abs(c - exact) <= 1.0


def test_every_amount_is_shown_in_its_parts_and_transfer_is_apart() -> None:
    from solver.analysis.split_by_rule import run_split
    from solver.instance import load_instance
    from tests.conftest import REPO

    tiny = load_instance(REPO / "instances" / "tiny.json")
    for rule in ("usage", "population", "mixed", "shapley", "nucleolus"):
        result = run_split(tiny, rule=rule)
        split, costs = result.cost_split, result.costs
        parts = {p.municipality: p for p in split.parts}
        for item in split.amounts:
            p = parts[item.municipality]
            assert round((p.care + p.contract + p.transfer) * 100) == round(item.amount * 100)
        n = len(split.amounts)  # each part's total is its regional part, within a cent each
        assert abs(sum(p.transfer for p in split.parts) - costs.transfer_cost) <= 0.01 * n
        assert abs(sum(p.contract for p in split.parts) - costs.contract_cost) <= 0.01 * n
        assert abs(sum(p.care for p in split.parts) - costs.payouts) <= 0.01 * n
    # usage: each municipality's transfer part is what its own moved clients cost
    usage = run_split(tiny, rule="usage")
    moved: dict[str, int] = {}
    kept = {(a.provider, a.municipality, a.care_type): a.clients for a in usage.assignments}
    for bidder in tiny.providers:
        for record in bidder.incumbent:
            key = (bidder.id, record.municipality, record.care_type)
            gone = max(0, record.clients - kept.get(key, 0))
            moved[record.municipality] = moved.get(record.municipality, 0) + gone
    price = tiny.policy.transfer_cost
    for p in usage.cost_split.parts:
        assert p.transfer == pytest.approx(price * moved.get(p.municipality, 0), abs=0.01)
