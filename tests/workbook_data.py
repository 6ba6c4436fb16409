"""A small hand-made instance that touches every sheet and setting of the workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from solver.instance import Instance, parse_instance
from solver.io.xlsx.cells import exact_number_cell
from solver.io.xlsx.layout import ALL_SHEETS
from solver.io.xlsx.write import instance_rows

TINY: dict[str, Any] = {
    "schema_version": 1,
    "name": "tiny workbook",
    "municipalities": [
        {"id": "g1", "name": "Aalten", "youth_population": 1000},
        {"id": "g2", "youth_population": 2000},
    ],
    "lots": [
        {"id": "amb", "name": "Ambulant", "funding": "fee_for_service", "max_share": 0.9},
        {"id": "verb", "funding": "lump_sum", "risk_margin": 0.0, "budget_cap": 1e6},
    ],
    "care_types": [
        {"id": "beg", "name": "Begeleiding", "lot": "amb"},
        {"id": "pleeg", "lot": "verb"},
    ],
    "demand": [
        {"municipality": "g1", "care_type": "beg", "clients": 10},
        {"municipality": "g2", "care_type": "beg", "clients": 5},
        {"municipality": "g1", "care_type": "pleeg", "clients": 2},
    ],
    "providers": [
        {
            "id": "p1",
            "name": "Zorg & Co",
            "contract_cost": 1000.0,
            "offers": [
                {"care_type": "beg", "capacity": 20, "price": 1000.5},
                {"care_type": "pleeg", "capacity": 5, "price": 5000.0, "quality": 0.8},
            ],
            "access_cost": {"g2": 12.5},
            "incumbent": [{"municipality": "g1", "care_type": "beg", "clients": 3}],
        },
        {
            "id": "p2",
            "contract_cost": 500.0,
            "municipalities": ["g2"],
            "offers": [{"care_type": "beg", "capacity": 10, "price": 900.0, "min_clients": 2}],
        },
        {
            "id": "007",
            "name": "=not a formula",
            "contract_cost": 0.1 + 0.2,  # needs 17 digits: exported as exact text
            "municipalities": [],
            "offers": [],
        },
    ],
    "consortia": [
        {
            "id": "c1",
            "name": "Samen",
            "lead": "p1",
            "members": ["p1", "p2"],
            "contract_cost": 1200.0,
        }
    ],
    "policy": {
        "max_contracts": 3,
        "transfer_cost": 100.0,
        "cost_split": {
            "rule": "mixed",
            "usage_weight": 0.3,
            "weights": {"g1": 1.0, "g2": 2.0},
            "by_lot": {
                "amb": {"rule": "key", "weights": {"g1": 0.5, "g2": 0.5}},
                "verb": {"rule": "population", "usage_weight": 0.25},
            },
            "samples": 10,
            "seed": 3,
        },
    },
}


def tiny() -> Instance:
    return parse_instance(TINY)


def sheets_of(instance: Instance) -> dict[str, list[list[Any]]]:
    """Every sheet as rows, header first, as export would lay them out."""
    rows = {
        name: [[exact_number_cell(v) if isinstance(v, float) else v for v in row] for row in data]
        for name, data in instance_rows(instance).items()
    }
    return {s.name: [[c.name for c in s.columns], *rows[s.name]] for s in ALL_SHEETS}


def save_plain(sheets: dict[str, list[list[Any]]], path: Path) -> Path:
    """A workbook written the plain way a person (or another tool) would, no formatting."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        append_text_safe(ws, rows)
    book.save(path)
    return path


def append_text_safe(ws: Any, rows: list[list[Any]]) -> None:
    """Append rows; a text such as '=x' stays text (as Excel does for a cell typed as text)."""
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
