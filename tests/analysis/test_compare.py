import copy
import json

from typer.testing import CliRunner

from solver.analysis.compare import compare, format_care_change
from solver.analysis.min_contracts import with_max_contracts
from solver.cli import app
from solver.solve import solve
from tests.experiment_instances import coverage_grid


def test_compare_names_contracts_won_and_lost_and_clients_moved():
    instance = coverage_grid()
    a = solve(instance)
    b = solve(with_max_contracts(instance, 1))
    diff = compare(a, b, instance)
    units_a = {c.unit for c in a.contracts}
    units_b = {c.unit for c in b.contracts}
    assert set(diff["won"]) == units_b - units_a
    assert set(diff["lost"]) == units_a - units_b
    assert diff["objective"][2] == b.objective - a.objective
    assert diff["clients"] == [20, 20]
    assert diff["clients_moved"] > 0
    deltas = [row["care_delta"] for row in diff["municipalities"].values()]
    care_a = sum(row["care_a"] for row in diff["municipalities"].values())
    assert care_a == a.costs.care_cost
    assert any(d != 0 for d in deltas)


def test_cli_prints_only_the_care_type_changes_that_exist(tmp_path):
    a = solve(coverage_grid()).model_dump(mode="json")
    unit = a["contracts"][0]["unit"]
    care = a["contracts"][0]["care_types"]
    b = copy.deepcopy(a)
    b["contracts"][0]["care_types"] = [*care, "crisis"]  # B: unit won crisis, lost nothing
    (tmp_path / "a.json").write_text(json.dumps(a))
    (tmp_path / "b.json").write_text(json.dumps(b))
    won = CliRunner().invoke(app, ["compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert won.exit_code == 0, won.output
    assert f"  {unit}: +crisis\n" in won.output
    lost = CliRunner().invoke(app, ["compare", str(tmp_path / "b.json"), str(tmp_path / "a.json")])
    assert f"  {unit}: −crisis\n" in lost.output
    assert "—" not in won.output + lost.output


def test_format_care_change_both_ways():
    both = format_care_change("a040", {"won": ["crisis", "jgz"], "lost": ["pleegzorg"]})
    assert both == "a040: +crisis, jgz −pleegzorg"
