import json

from typer.testing import CliRunner

from solver.cli import app
from tests.experiment_instances import SHARED, conformance

runner = CliRunner()


def _c01():
    conformance("c01-basic")  # skips without shared/
    return str(SHARED / "conformance" / "c01-basic.json")


def test_sweep_min_contracts_rules_compare_report(tmp_path):
    c01 = _c01()
    out = tmp_path / "sweep.json"
    done = runner.invoke(
        app,
        ["sweep", c01, "--set", "policy.max_contracts=10,14", "--out", str(out), "--workers", "1"],
    )
    assert done.exit_code == 0, done.output
    assert len(json.loads(out.read_text())) == 2 and out.with_suffix(".csv").exists()

    mc = tmp_path / "mc.json"
    done = runner.invoke(app, ["min-contracts", c01, "--out", str(mc)])
    assert done.exit_code == 0, done.output
    assert json.loads(mc.read_text())["min_contracts"] == 9

    done = runner.invoke(app, ["rules", c01, "--out", str(tmp_path / "rules.json")])
    assert done.exit_code == 0, done.output
    assert json.loads((tmp_path / "rules.json").read_text())[0]["rule"] == "policy.transfer_cost"

    done = runner.invoke(app, ["compare", str(mc), str(mc), "--instance", c01])
    assert done.exit_code == 0, done.output
    assert "clients placed elsewhere: 0" in done.output

    html = tmp_path / "r.html"
    done = runner.invoke(
        app, ["report", str(mc), "--instance", c01, "--sweep", str(out), "-o", str(html)]
    )
    assert done.exit_code == 0, done.output
    assert "Cost of consolidation" in html.read_text()


def test_bad_set_and_bad_result_exit_2(tmp_path):
    c01 = _c01()
    done = runner.invoke(app, ["sweep", c01, "--set", "lots[nope].min_providers=2"])
    assert done.exit_code == 2
    assert "--set lots[nope].min_providers=2" in done.output
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    done = runner.invoke(app, ["report", str(bad), "-o", str(tmp_path / "x.html")])
    assert done.exit_code == 2
