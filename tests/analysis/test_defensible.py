"""Stress, robustness and the status quo on small hand-made regions (numbers worked by hand).

One municipality m1 (m2 where said), one care type c in lot L (`test_solve_rules` helpers).
"""

from __future__ import annotations

import pytest

from solver.analysis.baseline import baseline, incumbent_statement, status_quo_instance
from solver.analysis.robustness import FIRM_IN, FIRM_OUT, OPEN, robustness
from solver.analysis.stress import NotThisInstance, stress
from solver.check import check
from solver.instance import Instance
from solver.options import SolveOptions
from solver.result import Status
from solver.solve import solve
from tests.test_solve_rules import offer, provider, region


def _three() -> Instance:
    # demand 10; A 6 at 100, B 6 at 110, C 10 at 130; contract cost 0 except C's 500
    return region(
        [provider("A", 0, {"c": offer(6, 100)}), provider("B", 0, {"c": offer(6, 110)}),
         provider("C", 500, {"c": offer(10, 130)})],
    )  # fmt: skip


def test_stress_re_places_on_spare_capacity_and_names_what_is_short() -> None:
    instance = _three()
    plan = solve(instance)  # A 6 + B 4 = 600 + 440
    assert plan.objective == pytest.approx(1040)
    report = stress(instance, plan)
    by_unit = {loss.unit: loss for loss in report.losses}
    # losing B: its 4 clients go nowhere (A full, C not contracted)
    assert not by_unit["B"].absorbed and by_unit["B"].placed == 0
    assert [(s.municipality, s.care_type, s.clients) for s in by_unit["B"].short] == [
        ("m1", "c", 4)
    ]
    assert by_unit["B"].extra_cost is None
    # losing A: B has room for 2 of its 6
    assert by_unit["A"].placed == 2 and by_unit["A"].short[0].clients == 4
    assert "4 of its 6 clients find no place" in by_unit["A"].words()


def test_stress_extra_cost_when_absorbed_and_concentration() -> None:
    instance = region(
        [provider("A", 0, {"c": offer(10, 100)}), provider("B", 0, {"c": offer(10, 110)})],
        lot={"min_providers": 2},
    )
    plan = solve(instance)  # both contracted (coverage 2), all 10 to A
    report = stress(instance, plan, threshold=0.5)
    by_unit = {loss.unit: loss for loss in report.losses}
    assert by_unit["A"].placed == 10 and by_unit["A"].extra_cost == pytest.approx(100)
    assert [(g.units, g.needed) for g in by_unit["A"].coverage] == [(1, 2)]
    assert not by_unit["A"].absorbed  # coverage falls below min_providers
    assert by_unit["B"].clients == 0 and by_unit["B"].coverage
    assert [(f.unit, f.scope, f.share) for f in report.concentration] == [
        ("A", "lot", 1.0), ("A", "municipality", 1.0)
    ]  # fmt: skip
    data = report.to_dict()
    assert data["units"] == 2 and data["absorbed"] == 0


def test_stress_refuses_a_result_of_another_instance() -> None:
    plan = solve(_three())
    other = region([provider("A", 0, {"c": offer(10, 100)})])
    renamed = other.model_copy(update={"name": "elsewhere"})
    with pytest.raises(NotThisInstance, match="not of 'elsewhere'"):
        stress(renamed, plan)
    with pytest.raises(ValueError, match="threshold"):
        stress(_three(), plan, threshold=0)


def test_robustness_firm_and_open_by_hand() -> None:
    # The optimum is A 6 + B 4 = 1040. Without A: B 6 + C 4 = 660 + 520 + 500 = 1680 (+640);
    # without B: A 6 + C 4 = 1620 (+580); C forced in: the optimum plus its contract, 1540 (+500).
    # At 10 % (≤ 1144) A and B are firm in and C firm out; at 60 % (≤ 1664) A stays firm, B and
    # C are open.
    instance = _three()
    plan = solve(instance)
    options = SolveOptions(time_limit_s=30)
    tight = robustness(instance, plan, margin=0.10, options=options, outside=True)
    verdicts = {d.unit: d.verdict for d in tight.decisions}
    assert verdicts == {"A": FIRM_IN, "B": FIRM_IN, "C": FIRM_OUT}
    loose = robustness(instance, plan, margin=0.60, options=options, outside=True)
    decided = {d.unit: d for d in loose.decisions}
    assert decided["A"].verdict == FIRM_IN
    assert decided["B"].verdict == OPEN and decided["B"].forcing_cost == pytest.approx(580)
    assert decided["C"].verdict == OPEN and decided["C"].forcing_cost == pytest.approx(500)
    with pytest.raises(ValueError, match="margin"):
        robustness(instance, plan, margin=-0.01, options=options)


def test_robustness_needs_a_proven_optimum() -> None:
    instance = _three()
    plan = solve(instance).model_copy(update={"status": Status.FEASIBLE})
    with pytest.raises(ValueError, match="proven optimum"):
        robustness(instance, plan, margin=0.01, options=SolveOptions())


def test_baseline_keeps_incumbents_and_drops_the_selection_rules() -> None:
    # today A holds 4 clients; the tender allows one contract (B is cheaper): today A + B
    incumbents = [{"municipality": "m1", "care_type": "c", "clients": 4}]
    instance = region(
        [provider("A", 50, {"c": offer(10, 100, min_clients=8)}, incumbent=incumbents),
         provider("B", 50, {"c": offer(10, 90)})],
        policy={"max_contracts": 1, "transfer_cost": 10},
    )  # fmt: skip
    today = baseline(instance)
    assert today.status is Status.OPTIMAL
    placed = {(a.provider, a.clients) for a in today.assignments}
    assert placed == {("A", 4), ("B", 6)}  # min_clients 8 of the new tender does not apply
    assert today.objective == pytest.approx(100 + 400 + 540)
    assert today.moved == []
    assert incumbent_statement(instance) == "4 of 10 clients (40%) have a recorded provider today"
    assert incumbent_statement(instance) in today.notes
    assert check(status_quo_instance(instance), today).ok
    plan = solve(instance)
    assert plan.costs is not None and plan.costs.moved_clients == 4  # B alone: 50 + 900 + 40
