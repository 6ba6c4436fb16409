import pytest

from solver.analysis.min_contracts import with_max_contracts
from solver.analysis.rule_costs import rule_costs
from solver.options import SolveOptions
from solver.solve import solve
from tests.experiment_instances import conformance, coverage_grid


def test_cost_of_max_contracts_is_the_difference_of_two_optima():
    instance = coverage_grid(max_contracts=1)
    rows = rule_costs(instance, options=SolveOptions())
    (row,) = [r for r in rows if r.rule == "max_contracts"]
    tight = solve(instance).objective
    free = solve(with_max_contracts(instance, None)).objective
    assert row.objective_with == pytest.approx(tight)
    assert row.objective_relaxed == pytest.approx(free)
    assert row.cost == pytest.approx(tight - free)
    assert row.cost > 0
    assert row.shadow_price is None


def test_rules_of_a_conformance_instance_are_sorted_and_never_negative():
    rows = rule_costs(conformance("c06-lot-max-contracts"), options=SolveOptions(time_limit_s=30))
    names = {r.rule for r in rows}
    assert {
        "max_contracts",
        "lots[ambulant].min_providers",
        "lots[ambulant].max_contracts",
    } <= names
    assert "policy.transfer_cost" in names
    costs = [r.cost for r in rows]
    assert all(c is not None and c >= 0 for c in costs)
    assert costs == sorted(costs, reverse=True)
    budget = [r for r in rows if r.rule.endswith("population_rate")]
    assert budget and all(r.shadow_price is not None for r in budget)
