"""Continuity (max_moved), N−1 and Open House (SPEC §1–§2): hand-computed optima on every backend,
the pre-checks' proofs, and the checker flagging a plan that breaks each rule.

One municipality m1, one care type c in lot L, demand 10 clients unless said otherwise (the
helpers of `test_solve_rules`). A plan made without a rule is checked against the instance with
it: the checker must name exactly that rule.
"""

from __future__ import annotations

from typing import Any

import pytest

from solver.check import check
from solver.instance import Instance
from solver.options import SolveOptions
from solver.result import Status
from solver.solve import solve
from tests.conftest import BACKENDS
from tests.test_solve_rules import offer, provider, region

INCUMBENT_4 = [{"municipality": "m1", "care_type": "c", "clients": 4}]


def _moved(max_moved: int | None) -> Instance:
    # A keeps 4 clients today at 100; B takes anyone at 90; no contract costs
    policy: dict[str, Any] = {} if max_moved is None else {"max_moved": max_moved}
    return region(
        [provider("A", 0, {"c": offer(10, 100)}, incumbent=INCUMBENT_4),
         provider("B", 0, {"c": offer(10, 90)})],
        policy=policy,
    )  # fmt: skip


def _n_minus_1(on: bool) -> Instance:
    # A 10 at 100, B 10 at 90, C 5 at 70, each contract 50
    return region(
        [provider("A", 50, {"c": offer(10, 100)}), provider("B", 50, {"c": offer(10, 90)}),
         provider("C", 50, {"c": offer(5, 70)})],
        policy={"n_minus_1": on},
    )  # fmt: skip


def _open_house(on: bool, consortia: list[dict] | None = None) -> Instance:
    # B's min_clients 20 exceeds the demand: in a selective lot it can never be contracted
    return region(
        [provider("A", 50, {"c": offer(10, 100)}),
         provider("B", 200, {"c": offer(10, 90, min_clients=20)})],
        lot={"open_house": on},
        consortia=consortia,
    )  # fmt: skip


