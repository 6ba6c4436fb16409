"""Workbooks and a horizon (SPEC §8): periods and per-care-type factors round trip; the result
workbook has a horizon sheet and one sheet per period; errors name the cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from solver.errors import InvalidInput
from solver.instance import dump_instance, load_instance, parse_instance
from solver.io.xlsx.read import read_instance_workbook
from solver.io.xlsx.result import write_result_workbook
from solver.io.xlsx.write import write_instance_workbook
from solver.solve import solve

TINY = Path(__file__).resolve().parents[3] / "instances" / "tiny.json"


def _horizon():
    raw = dump_instance(load_instance(TINY))
    raw["horizon"] = {
        "periods": [
            {"id": "y1"},
            {"id": "y2", "demand_factor": {"crisis": 1.2, "pleegzorg": 1.1}, "weight": 0.5},
            {"id": "y3", "term": "2", "demand_factor": 1.05, "price_factor": 1.02,
             "capacity_factor": 1.1, "budget_factor": 1.03},
        ],
        "discount_rate": 0.02,
    }  # fmt: skip
    return parse_instance(raw)


def test_a_horizon_round_trips_through_a_workbook(tmp_path: Path) -> None:
    instance = _horizon()
    path = tmp_path / "h.xlsx"
    write_instance_workbook(instance, path, lang="en")
    assert read_instance_workbook(path) == instance
    book = openpyxl.load_workbook(path)
    assert {"periods", "period_demand"} <= set(book.sheetnames)


def test_the_result_workbook_has_a_sheet_per_period(tmp_path: Path) -> None:
    instance = _horizon()
    result = solve(instance)
    path = tmp_path / "r.xlsx"
    write_result_workbook(instance, result, path, lang="en")
    book = openpyxl.load_workbook(path)
    assert {"horizon", "period y1", "period y2", "period y3"} <= set(book.sheetnames)
    rows = list(book["horizon"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["y1", "y2", "y3"]


def test_horizon_errors_name_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "h.xlsx"
    write_instance_workbook(_horizon(), path, lang="en")
    book = openpyxl.load_workbook(path)
    book["periods"]["F4"] = 0  # y3's capacity_factor
    book["periods"]["A3"] = "y1"  # a repeated id
    book.save(path)
    with pytest.raises(InvalidInput) as caught:
        read_instance_workbook(path)
    said = [f"{e.path}: {e.message}" for e in caught.value.errors]
    assert "periods!F4: capacity_factor must be > 0" in said
    assert "periods!A3: id: duplicate id 'y1' (first at periods!A2)" in said
