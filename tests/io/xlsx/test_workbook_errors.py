"""Bad cells of every kind give their own sheet!cell error, all in one pass."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from solver.errors import InvalidInput
from solver.io.xlsx.read import read_instance_csv_dir, read_instance_workbook
from tests.workbook_data import save_plain, sheets_of, tiny


def _errors(sheets, tmp_path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        read_instance_workbook(save_plain(sheets, tmp_path / "bad.xlsx"))
    return [str(e) for e in caught.value.errors]


def test_every_kind_of_bad_cell_in_one_pass(tmp_path: Path) -> None:
    sheets = sheets_of(tiny())
    sheets["municipalities"][1][2] = True
    sheets["lots"][0].append("prijs")
    sheets["lots"][2][2] = "lumpsum"
    sheets["care_types"][2][2] = "nope"
    sheets["demand"] = [row[:2] for row in sheets["demand"]]  # the clients column is gone
    sheets["providers"][2][0] = "p1"  # duplicate id
    sheets["providers"][3][2] = "gratis"
    sheets["offers"][1][3] = -5
    sheets["offers"][2][3] = "6.500"
    sheets["offers"][2][2] = 2.5
    sheets["offers"][1][5] = 1.5
    sheets["offers"][1][4] = datetime(2024, 3, 1)
    sheets["access_cost"].append(list(sheets["access_cost"][1]))
    sheets["incumbents"][1][3] = "-3"
    sheets["offers"][3][2] = -1  # in a row whose provider is unknown: still reported
    sheets["Extra"] = [["what"], ["notes that belong in a _sheet"]]
    sheets["policy"].append(["max_contract", None, None, 4, None])
    errors = _errors(sheets, tmp_path)
    expected = [
        "municipalities!C2: youth_population must be a whole number, not TRUE",
        "lots!M1: unknown column 'prijs'",
        "lots!C3: funding must be one of",
        "care_types!C3: lot: unknown lot 'nope'",
        "demand!1:1: missing required column 'clients'",
        "providers!A3: id: duplicate id 'p1' (first at providers!A2)",
        "providers!C4: contract_cost must be a number, not the text 'gratis'",
        "offers!D2: price must be ≥ 0",
        "offers!F2: quality must be ≤ 1",
        "offers!C3: capacity must be a whole number, not 2.5",
        "offers!D3: price: '6.500' is ambiguous: 6500",
        "offers!E2: min_clients must be a number, not a date",
        "offers!C4: capacity must be ≥ 0",
        "access_cost!B3: repeats the access cost of this provider in g2 (first at access_cost!B2)",
        "incumbents!D2: clients must be ≥ 0",
        "Extra: unknown sheet 'Extra'",
        "policy!A",
    ]
    for text in expected:
        assert any(e.startswith(text) for e in errors), f"{text!r} not in {errors}"
    assert any("unknown setting 'max_contract'" in e for e in errors)
    # A missing column is reported once, not once per row.
    assert not [e for e in errors if e.startswith("demand!") and "1:1" not in e]
    # Every error names a sheet (and a cell where there is one).
    assert all(":" in e and not e.startswith(("providers[", "policy.")) for e in errors)


def test_missing_sheets_and_columns(tmp_path: Path) -> None:
    sheets = sheets_of(tiny())
    del sheets["offers"]
    del sheets["policy"]
    sheets["providers"] = [row[:2] for row in sheets["providers"]]  # no contract_cost
    errors = _errors(sheets, tmp_path)
    assert "offers: missing sheet 'offers'" in errors
    assert "policy: missing sheet 'policy'" in errors
    assert "providers!1:1: missing required column 'contract_cost'" in errors
    assert len(errors) == 3, errors


def test_unknown_ids_in_nested_sheets(tmp_path: Path) -> None:
    sheets = sheets_of(tiny())
    sheets["offers"][1][0] = "ghost"
    sheets["offers"][2][1] = "nocare"
    sheets["access_cost"][1][1] = "nowhere"
    sheets["providers"][2][3] = "g2, g9"
    sheets["consortia"][1][3] = "p1, p1"
    errors = _errors(sheets, tmp_path)
    for text in (
        "offers!A2: provider: unknown provider 'ghost'",
        "offers!B3: care_type: unknown care type 'nocare'",
        "access_cost!B2: municipality: unknown municipality 'nowhere'",
        "providers!D3: municipalities: unknown municipality 'g9'",
        "consortia!D2: members: 'p1' is listed twice",
    ):
        assert text in errors, f"{text!r} not in {errors}"


def test_policy_settings_errors(tmp_path: Path) -> None:
    sheets = sheets_of(tiny())
    sheets["policy"] += [
        ["transfer_cost", "amb", None, 5, None],  # takes no lot
        ["split_weight", None, None, 1, None],  # needs a municipality
        ["max_contracts", None, None, 7, None],  # repeated
    ]
    (amb_rule,) = [r for r in sheets["policy"] if r[0] == "split_rule" and r[1] == "amb"]
    amb_rule[3] = "shapley"  # not allowed per lot
    errors = _errors(sheets, tmp_path)
    assert any("transfer_cost takes no lot" in e for e in errors), errors
    assert any("split_weight needs a municipality" in e for e in errors), errors
    assert any("repeats setting max_contracts (first at policy!A" in e for e in errors), errors
    assert any(e.startswith("policy!D") and "split_rule must be one of" in e for e in errors)


def test_csv_errors_name_csv_cells(tmp_path: Path) -> None:
    from solver.io.xlsx.write import write_instance_csv_dir

    folder = tmp_path / "csv"
    write_instance_csv_dir(tiny(), folder)
    offers = (folder / "offers.csv").read_text(encoding="utf-8").splitlines()
    cells = offers[1].split(",")
    cells[3] = '"1,234"'  # Dutch 1.234 or English 1234: a price cannot tell
    offers[1] = ",".join(cells)
    (folder / "offers.csv").write_text("\n".join(offers), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_instance_csv_dir(folder)
    assert caught.value.what == "CSV folder"  # the heading: "invalid CSV folder: 1 error(s)"
    (error,) = caught.value.errors
    assert error.path == "offers!D2"
    assert "ambiguous" in error.message and "1234" in error.message and "1.234" in error.message


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InvalidInput) as caught:
        read_instance_workbook(path)
    assert "cannot read" in caught.value.errors[0].message
    assert caught.value.what == "workbook"
    with pytest.raises(InvalidInput) as caught:
        read_instance_csv_dir(tmp_path)  # no CSV files
    assert caught.value.what == "CSV folder"


def test_formula_without_a_computed_value_is_named(tmp_path: Path) -> None:
    sheets = sheets_of(tiny())
    sheets["offers"][1][2] = "=10*2"  # openpyxl stores the formula, never its result
    sheets["providers"][3][1] = "plain name"  # (its '=...' name would be a formula too)
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(tmp_path / "formula.xlsx")
    with pytest.raises(InvalidInput) as caught:
        read_instance_workbook(tmp_path / "formula.xlsx")
    (error,) = caught.value.errors
    assert error.path == "offers!C2" and "=10*2 has no computed value" in error.message
