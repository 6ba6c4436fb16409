"""`dekkend solve` and `dekkend validate` as a user runs them: outputs and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from solver.cli import app
from solver.cli.app import guarded
from solver.instance import dump_instance
from tests.conftest import REPO
from tests.game_instances import seeded_region

runner = CliRunner()
TINY = REPO / "instances" / "tiny.json"


def test_solve_writes_result_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    done = runner.invoke(app, ["solve", str(TINY), "--out", str(out)])
    assert done.exit_code == 0, done.output
    result = json.loads(out.read_text())
    assert result["status"] == "optimal"
    assert result["contracts"] and result["budgets"] and result["cost_split"]["amounts"]
    assert "Regional cost" in done.output and "Cost split per municipality" in done.output
    check = runner.invoke(app, ["check", str(TINY), str(out)])
    assert check.exit_code == 0, check.output


def test_solve_to_stdout_is_json() -> None:
    done = runner.invoke(app, ["solve", str(TINY), "--backend", "pulp"])
    assert done.exit_code == 0
    assert json.loads(done.stdout)["status"] == "optimal"


def test_broken_instance_lists_every_error_and_exits_2(tmp_path: Path) -> None:
    raw = json.loads(TINY.read_text())
    raw["providers"][1]["offers"][0]["price"] = -5
    raw["providers"][2]["contract_cost"] = "cheap"
    raw["demand"][0]["municipality"] = "Atlantis"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(raw))
    done = runner.invoke(app, ["solve", str(broken)])
    assert done.exit_code == 2
    for needle in (
        "providers[1].offers[0].price: must be ≥ 0",
        "providers[2].contract_cost: must be a number",
        "demand[0].municipality: unknown municipality 'Atlantis'",
    ):
        assert needle in done.output
    assert "Traceback" not in done.output
    assert json.loads(done.stdout.split("\ninvalid")[0])["status"] == "invalid"
    assert runner.invoke(app, ["validate", str(broken)]).exit_code == 2


def test_infeasible_is_a_result_with_exit_0(tmp_path: Path) -> None:
    raw = json.loads(TINY.read_text())
    raw["policy"]["max_contracts"] = 1
    path = tmp_path / "tight.json"
    path.write_text(json.dumps(raw))
    done = runner.invoke(app, ["solve", str(path)])
    assert done.exit_code == 0
    result = json.loads(done.stdout)
    assert result["status"] == "infeasible" and result["explanation"]


def test_missing_file_and_bad_backend_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["validate", str(tmp_path / "nope.json")]).exit_code == 2
    done = runner.invoke(app, ["solve", str(TINY), "--backend", "gurobi"])
    assert done.exit_code == 2 and "backend must be one of" in done.output
    done = runner.invoke(app, ["solve", str(TINY), "--backend", "pulp:NOPE"])
    assert done.exit_code == 2 and "NOPE" in done.output


def test_validate_valid_instance() -> None:
    done = runner.invoke(app, ["validate", str(TINY)])
    assert done.exit_code == 0 and "valid" in done.output


def test_solve_with_alternatives(tmp_path: Path) -> None:
    out = tmp_path / "alternatives.json"
    done = runner.invoke(
        app, ["solve", str(TINY), "--alternatives", "2", "--within", "5%", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    result = json.loads(out.read_text())
    best = result["objective"]
    sets = {frozenset(c["unit"] for c in result["contracts"])}
    for other in result["alternatives"]:
        assert best <= other["objective"] <= best * 1.05 + 1e-6
        sets.add(frozenset(c["unit"] for c in other["contracts"]))
    assert len(sets) == 1 + len(result["alternatives"]), "alternatives must differ"
    bad = runner.invoke(app, ["solve", str(TINY), "--alternatives", "1", "--within", "lots"])
    assert bad.exit_code == 2


def test_split_summary_sets_what_each_would_pay_alone_beside_what_it_pays(
    tmp_path: Path,
) -> None:
    out = tmp_path / "split.json"
    done = runner.invoke(
        app, ["split", str(TINY), "--stand-alone", "--out", str(out)], env={"COLUMNS": "250"}
    )
    assert done.exit_code == 0, done.output
    split = json.loads(out.read_text())["cost_split"]
    regional = json.loads(out.read_text())["regional_cost"]
    # both units in the JSON: the objective c({m}), and on the amounts' scale
    for alone, scaled in zip(split["stand_alone"], split["stand_alone_scaled"], strict=True):
        assert scaled["amount"] == pytest.approx(
            alone["amount"] * regional / split["grand_cost"], abs=0.01
        )
    first, scaled = split["amounts"][0], split["stand_alone_scaled"][0]
    # the summary sets them side by side on one scale, with the gain of buying together
    assert "pays together" in done.output and "would pay alone" in done.output
    row = next(
        line for line in done.output.splitlines() if line.startswith("│ Noordveen") and "€" in line
    )
    assert f"€{first['amount']:,.0f}" in row and f"€{scaled['amount']:,.0f}" in row
    assert f"€{scaled['amount'] - first['amount']:,.0f}" in row


def test_what_a_native_solver_prints_during_a_solve_goes_to_stderr(capfd) -> None:
    # HiGHS prints a debug line straight to file descriptor 1 now and then
    assert guarded(lambda: os.write(1, b"native noise\n")) == len(b"native noise\n")
    print("json", flush=True)
    out, err = capfd.readouterr()
    assert out == "json\n" and "native noise" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "options.workers: must be ≥ 1, not 0"),
        (["--time-limit", "-5"], "options.time_limit: must be > 0 seconds, not -5.0"),
        (["--seed", "-1"], "policy.cost_split.seed: must be ≥ 0"),
        (["--engine", "ray"], "engine must be one of local, dask, not 'ray'"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs the dask engine"),
    ],
)
def test_split_options_that_cannot_work_are_input_errors(args: list[str], message: str) -> None:
    done = CliRunner().invoke(
        app, ["split", str(TINY), "--rule", "shapley", *args], env={"COLUMNS": "200"}
    )
    assert done.exit_code == 2, done.output
    assert message in done.output and "Traceback" not in done.output


def test_split_summary_of_a_sampled_shapley_gives_each_amount_its_standard_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "thirteen.json"
    path.write_text(json.dumps(dump_instance(seeded_region(13, 0, rich=False))))
    out = tmp_path / "split.json"
    done = runner.invoke(
        app,
        ["split", str(path), "--samples", "4", "--seed", "1", "--workers", "1", "--no-cache",
         "--out", str(out)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    split = json.loads(out.read_text())["cost_split"]
    first, error = split["amounts"][0], split["standard_errors"][0]
    assert "sampled Shapley: each amount ± its standard error" in done.output
    lines = done.output.splitlines()
    # the split table's row (the moved-clients table has one per municipality too)
    row = next(
        line for line in lines if line.startswith(f"│ {first['municipality']} ") and "€" in line
    )
    assert f"€{first['amount']:,.0f}" in row and f"± €{error['amount']:,.0f}" in row
