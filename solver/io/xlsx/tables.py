"""Grids of raw cells -> `Table`s: known sheets, columns found by header name, empty rows dropped.

The middle step of reading a workbook (`read`): every unknown sheet, unknown, doubled or missing
column and value without a header is reported at its `sheet!cell`; `build` turns the tables into
SPEC §1 JSON data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from solver.errors import FieldError
from solver.io.xlsx.cells import is_blank
from solver.io.xlsx.layout import ALL_SHEETS, IGNORED_SHEET_PREFIX, SHEET_BY_NAME, Sheet

Grid = list[tuple[Any, ...]]


class Uncomputed(str):
    """A formula cell without a stored result (written by a program, never opened in Excel)."""


@dataclass
class Table:
    """One known sheet as read: where each column is, and its non-empty rows."""

    sheet: Sheet
    header_row: int
    columns: dict[str, int] = field(default_factory=dict)  # column name -> 1-based index
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)

    def value(self, values: tuple[Any, ...], name: str) -> Any:
        """The raw cell of column `name` in a row (None when the column or cell is absent)."""
        index = self.columns.get(name)
        if index is None or index > len(values):
            return None
        return values[index - 1]

    def ref(self, row: int, name: str) -> str:
        """'offers!D17'."""
        return f"{self.sheet.name}!{get_column_letter(self.columns[name])}{row}"

    def row_ref(self, row: int) -> str:
        """'offers!A17:F17': the whole row, for errors about a row rather than a cell."""
        last = get_column_letter(max(self.columns.values(), default=1))
        return f"{self.sheet.name}!A{row}:{last}{row}"


def normalize_name(text: Any) -> str:
    """' Youth population ' -> 'youth_population' (header and sheet names)."""
    return re.sub(r"[\s-]+", "_", str(text).strip().lower())


def read_tables(grids: Iterable[tuple[str, Grid]], errors: list[FieldError]) -> dict[str, Table]:
    """The known sheets of `grids` as tables; every problem found is added to `errors`."""
    tables: dict[str, Table] = {}
    for title, grid in grids:
        name = normalize_name(title)
        if name.startswith(IGNORED_SHEET_PREFIX):
            continue
        sheet = SHEET_BY_NAME.get(name)
        if sheet is None:
            if any(not is_blank(v) for row in grid for v in row):
                known = ", ".join(s.name for s in ALL_SHEETS)
                errors.append(
                    FieldError(
                        title,
                        f"unknown sheet {title!r} (expected {known}; start a sheet's name "
                        f"with {IGNORED_SHEET_PREFIX!r} to keep notes in it)",
                    )
                )
            continue  # an empty 'Sheet1' is harmless
        if name in tables:
            errors.append(FieldError(title, f"sheet {name!r} appears twice"))
            continue
        tables[name] = _table(sheet, grid, errors)
    for sheet in ALL_SHEETS:
        if sheet.required and sheet.name not in tables:
            errors.append(FieldError(sheet.name, f"missing sheet {sheet.name!r}"))
    return tables


def _table(sheet: Sheet, grid: Grid, errors: list[FieldError]) -> Table:
    start = next((i for i, row in enumerate(grid) if any(not is_blank(v) for v in row)), None)
    table = Table(sheet, header_row=(start or 0) + 1)
    if start is None:
        _missing_columns(table, errors)
        return table
    headerless: set[int] = set()
    for index, header in enumerate(grid[start], start=1):
        cell = f"{sheet.name}!{get_column_letter(index)}{table.header_row}"
        if is_blank(header):
            headerless.add(index)
            continue
        name = normalize_name(header)
        if name.startswith(IGNORED_SHEET_PREFIX):
            continue
        if name not in {c.name for c in sheet.columns}:
            known = ", ".join(c.name for c in sheet.columns)
            errors.append(FieldError(cell, f"unknown column {header!r} (expected {known})"))
        elif name in table.columns:
            first = get_column_letter(table.columns[name])
            errors.append(FieldError(cell, f"column {name!r} appears twice (first in {first})"))
        else:
            table.columns[name] = index
    _missing_columns(table, errors)
    for number, row in enumerate(grid[start + 1 :], start=table.header_row + 1):
        if all(is_blank(v) for v in row):
            continue
        for index in sorted(headerless):
            if index <= len(row) and not is_blank(row[index - 1]):
                errors.append(
                    FieldError(
                        f"{sheet.name}!{get_column_letter(index)}{number}",
                        "a value in a column without a header",
                    )
                )
                headerless.discard(index)  # once per column is enough
        table.rows.append((number, row))
    return table


def _missing_columns(table: Table, errors: list[FieldError]) -> None:
    for column in table.sheet.columns:
        if column.required and column.name not in table.columns:
            errors.append(
                FieldError(
                    f"{table.sheet.name}!{table.header_row}:{table.header_row}",
                    f"missing required column {column.name!r}",
                )
            )
