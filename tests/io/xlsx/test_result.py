"""The result workbook, and solving from a workbook equals solving from JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver.io.xlsx.read import read_instance_workbook
from solver.io.xlsx.result import EURO, coverage_counts, write_result_workbook
from solver.io.xlsx.write import write_instance_workbook
from solver.result import Assignment, Budget, Contract, Result, Status
from tests.conftest import SHARED
from tests.workbook_data import tiny

# A hand-made plan for the tiny instance (the solver's optimum, written out).
PLAN = Result(
    status=Status.OPTIMAL,
    objective=26005.0,
    backend="highs",
    contracts=[
        Contract(unit="p1", care_types=["beg", "pleeg"]),
        Contract(unit="p2", care_types=["beg"]),
    ],
    assignments=[
        Assignment(unit="p1", provider="p1", municipality="g1", care_type="beg", clients=10),
        Assignment(unit="p1", provider="p1", municipality="g1", care_type="pleeg", clients=2),
        Assignment(unit="p2", provider="p2", municipality="g2", care_type="beg", clients=5),
    ],
    budgets=[Budget(unit="p1", lot="amb", funding="fee_for_service", amount=10005.0)],
    explanation=["a line of explanation"],
)


def test_coverage_counts_by_hand() -> None:
    counts = coverage_counts(tiny(), PLAN)
    # p1 serves everywhere (beg, pleeg); p2 only g2 (beg).
    assert counts == {("g1", "beg"): 1, ("g2", "beg"): 2, ("g1", "pleeg"): 1, ("g2", "pleeg"): 1}


def test_result_workbook_is_formatted_for_people(tmp_path: Path) -> None:
    path = tmp_path / "result.xlsx"
    write_result_workbook(tiny(), PLAN, path, lang="en")
    book = load_workbook(path)
    assert book.sheetnames == [
        "summary",
        "contracts",
        "assignments",
        "budgets",
        "cost split",
        "coverage",
        "explanation",
    ]
    for ws in book.worksheets:
        assert ws.freeze_panes in ("A2", "B2")
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width >= 10
    summary = {row[0]: row[1] for row in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["status"] == "optimal" and summary["objective"] == 26005.0
    assert summary["clients assigned"] == 17
    assignments = list(book["assignments"].iter_rows(min_row=2, values_only=True))
    # p2 in g2: 5 × 900; p1 in g1: no access cost there.
    assert assignments[2][-1] == 4500.0 and assignments[0][-1] == 10 * 1000.5
    assert book["assignments"]["J2"].number_format == EURO
    assert book["budgets"]["E2"].number_format == EURO
    contracts = list(book["contracts"].iter_rows(min_row=2, values_only=True))
    assert contracts[0][0] == "p1" and contracts[0][2:6] == ("provider", "p1", "beg, pleeg",
                                                             "amb, verb")  # fmt: skip
    coverage = book["coverage"]
    names = [c.name or c.id for c in tiny().care_types]
    assert [c.value for c in coverage[1]] == ["municipality", *names]
    g2 = next(m for m in tiny().municipalities if m.id == "g2")
    assert [c.value for c in coverage[3]] == [g2.name or g2.id, 2, 1]
    assert (
        coverage["C3"].fill.fgColor.rgb.endswith("FFFFFF") or coverage["C3"].fill.fill_type is None
    )
    assert coverage["B2"].fill.fill_type == "solid"  # required and met
    assert book["explanation"]["B2"].value == "a line of explanation"


def test_the_result_workbook_in_dutch_with_names(tmp_path: Path) -> None:
    path = tmp_path / "resultaat.xlsx"
    instance = tiny().model_copy(
        update={
            "providers": [
                p.model_copy(update={"name": f"Stichting {p.id.upper()}"}) for p in tiny().providers
            ]
        }
    )
    write_result_workbook(instance, PLAN, path, lang="nl")
    book = load_workbook(path)
    assert book.sheetnames[:4] == ["samenvatting", "contracten", "toewijzingen", "budgetten"]
    summary = {
        row[0]: row[1] for row in book["samenvatting"].iter_rows(min_row=2, values_only=True)
    }
    assert summary["status"] == "optimaal" and summary["toegewezen cliënten"] == 17
    contracts = list(book["contracten"].iter_rows(values_only=True))
    assert contracts[0][:3] == ("partij", "naam", "soort")
    assert contracts[1][:3] == ("p1", "Stichting P1", "aanbieder")


def test_result_workbook_without_a_plan(tmp_path: Path) -> None:
    result = Result(status=Status.INFEASIBLE, explanation=["max_contracts is 1, needs 2"])
    path = tmp_path / "r.xlsx"
    write_result_workbook(tiny(), result, path, lang="en")
    book = load_workbook(path)
    assert book["explanation"]["B2"].value == "max_contracts is 1, needs 2"
    assert book["contracts"].max_row == 1


def _solve():
    solve_module = pytest.importorskip("solver.solve", reason="solver.solve is not built yet")
    return solve_module.solve


def _same(a: Result, b: Result) -> None:
    assert a.status == b.status
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    assert a.contracts == b.contracts
    assert a.assignments == b.assignments
    assert a.budgets == b.budgets
    assert a.cost_split == b.cost_split


def test_solving_from_xlsx_equals_solving_from_json(tmp_path: Path) -> None:
    solve = _solve()
    instance = tiny()
    path = tmp_path / "tiny.xlsx"
    write_instance_workbook(instance, path, lang="en")
    from_json, from_xlsx = solve(instance), solve(read_instance_workbook(path))
    _same(from_json, from_xlsx)
    write_result_workbook(instance, from_xlsx, tmp_path / "result.xlsx", lang="en")
    assert load_workbook(tmp_path / "result.xlsx")["summary"]["B3"].value == "optimal"


def test_solving_conformance_from_xlsx_equals_json(tmp_path: Path) -> None:
    solve = _solve()
    source = SHARED / "conformance" / "c01-basic.json"
    if not source.exists():
        pytest.skip(f"{source} is absent: clone the repo next to shared/")
    from solver.instance import load_instance

    instance = load_instance(source)
    write_instance_workbook(instance, tmp_path / "c01.xlsx", lang="en")
    _same(solve(instance), solve(read_instance_workbook(tmp_path / "c01.xlsx")))


def test_api_style_bytes_in_and_out() -> None:
    """What the HTTP API does: an uploaded body in, a result workbook body out."""
    import io

    upload = io.BytesIO()
    write_instance_workbook(tiny(), upload, lang="en")
    instance = read_instance_workbook(upload.getvalue())
    assert instance == tiny()
    assert read_instance_workbook(io.BytesIO(upload.getvalue())) == tiny()
    body = io.BytesIO()
    write_result_workbook(instance, PLAN, body, lang="en")
    assert load_workbook(io.BytesIO(body.getvalue()))["summary"]["B3"].value == "optimal"
