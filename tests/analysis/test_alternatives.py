import pytest

from solver.analysis.alternatives import (
    differences,
    find_alternatives,
    format_alternatives,
    parse_margin,
)
from solver.check import check
from solver.options import SolveOptions
from tests.experiment_instances import coverage_grid
from tests.test_solve_rules import offer, provider, region


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
    assert len(lines) == 5 and lines[1].startswith("#1: feasible")
    diff = differences(best, results[1])
    assert diff["added"] or diff["dropped"]


def test_fewer_alternatives_when_the_margin_is_tight():
    results = find_alternatives(coverage_grid(), SolveOptions(), 10, 0.0)
    assert all(r.objective == pytest.approx(results[0].objective) for r in results)
    assert len(results) < 11


def test_an_alternative_above_the_optimum_is_feasible_with_the_optimums_bound():
    results = find_alternatives(coverage_grid(), SolveOptions(), 4, 0.35)
    best = results[0]
    assert best.status == "optimal" and best.bound is not None
    for rank, other in enumerate(results[1:], start=1):
        assert other.objective > best.objective * (1 + 1e-6)  # above the optimum
        assert other.status == "feasible"  # SPEC §6: optimal means proven optimal
        assert other.bound == best.bound  # the optimum's bound holds for every plan
        assert other.gap == pytest.approx((other.objective - best.bound) / other.objective)
        assert other.notes[-1].startswith(f"alternative #{rank} (dekkend solve --alternatives)")
        assert (
            f"{rank + 1}" in other.notes[-1]
            and "cheapest set of contracted units" in (other.notes[-1])
        )


def test_an_alternative_as_cheap_as_the_proven_optimum_is_optimal_too():
    twins = region(
        [provider("A", 10, {"c": offer(5, 20)}), provider("B", 10, {"c": offer(5, 20)})],
        demand={("m1", "c"): 3},
    )
    results = find_alternatives(twins, SolveOptions(), 3, 0.0)
    assert len(results) == 2  # {A} and {B} cost the same; {A, B} costs one contract more
    tie = results[1]
    assert tie.objective == results[0].objective
    assert tie.status == "optimal" and tie.gap == pytest.approx(0.0, abs=1e-9)
