import pytest

from solver.infeasibility.explain import explain
from solver.infeasibility.precheck import infeasibility_proofs
from solver.model.data import build_data
from solver.options import SolveOptions
from solver.solve import solve
from tests.experiment_instances import (
    planted_budget_cap,
    planted_max_share,
    planted_units_per_municipality,
)

# (instance, words naming the planted rules, the least relaxation that fixes it)
PLANTED = [
    (
        planted_max_share,
        ["max_contracts 3", "max_share 0.3"],
        ["max_contracts must be at least 4", "max_share must be at least 0.4"],
    ),
    (planted_budget_cap, ["budget_cap €1,200.00"], ["budget_cap must be at least €1,500.00"]),
    (
        planted_units_per_municipality,
        ["max_units_per_municipality 1", "demand of 10 clients for c in m1"],
        ["max_units_per_municipality must be at least 2"],
    ),
]


@pytest.mark.parametrize(("make", "names", "fixes"), PLANTED)
def test_solve_explains_the_planted_conflict(make, names, fixes):
    instance = make()
    assert infeasibility_proofs(build_data(instance)) == []  # only the filter can see it
    result = solve(instance, options=SolveOptions(time_limit_s=20))
    assert result.status.value == "infeasible"
    head, *rest = result.explanation
    assert "minimal conflict" in head
    for name in names:
        assert name in head
    for fix in fixes:
        assert any(fix in line for line in rest), (fix, rest)


def test_the_conflict_is_only_the_planted_rules():
    lines = explain(planted_budget_cap(), time_limit_s=20)
    head = lines[0]
    assert "max_contracts" not in head and "coverage" not in head


def test_a_feasible_instance_has_no_explanation():
    from tests.experiment_instances import coverage_grid

    assert explain(coverage_grid(), time_limit_s=20) is None


def test_the_time_budget_is_kept():
    import time

    started = time.monotonic()
    lines = explain(planted_max_share(), time_limit_s=0.01)
    assert time.monotonic() - started < 5
    assert lines is not None


def test_each_lot_limit_quotes_its_own_value():
    # a lot with two count limits: the sentence about each must quote its own value
    from solver.infeasibility.rule_groups import build_groups
    from solver.instance import parse_instance
    from solver.model.data import build_data as data_of
    from solver.model.formulation import build_model

    raw = planted_units_per_municipality().model_dump(mode="json", exclude_defaults=True)
    raw["lots"][0]["max_contracts"] = 5
    data = data_of(parse_instance(raw))
    said = {g.key: g.relaxed(7) for g in build_groups(data, build_model(data))}
    assert said["lot_max_contracts[L]"].endswith("(it is 5)")
    assert said["max_units_per_municipality[L]"].endswith("(it is 1)")


def test_each_lever_that_fixes_the_instance_alone_is_found():
    from solver.infeasibility.explain import _settled_levers
    from solver.infeasibility.rule_groups import build_groups
    from solver.model.data import build_data as data_of
    from solver.model.formulation import build_model

    data = data_of(planted_max_share())
    model = build_model(data)
    found = _settled_levers(model, build_groups(data, model), float("inf"), 0)
    assert found["max_contracts"][1] == "max_contracts must be at least 4 (it is 3)"
    assert "max_share must be at least 0.4" in found["max_share[L]"][1]


@pytest.mark.slow
def test_a_large_region_still_gets_its_lever_when_the_filter_runs_out_of_time():
    # Achterhoek with max_contracts 8: the deletion filter over its 69 demand cells does not end
    # in 20 s, but max_contracts alone is settled first
    from solver.instance import load_instance
    from tests.conftest import REPO

    region = load_instance(REPO / "instances" / "achterhoek.json")
    policy = region.policy.model_copy(update={"max_contracts": 8})
    result = solve(
        region.model_copy(update={"policy": policy}), options=SolveOptions(time_limit_s=20)
    )
    assert result.status.value == "infeasible"
    assert any("max_contracts must be at least 10 (it is 8)" in line for line in result.explanation)


def test_the_explanation_reads_in_dutch():
    """The JSON keeps English; where a person reads it, each line is said in Dutch."""
    from solver.i18n.messages import say

    result = solve(planted_max_share(), options=SolveOptions(time_limit_s=20))
    head, *rest = [say(line, "nl") for line in result.explanation]
    assert head.startswith("geen plan voldoet aan deze regels samen: ")
    assert "(een minimaal conflict: zonder één ervan kan de rest gelden)" in head
    assert any(line.startswith("oplossing: max_contracts moet minstens 4 zijn (het is 3)")
               for line in rest), rest  # fmt: skip
    assert any("max_share van perceel L moet minstens 0.4 zijn" in line for line in rest), rest
    assert "max_share van perceel L 0.3" in head
