"""A workbook edited the way people edit them imports to the intended instance."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from solver.instance import parse_instance
from solver.io.xlsx.read import read_instance_csv_dir, read_instance_workbook
from tests.workbook_data import append_text_safe, sheets_of, tiny

EXPECTED = {
    "schema_version": 1,
    "name": "Achterhoek 2026",
    "municipalities": [
        {"id": "aalten", "name": "Aalten", "youth_population": 6500},
        {"id": "berkelland", "youth_population": 1234},
    ],
    "lots": [
        {"id": "ambulant", "funding": "lump_sum", "risk_margin": 0.03, "min_providers": 2},
        {"id": "taak", "funding": "task_based", "task_budget": 1250000.5},
    ],
    "care_types": [
        {"id": "begeleiding", "lot": "ambulant"},
        {"id": "crisis", "lot": "taak"},
    ],
    "demand": [
        {"municipality": "aalten", "care_type": "begeleiding", "clients": 40},
        {"municipality": "berkelland", "care_type": "crisis", "clients": 3},
    ],
    "providers": [
        {
            "id": "2024",
            "contract_cost": 6500.0,
            "municipalities": ["aalten", "berkelland"],
            "offers": [
                {"care_type": "begeleiding", "capacity": 1234, "price": 6500.25, "quality": 0.75},
                {"care_type": "crisis", "capacity": 10, "price": 0.5},
            ],
        },
        {
            "id": "zorgplus",
            "name": "Zorg Plus ",
            "contract_cost": 1500.0,
            "offers": [{"care_type": "begeleiding", "capacity": 50, "price": 7000.0}],
            "access_cost": {"berkelland": 12.5},
        },
    ],
    "policy": {"max_contracts": 5, "transfer_cost": 1500.0, "cost_split": {"rule": "usage"}},
}


def _human_workbook(path: Path) -> Path:
    """Headers in other case and order, Dutch text numbers, euro signs, blanks, stray spaces."""
    book = Workbook()
    book.active.title = "Sheet1"  # left empty, as Excel leaves it
    sheets = {
        " Municipalities": [
            ["Youth Population", " ID ", "Name"],
            [None, None, None],
            ["6.500", "aalten ", "Aalten"],
            [" 1.234 ", "berkelland", None],
            ["", "   ", None],
        ],
        "LOTS": [
            ["funding", "id", "Risk margin", "min providers", "task budget"],
            ["Lump sum", "ambulant", "3%", 2.0, None],
            ["task-based", "taak", None, None, "€ 1.250.000,50"],
        ],
        "care_types": [["lot", "id"], ["ambulant", "begeleiding"], ["taak ", "crisis"]],
        "demand": [
            ["clients", "care_type", "municipality"],
            [40, "begeleiding", "aalten"],
            [],
            ["3", "crisis", "berkelland"],
        ],
        "providers": [
            ["municipalities", "contract_cost", "id", "name"],
            ["aalten; berkelland", "€ 6.500,00", 2024, None],
            [None, "1500", "zorgplus", "Zorg Plus "],
        ],
        "offers": [
            ["price", "provider", "care_type", "capacity", "quality"],
            ["€6.500,25", "2024", "begeleiding", "1.234", "0,75"],
            ["0,5", 2024, "crisis", 10, None],
            ["7000", "zorgplus ", "begeleiding", 50.0, None],
        ],
        "access_cost": [
            ["Municipality", "Provider", "Access cost"],
            ["berkelland", "zorgplus", "12,5"],
        ],
        "_notes": [["anything", "goes", "here"]],
        "Policy": [
            ["Value", "Setting", "Note", "Lot", "Municipality"],
            ["Achterhoek 2026", "name", "ignored", None, None],
            ["5", "max_contracts", None, None, None],
            ["€ 1.500,00", "transfer_cost", None, None, None],
            ["Usage", "split_rule", None, None, None],
            [None, "quality_weight", "left empty", None, None],
        ],
    }
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def test_human_edits_import_to_the_intended_instance(tmp_path: Path) -> None:
    instance = read_instance_workbook(_human_workbook(tmp_path / "human.xlsx"))
    assert instance == parse_instance(EXPECTED)


def test_reordered_columns_and_blank_rows_do_not_change_the_instance(tmp_path: Path) -> None:
    sheets = sheets_of(tiny())
    for name, rows in sheets.items():
        reordered = [list(reversed(row)) for row in rows]
        sheets[name] = [reordered[0], [None] * len(reordered[0]), *reordered[1:], []]
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        append_text_safe(book.create_sheet(name.upper()), rows)
    book.save(tmp_path / "reordered.xlsx")
    assert read_instance_workbook(tmp_path / "reordered.xlsx") == tiny()


def test_csv_with_bom_and_commas(tmp_path: Path) -> None:
    """UTF-8 with BOM and ',' separators (Excel's "CSV UTF-8"), quoted Dutch numbers."""
    book = read_instance_workbook(_human_workbook(tmp_path / "human.xlsx"))
    folder = tmp_path / "csv"
    folder.mkdir()
    files = {
        "municipalities": 'id,name,youth_population\naalten,Aalten,"6.500"\nberkelland,,1234\n',
        "lots": "id,funding,risk_margin,min_providers,task_budget\n"
        'ambulant,lump_sum,"0,03",2,\ntaak,task_based,,,"1.250.000,50"\n',
        "care_types": "id,lot\nbegeleiding,ambulant\ncrisis,taak\n",
        "demand": "municipality,care_type,clients\naalten,begeleiding,40\n,,\n"
        "berkelland,crisis,3\n",
        "providers": "id,name,contract_cost,municipalities\n"
        '2024,,"€ 6.500,00","aalten, berkelland"\nzorgplus,Zorg Plus ,1500,\n',
        "offers": "provider,care_type,capacity,price,quality\n"
        '2024,begeleiding,1234,"6.500,25","0,75"\n2024,crisis,10,"0,5",\n'
        "zorgplus,begeleiding,50,7000,\n",
        "access_cost": 'provider,municipality,access_cost\nzorgplus,berkelland,"12,5"\n',
        "policy": "setting,value\nname,Achterhoek 2026\nmax_contracts,5\ntransfer_cost,1500\n"
        "split_rule,usage\n",
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_instance_csv_dir(folder) == book