CASES: dict[str, tuple[Instance, float]] = {
    # unlimited: all 10 to B = 900 (4 of A's clients move)
    "max_moved_unlimited": (_moved(None), 900.0),
    # at most 1 moves: A keeps 3, B the other 7: 300 + 630
    "max_moved_1": (_moved(1), 930.0),
    # none moves: A keeps its 4: 400 + 540
    "max_moved_0": (_moved(0), 940.0),
    # without N−1: B + C = 100 + 5×70 + 5×90 = 900
    "n_minus_1_off": (_n_minus_1(False), 900.0),
    # with N−1: B + C leaves 5 without B; A + B + C = 150 + 350 + 450 = 950 (A + B: 1000)
    "n_minus_1_on": (_n_minus_1(True), 950.0),
    # selective: B cannot reach its min_clients, A alone: 50 + 1000
    "open_house_off": (_open_house(False), 1050.0),
    # Open House: both contracted, min_clients does not apply, all to B: 250 + 900
    "open_house_on": (_open_house(True), 1150.0),
    # Open House through a consortium: K holds both bidders once, B delivers: 30 + 900
    "open_house_consortium": (
        _open_house(True, [{"id": "K", "lead": "A", "members": ["A", "B"], "contract_cost": 30}]),
        930.0,
    ),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", list(CASES))
def test_rule_optimum(case: str, backend: str) -> None:
    instance, optimum = CASES[case]
    result = solve(instance, options=SolveOptions(backend=backend, time_limit_s=30))
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(optimum, rel=1e-9)
    assert check(instance, result).ok


def test_max_moved_keeps_the_incumbents_with_their_provider() -> None:
    result = solve(_moved(1))
    kept = {(a.provider, a.clients) for a in result.assignments}
    assert kept == {("A", 3), ("B", 7)}


def test_open_house_contracts_every_bidder() -> None:
    result = solve(_open_house(True))
    assert sorted(c.unit for c in result.contracts) == ["A", "B"]


@pytest.mark.parametrize(
    ("planned", "judged", "rule", "words"),
    [
        (_moved(None), _moved(1), "2.6 max_moved", ["4 incumbent clients move", "4 from A in m1"]),
        (_n_minus_1(False), _n_minus_1(True), "2.6 n_minus_1", ["without B (10) leaves 5"]),
        (_open_house(False), _open_house(True), "1 open_house", ["B (c)"]),
    ],
)
def test_checker_flags_a_plan_that_breaks_the_rule(
    planned: Instance, judged: Instance, rule: str, words: list[str]
) -> None:
    result = solve(planned)
    report = check(judged, result)
    assert {v.rule for v in report.violations} == {rule}
    text = " ".join(str(v) for v in report.violations)
    for word in words:
        assert word in text


def test_checker_flags_a_cell_with_one_unit_under_n_minus_1() -> None:
    # A serves m1 only; with B, N−1's capacity part holds (60 − 30 ≥ 20) but m2 has B alone
    planned = region(
        [provider("A", 1, {"c": offer(30, 50)}, municipalities=["m1"]),
         provider("B", 1, {"c": offer(30, 60)}), provider("C", 1, {"c": offer(30, 90)})],
        demand={("m1", "c"): 10, ("m2", "c"): 10},
        population={"m1": 100, "m2": 100},
    )  # fmt: skip
    judged = planned.model_copy(
        update={"policy": planned.policy.model_copy(update={"n_minus_1": True})}
    )
    result = solve(planned)
    assert sorted(c.unit for c in result.contracts) == ["A", "B"]
    report = check(judged, result)
    assert [str(v) for v in report.violations] == [
        "2.6 n_minus_1: c in m2 has 1 contracted unit(s) that can serve it (B); N−1 needs two"
    ]
    fixed = solve(judged)
    assert fixed.status is Status.OPTIMAL
    assert sorted(c.unit for c in fixed.contracts) == ["A", "B", "C"]
    assert fixed.objective == pytest.approx(3 + 10 * 50 + 10 * 60)


def test_pre_check_names_incumbents_that_cannot_stay() -> None:
    # A no longer serves m1: its 4 clients must move, whatever is contracted
    instance = region(
        [provider("A", 0, {"c": offer(10, 100)}, incumbent=INCUMBENT_4, municipalities=["m2"]),
         provider("B", 0, {"c": offer(10, 90)})],
        population={"m1": 100, "m2": 100},
        policy={"max_moved": 1},
    )  # fmt: skip
    result = solve(instance)
    assert result.status is Status.INFEASIBLE
    assert result.explanation == [
        "at least 4 incumbent clients must change provider, policy.max_moved is 1; they cannot "
        "stay where they are: 4 of A in m1 (c: not served)"
    ]


def test_pre_check_counts_incumbents_beyond_capacity() -> None:
    instance = region(
        [provider("A", 0, {"c": offer(2, 100)}, incumbent=INCUMBENT_4),
         provider("B", 0, {"c": offer(10, 90)})],
        policy={"max_moved": 1},
    )  # fmt: skip
    result = solve(instance)
    assert result.status is Status.INFEASIBLE
    assert "at least 2 incumbent clients must change provider" in result.explanation[0]
    assert "A has 4 incumbents of c, capacity 2" in result.explanation[0]


def test_pre_check_n_minus_1_capacity_and_reach() -> None:
    instance = region(
        [provider("A", 0, {"c": offer(10, 100)}), provider("B", 0, {"c": offer(6, 90)})],
        policy={"n_minus_1": True},
    )
    result = solve(instance)
    assert result.status is Status.INFEASIBLE
    assert result.explanation == [
        "c: demand is 10 clients; all its bids have capacity 16, 6 without the largest (10), "
        "so policy.n_minus_1 cannot hold"
    ]
    alone = region([provider("A", 0, {"c": offer(30, 100)})], policy={"n_minus_1": True})
    said = solve(alone).explanation
    assert any(
        "c in m1 needs 2 contracted providers (policy.n_minus_1: a second unit if one fails)" in s
        for s in said
    )


def test_pre_check_open_house_against_max_contracts() -> None:
    instance = region(
        [provider(p, 0, {"c": offer(10, 100)}) for p in ("A", "B", "C")],
        lot={"open_house": True},
        policy={"max_contracts": 2},
    )
    result = solve(instance)
    assert result.status is Status.INFEASIBLE
    assert result.explanation == [
        "the Open House lot(s) L contract every bidder: 3 of them belong to no consortium and "
        "need a contract each; policy.max_contracts is 2"
    ]


def test_open_house_refuses_a_lot_max_contracts() -> None:
    from solver.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        region([provider("A", 0, {"c": offer(10, 100)})],
               lot={"open_house": True, "max_contracts": 1})  # fmt: skip
    assert any(e.path == "lots[0].max_contracts" for e in caught.value.errors)


def test_explanation_names_max_moved_when_only_the_solver_finds_the_clash() -> None:
    # 8 incumbents can all stay (the pre-check passes), but one contract moves 4 of them
    both = [
        provider(p, 0, {"c": offer(10, price)}, incumbent=INCUMBENT_4)
        for p, price in (("A", 100), ("B", 90))
    ]
    result = solve(region(both, policy={"max_moved": 3, "max_contracts": 1}))
    assert result.status is Status.INFEASIBLE
    assert "fix: max_moved must be at least 4 (it is 3) (everything else unchanged)" in (
        result.explanation
    )


def test_result_lists_moved_clients_and_the_checker_recounts_them() -> None:
    instance = _moved(1)
    result = solve(instance)
    assert [(r.provider, r.municipality, r.care_type, r.clients, r.incumbents)
            for r in result.moved] == [("A", "m1", "c", 1, 4)]  # fmt: skip
    assert result.costs is not None and result.costs.moved_clients == 1
    wrong = result.moved[0].model_copy(update={"clients": 2})
    report = check(instance, result.model_copy(update={"moved": [wrong]}))
    assert [str(v) for v in report.violations] == [
        "3 moved: moved[] says 2 clients leave A in m1 (c), recomputed 1"
    ]
