import pytest
from experiment_instances import coverage_grid

from solver.alternatives import differences, find_alternatives, format_alternatives, parse_margin
from solver.check import check
from solver.options import SolveOptions


def test_parse_margin():
    assert parse_margin("1%") == pytest.approx(0.01)
    assert parse_margin("0.05") == pytest.approx(0.05)
    with pytest.raises(ValueError, match="margin"):
        parse_margin("lots")


def test_alternatives_are_distinct_feasible_ranked_and_within_the_margin():
    instance = coverage_grid()
    within = 0.35  # the 4th alternative costs +30.1%
    results = find_alternatives(instance, SolveOptions(), 4, within)
    best = results[0]
    assert len(results) == 5
    unit_sets = [frozenset(c.unit for c in r.contracts) for r in results]
    assert len(set(unit_sets)) == len(unit_sets)
    objectives = [r.objective for r in results]
    assert objectives == sorted(objectives)
    for r in results:
        assert check(instance, r).ok
        assert r.objective <= best.objective * (1 + within) + 1e-6
    lines = format_alternatives(results)
    assert len(lines) == 5 and lines[1].startswith("#1")
    diff = differences(best, results[1])
    assert diff["added"] or diff["dropped"]


def test_fewer_alternatives_when_the_margin_is_tight():
    results = find_alternatives(coverage_grid(), SolveOptions(), 10, 0.0)
    assert all(r.objective == pytest.approx(results[0].objective) for r in results)
    assert len(results) < 11
