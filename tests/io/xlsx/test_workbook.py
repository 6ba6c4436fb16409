"""Round trips instance -> workbook/CSV -> instance, the template, and the CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from solver.cli import app
from solver.instance import dump_instance, load_instance
from solver.io.xlsx.layout import ALL_SHEETS
from solver.io.xlsx.read import read_instance_csv_dir, read_instance_workbook
from solver.io.xlsx.write import write_instance_csv_dir, write_instance_workbook, write_template
from tests.conftest import REPO, SHARED
from tests.workbook_data import TINY, save_plain, tiny

CONFORMANCE = sorted((SHARED / "conformance").glob("*.json")) or [
    pytest.param(None, marks=pytest.mark.skip(reason=f"{SHARED} is absent: clone next to shared/"))
]


def _is_instance(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "schema_version" in data


# instances/ also holds non-instance JSON (the manifest of known optima).
BUNDLED = [p for p in sorted((REPO / "instances").glob("*.json")) if _is_instance(p)]


def _round_trip(instance, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    write_instance_workbook(instance, path, lang="en")
    back = read_instance_workbook(path)
    assert back == instance
    assert dump_instance(back) == dump_instance(instance)
    folder = tmp_path / "csv"
    write_instance_csv_dir(instance, folder)
    assert read_instance_csv_dir(folder) == instance


def test_round_trip_tiny_keeps_everything(tmp_path: Path) -> None:
    instance = tiny()
    _round_trip(instance, tmp_path)
    # The details that are easy to lose, checked by name.
    back = read_instance_workbook(_saved(instance, tmp_path))
    assert back.lots[1].risk_margin == 0.0  # 0 is not "absent"
    assert back.providers[2].municipalities == []  # "(none)" is not "all"
    assert back.providers[1].municipalities == ["g2"]
    assert back.providers[0].municipalities is None
    assert back.providers[2].id == "007"
    assert back.providers[2].name == "=not a formula"
    assert back.providers[2].contract_cost == 0.1 + 0.2
    assert back.policy.cost_split.seed == 3
    assert back.policy.cost_split.by_lot["verb"].usage_weight == 0.25


def _saved(instance, tmp_path: Path) -> Path:
    path = tmp_path / "saved.xlsx"
    write_instance_workbook(instance, path, lang="en")
    return path


@pytest.mark.parametrize("path", CONFORMANCE, ids=lambda p: getattr(p, "stem", "absent"))
def test_round_trip_conformance(path: Path, tmp_path: Path) -> None:
    _round_trip(load_instance(path), tmp_path)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_round_trip_bundled(path: Path, tmp_path: Path) -> None:
    _round_trip(load_instance(path), tmp_path)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_example_workbook_has_not_drifted(path: Path) -> None:
    workbook = path.with_suffix(".xlsx")
    if not workbook.exists():
        pytest.skip(f"{workbook.name} not built: dekkend export {path.name} -o {workbook.name}")
    assert read_instance_workbook(workbook) == load_instance(path), (
        f"{workbook.name} is stale: rebuild it with dekkend export"
    )


def test_csv_folder_equals_workbook(tmp_path: Path) -> None:
    """Semicolon-separated cp1252 CSV with Dutch decimals, as Dutch Excel saves it."""
    instance = tiny()
    folder = tmp_path / "csv"
    folder.mkdir()
    book = load_workbook(_saved(instance, tmp_path))
    for ws in book.worksheets:
        lines = []
        for row in ws.iter_rows(values_only=True):
            cells = []
            for v in row:
                if isinstance(v, float):
                    v = repr(v).replace(".", ",")  # decimal comma
                cells.append("" if v is None else str(v))
            lines.append(";".join(cells))
        (folder / f"{ws.title}.csv").write_bytes("\n".join(lines).encode("cp1252"))
    assert read_instance_csv_dir(folder) == read_instance_workbook(tmp_path / "saved.xlsx")
    assert read_instance_csv_dir(folder) == instance


def test_template_documents_every_column(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, lang="en")
    book = load_workbook(path)
    assert book.sheetnames == [s.name for s in ALL_SHEETS]
    for sheet in ALL_SHEETS:
        ws = book[sheet.name]
        for index, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=index)
            assert cell.value == column.name
            assert cell.comment is not None and column.meaning in cell.comment.text
            if column.unit:
                assert column.unit in cell.comment.text
        assert ws.freeze_panes == "A2"
    validations = {
        (ws.title, str(dv.sqref).split(":")[0][0]): dv.formula1
        for ws in book.worksheets
        for dv in ws.data_validations.dataValidation
    }
    assert "lump_sum" in validations["lots", "C"]  # funding
    assert validations["care_types", "C"] == "'lots'!$A$2:$A$5000"
    assert validations["demand", "A"] == "'municipalities'!$A$2:$A$5000"
    assert validations["demand", "B"] == "'care_types'!$A$2:$A$5000"
    assert validations["offers", "A"] == "'providers'!$A$2:$A$5000"
    assert "shapley" in validations["policy", "A"] or "split_rule" in validations["policy", "A"]


def test_filled_template_imports(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, lang="en")
    book = load_workbook(path)
    book["policy"]["D2"] = "from the template"
    rows = {
        "municipalities": [["g1", None, 10]],
        "lots": [["l1", None, "fee_for_service"]],
        "care_types": [["c1", None, "l1"]],
        "demand": [["g1", "c1", 1]],
        "providers": [["p1", None, 5]],
        "offers": [["p1", "c1", 1, 10]],
    }
    for sheet, data in rows.items():
        for row in data:
            book[sheet].append(row)
    book.save(path)
    instance = read_instance_workbook(path)
    assert instance.name == "from the template"
    assert instance.providers[0].offers[0].price == 10.0


def test_cli_export_import_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "tiny.json"
    source.write_text(json.dumps(TINY), encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(app, ["export", str(source), "-o", str(tmp_path / "tiny.xlsx")])
    assert out.exit_code == 0, out.output
    back = runner.invoke(
        app, ["import", str(tmp_path / "tiny.xlsx"), "-o", str(tmp_path / "b.json")]
    )
    assert back.exit_code == 0, back.output
    assert load_instance(tmp_path / "b.json") == tiny()
    csv_out = runner.invoke(app, ["export", str(source), "-o", str(tmp_path / "csvdir")])
    assert csv_out.exit_code == 0
    back_csv = runner.invoke(
        app, ["import", str(tmp_path / "csvdir"), "-o", str(tmp_path / "c.json")]
    )
    assert back_csv.exit_code == 0
    assert load_instance(tmp_path / "c.json") == tiny()
    template = runner.invoke(app, ["template", str(tmp_path / "t.xlsx")])
    assert template.exit_code == 0 and (tmp_path / "t.xlsx").exists()


def test_cli_import_reports_cells_and_exits_2(tmp_path: Path) -> None:
    from tests.workbook_data import sheets_of

    sheets = sheets_of(tiny())
    sheets["offers"][1][3] = -5
    path = save_plain(sheets, tmp_path / "bad.xlsx")
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    assert "offers!D2: price must be ≥ 0" in result.output


def test_cli_import_unreadable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_exports_are_byte_for_byte_reproducible(tmp_path: Path) -> None:
    write_instance_workbook(tiny(), tmp_path / "a.xlsx", lang="en")
    write_instance_workbook(tiny(), tmp_path / "b.xlsx", lang="en")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_write_example_workbooks_skips_non_instances(tmp_path: Path) -> None:
    from solver.io.xlsx.write import write_example_workbooks

    (tmp_path / "tiny.json").write_text(json.dumps(TINY), encoding="utf-8")
    (tmp_path / "manifest.json").write_text('{"tiny": {"optimum": 1}}', encoding="utf-8")
    assert write_example_workbooks(tmp_path) == [tmp_path / "tiny.xlsx"]
    assert read_instance_workbook(tmp_path / "tiny.xlsx") == tiny()
