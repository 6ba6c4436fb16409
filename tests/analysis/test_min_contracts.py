import itertools

import pytest

from solver.analysis.min_contracts import min_contracts, with_max_contracts
from solver.infeasibility.precheck import infeasibility_proofs
from solver.model.data import build_data
from solver.options import SolveOptions
from solver.solve import solve
from tests.experiment_instances import coverage_grid


def _two_per_cell():
    raw = coverage_grid(max_contracts=50).model_dump(mode="json")
    raw["lots"][0]["min_providers"] = 2
    raw["providers"] = [p for p in raw["providers"] if p["id"] != "g"]
    from solver.instance import parse_instance

    return parse_instance(raw)


def _feasible_with(instance, providers):
    raw = instance.model_dump(mode="json")
    raw["providers"] = [p for p in raw["providers"] if p["id"] in providers]
    raw["policy"]["max_contracts"] = None
    from solver.instance import parse_instance

    restricted = parse_instance(raw)
    if infeasibility_proofs(build_data(restricted)):
        return False
    return solve(restricted).status.has_solution


def _exhaustive_minimum(instance):
    ids = [p.id for p in instance.providers]
    for size in range(1, len(ids) + 1):
        if any(_feasible_with(instance, set(s)) for s in itertools.combinations(ids, size)):
            return size
    return None


@pytest.mark.parametrize("make", [coverage_grid, _two_per_cell])
def test_min_contracts_equals_exhaustive_search(make):
    instance = make()
    found = min_contracts(instance, options=SolveOptions(time_limit_s=30))
    assert found.proven
    assert found.least == _exhaustive_minimum(instance)
    assert found.result.status.value == "optimal"
    assert len(found.result.contracts) == found.least
    # the plan is the cheapest with that many contracts
    direct = solve(with_max_contracts(instance, found.least))
    assert found.result.objective == pytest.approx(direct.objective, rel=1e-9)
    assert found.to_dict()["min_contracts"] == found.least


def test_min_contracts_ignores_a_max_contracts_that_is_too_tight(tmp_path):
    instance = _two_per_cell()
    tight = with_max_contracts(instance, 1)
    found = min_contracts(tight)
    assert found.least == _exhaustive_minimum(instance)
    assert found.result.status.has_solution
