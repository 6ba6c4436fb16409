"""The one-pass plan aggregation behind costs, payouts and the split."""

from __future__ import annotations

from solver.pricing.tally import tally_plan
from tests.plan_builders import assign, build, contract, provider


def test_tally_aggregates_by_unit_lot_and_municipality():
    # Consortium K (members P, Q) and provider R; R is listed after K in units because
    # contracted units come first in instance order (providers, then consortia) and R has none.
    plan = [
        assign("K", "A", "a", 2, provider="P"),
        assign("K", "B", "b", 1, provider="Q"),
        assign("R", "B", "a", 4),
    ]
    instance = build(
        {"A": 7, "B": 9},
        [{"id": "L1", "funding": "fee_for_service"}, {"id": "L2", "funding": "lump_sum"}],
        {"a": "L1", "b": "L2"},
        [
            provider("P", 0, {"a": 3}, access={"A": 1}),
            provider("Q", 0, {"b": 5}),
            provider("R", 0, {"a": 2}),
        ],
        assignments=plan,
        consortia=[{"id": "K", "lead": "P", "members": ["P", "Q"], "contract_cost": 11}],
    )
    tally = tally_plan(instance, [contract("K", "b", "a")], plan)
    assert tally.units == ["K", "R"]
    assert tally.n_contracted == 1
    assert tally.contract_cost.tolist() == [11.0]
    assert tally.unit_lots == [[0, 1]]
    # K: L1 2 × (3 + 1) = 8 in A; L2 1 × 5 = 5 in B.  R (uncontracted): L1 4 × 2 = 8 in B
    assert tally.care_ul.tolist() == [[8.0, 5.0], [8.0, 0.0]]
    assert tally.care_lm.tolist() == [[8.0, 8.0], [0.0, 5.0]]
    assert tally.clients_um.tolist() == [[2.0, 1.0], [0.0, 4.0]]
    assert tally.care_cost == 21.0
    assert tally.population.tolist() == [7.0, 9.0]


def test_tally_moved_incumbents_per_municipality():
    plan = [assign("P", "A", "a", 1), assign("Q", "B", "a", 5)]
    instance = build(
        {"A": 1, "B": 1},
        [{"id": "L1", "funding": "fee_for_service"}],
        {"a": "L1"},
        [
            provider("P", 0, {"a": 1}, incumbent=[("A", "a", 3), ("B", "a", 2)]),
            provider("Q", 0, {"a": 1}, incumbent=[("B", "a", 4)]),
        ],
        assignments=plan,
    )
    tally = tally_plan(instance, [contract("P", "a"), contract("Q", "a")], plan)
    # P: A 3 − 1 = 2 moved, B 2 − 0 = 2 moved; Q: B 4 − 5 < 0 -> 0
    assert tally.moved_m.tolist() == [2, 2]
    assert tally.moved == 4
