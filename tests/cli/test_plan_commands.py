"""`dekkend baseline`, `compare`, `min-moved`, `stress` and `robustness` on the tiny region.

As a procurement team types them, and their clear errors on bad input.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from solver.cli import app

runner = CliRunner()
TINY = str(Path(__file__).resolve().parents[2] / "instances" / "tiny.json")
EEMLAND = str(Path(__file__).resolve().parents[2] / "instances" / "eemland.json")
WIDE = {"COLUMNS": "200"}


def _run(*args: str) -> tuple[int, str]:
    done = runner.invoke(app, list(args), env=WIDE)
    return done.exit_code, done.output


def test_baseline_then_compare_line_by_line(tmp_path: Path) -> None:
    base, plan = tmp_path / "baseline.json", tmp_path / "plan.json"
    code, said = _run("baseline", TINY, "--out", str(base))
    assert code == 0, said
    today = json.loads(base.read_text())
    assert today["status"] == "optimal"
    assert any("have a recorded provider today" in n for n in today["notes"])
    assert _run("solve", TINY, "--out", str(plan))[0] == 0
    code, said = _run("compare", str(base), str(plan), "--instance", TINY)
    assert code == 0, said
    for line in ("contracts", "contract cost", "care cost", "regional cost",
                 "clients who change provider", "have a recorded provider today"):  # fmt: skip
        assert line in said


def test_min_moved_prints_who_moves(tmp_path: Path) -> None:
    out = tmp_path / "mm.json"
    code, said = _run("min-moved", TINY, "--out", str(out))
    assert code == 0, said
    found = json.loads(out.read_text())
    assert found["min_moved"] == sum(r["clients"] for r in found["moved"])
    assert "fewest clients who change provider" in said


def test_stress_and_robustness_from_the_cli(tmp_path: Path) -> None:
    plan, report = tmp_path / "plan.json", tmp_path / "stress.json"
    assert _run("solve", TINY, "--out", str(plan))[0] == 0
    code, said = _run("stress", str(plan), TINY, "--out", str(report), "--threshold", "40%")
    assert code == 0, said
    data = json.loads(report.read_text())
    assert data["units"] == len(json.loads(plan.read_text())["contracts"])
    assert "contracted units can fail without breaking the plan" in said
    robust = tmp_path / "robust.json"
    code, said = _run("robustness", TINY, "--result", str(plan), "--margin", "1%",
                      "--out", str(robust))  # fmt: skip
    assert code == 0, said
    counts = json.loads(robust.read_text())["counts"]
    assert counts["firm_in"] + counts["open"] == data["units"]
    assert "firm in:" in said


def test_bad_input_is_named(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert _run("solve", TINY, "--out", str(plan))[0] == 0
    code, said = _run("stress", str(tmp_path / "missing.json"), TINY)
    assert code == 2 and "missing.json" in said
    code, said = _run("stress", str(plan), EEMLAND)
    assert code == 2 and "the result is of instance 'tiny', not of 'eemland'" in said
    code, said = _run("robustness", TINY, "--result", str(plan), "--margin", "-1%")
    assert code == 2 and "--margin" in said
    code, said = _run("stress", str(plan), TINY, "--threshold", "150%")
    assert code == 2 and "--threshold" in said
    code, said = _run("compare", str(plan), str(plan), "--instance", EEMLAND)
    assert code == 2 and "a result of instance 'tiny', not of 'eemland'" in said
    assert "Traceback" not in said
