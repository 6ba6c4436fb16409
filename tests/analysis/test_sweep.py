import csv
import json

import pytest

from solver.analysis.scenario import parse_setting
from solver.analysis.sweep import grid, sweep, write_sweep
from solver.errors import InvalidInput
from solver.options import SolveOptions
from tests.experiment_instances import conformance, coverage_grid


def test_values_ranges_lists_and_literals():
    assert parse_setting("policy.max_contracts=20:30:5").values == (20, 25, 30)
    assert parse_setting("lots[L].max_share=0.2:0.4:0.1").values == (0.2, 0.3, 0.4)
    assert parse_setting("lots[L].max_share=null,0.5").values == (None, 0.5)
    assert parse_setting("name=abc").values == ("abc",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("policy.max_contract=3", "unknown field"),
        ("lots[nope].min_providers=1", "no item with id 'nope'"),
        ("lots[L].min_providers=0,1", "must be ≥ 1"),
        ("providers[99].contract_cost=1", "past the end"),
        ("policy.max_contracts", "PATH=VALUES"),
        ("policy.max_contracts=5:1:1", "stop ≥ start"),
    ],
)
def test_a_bad_setting_names_its_set(text, fragment):
    with pytest.raises(InvalidInput) as info:
        grid(coverage_grid(), [parse_setting(text)])
    message = str(info.value)
    assert f"--set {text}" in message
    assert fragment in message


def test_grid_is_every_combination_by_id_and_index():
    settings = [
        parse_setting("policy.max_contracts=1,2,3"),
        parse_setting("lots[L].min_providers=1,2"),
        parse_setting("providers[1].contract_cost=0,5"),
    ]
    scenarios = grid(coverage_grid(), settings)
    assert len(scenarios) == 12
    chosen, instance = scenarios[-1]
    assert chosen == {
        "policy.max_contracts": 3,
        "lots[L].min_providers": 2,
        "providers[1].contract_cost": 5,
    }
    assert instance.policy.max_contracts == 3
    assert instance.lots[0].min_providers == 2
    assert instance.providers[1].contract_cost == 5


def test_more_contracts_never_raise_the_optimum_and_files_are_written(tmp_path):
    base = conformance("c01-basic")
    settings = [parse_setting("policy.max_contracts=9:15:2")]
    rows = sweep(base, settings, options=SolveOptions(time_limit_s=30), workers=2)
    assert [r["settings"]["policy.max_contracts"] for r in rows] == [9, 11, 13, 15]
    assert all(r["status"] == "optimal" for r in rows)
    objectives = [r["objective"] for r in rows]
    assert all(b <= a * (1 + 1e-9) for a, b in zip(objectives, objectives[1:], strict=False))
    assert objectives[0] > objectives[-1]  # the limit binds at 9
    assert all(r["contracts"] <= r["settings"]["policy.max_contracts"] for r in rows)
    csv_path = write_sweep(rows, tmp_path / "sweep.json")
    assert json.loads((tmp_path / "sweep.json").read_text())[0]["objective"] == objectives[0]
    table = list(csv.DictReader(csv_path.open()))
    assert [int(r["policy.max_contracts"]) for r in table] == [9, 11, 13, 15]
    assert {"status", "objective", "regional_cost", "contracts", "moved_clients", "gap"} <= set(
        table[0]
    )
