"""Grids of raw cells -> `Table`s: known sheets, columns found by header name, empty rows dropped.

The middle step of reading a workbook (`read`): every unknown sheet, unknown, doubled or missing
column and value without a header is reported at its `sheet!cell`; `build` turns the tables into
SPEC §1 JSON data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from solver.errors import FieldError
from solver.i18n.messages import E_
from solver.io.xlsx.cells import is_blank
from solver.io.xlsx.labels import column_names, normalize_name, sheet_names, title
from solver.io.xlsx.layout import ALL_SHEETS, IGNORED_SHEET_PREFIX, SHEET_BY_NAME, Sheet

Grid = list[tuple[Any, ...]]


class Uncomputed(str):
    """A formula cell without a stored result (written by a program, never opened in Excel)."""


@dataclass
class Table:
    """One known sheet as read: where each column is, and its non-empty rows."""

    sheet: Sheet
    header_row: int
    title: str = ""  # the sheet's title in the workbook (any language): errors name it so
    columns: dict[str, int] = field(default_factory=dict)  # column name -> 1-based index
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)

    def value(self, values: tuple[Any, ...], name: str) -> Any:
        """The raw cell of column `name` in a row (None when the column or cell is absent)."""
        index = self.columns.get(name)
        if index is None or index > len(values):
            return None
        return values[index - 1]

    def ref(self, row: int, name: str) -> str:
        """'offers!D17' ('aanbod!D17' in a Dutch workbook)."""
        return f"{self.title}!{get_column_letter(self.columns[name])}{row}"

    def row_ref(self, row: int) -> str:
        """'offers!A17:F17': the whole row, for errors about a row rather than a cell."""
        last = get_column_letter(max(self.columns.values(), default=1))
        return f"{self.title}!A{row}:{last}{row}"


def read_tables(grids: Iterable[tuple[str, Grid]], errors: list[FieldError]) -> dict[str, Table]:
    """The known sheets of `grids` as tables; every problem found is added to `errors`."""
    tables: dict[str, Table] = {}
    grids = list(grids)
    lang = _language([t for t, _ in grids])
    for heading, grid in grids:
        normal = normalize_name(heading)
        if normal.startswith(IGNORED_SHEET_PREFIX):
            continue
        sheet = SHEET_BY_NAME.get(sheet_names().get(normal, ""))
        if sheet is None:
            if any(not is_blank(v) for row in grid for v in row):
                known = ", ".join(title(s.name, lang) for s in ALL_SHEETS)
                errors.append(
                    FieldError(
                        heading,
                        E_(
                            "unknown sheet {sheet} (expected {known}; start a sheet's name with "
                            "{prefix} to keep notes in it)"
                        ).format(
                            sheet=repr(heading), known=known, prefix=repr(IGNORED_SHEET_PREFIX)
                        ),
                    )
                )
            continue  # an empty 'Sheet1' is harmless
        if sheet.name in tables:
            errors.append(
                FieldError(heading, E_("sheet {sheet} appears twice").format(sheet=repr(heading)))
            )
            continue
        tables[sheet.name] = _table(sheet, str(heading), grid, errors, lang)
    for sheet in ALL_SHEETS:
        if sheet.required and sheet.name not in tables:
            name = title(sheet.name, lang)
            errors.append(FieldError(name, E_("missing sheet {sheet}").format(sheet=repr(name))))
    return tables


def _language(headings: list[str]) -> str:
    """The workbook's language, from its sheet titles (Dutch unless they are the English ones)."""
    english = {normalize_name(s.name) for s in ALL_SHEETS}
    found = [normalize_name(h) for h in headings]
    known = [h for h in found if h in sheet_names()]
    return "en" if known and all(h in english for h in known) else "nl"


def _table(sheet: Sheet, heading: str, grid: Grid, errors: list[FieldError], lang: str) -> Table:
    start = next((i for i, row in enumerate(grid) if any(not is_blank(v) for v in row)), None)
    table = Table(sheet, header_row=(start or 0) + 1, title=heading)
    if start is None:
        _missing_columns(table, errors, lang)
        return table
    headerless: set[int] = set()
    names = column_names(sheet.name)
    for index, header in enumerate(grid[start], start=1):
        cell = f"{heading}!{get_column_letter(index)}{table.header_row}"
        if is_blank(header):
            headerless.add(index)
            continue
        normal = normalize_name(header)
        if normal.startswith(IGNORED_SHEET_PREFIX):
            continue
        name = names.get(normal)
        if name is None:
            known = ", ".join(title(c.name, lang) for c in sheet.columns)
            errors.append(
                FieldError(
                    cell,
                    E_("unknown column {column} (expected {known})").format(
                        column=repr(header), known=known
                    ),
                )
            )
        elif name in table.columns:
            first = get_column_letter(table.columns[name])
            errors.append(
                FieldError(
                    cell,
                    E_("column {column} appears twice (first in {first})").format(
                        column=repr(header), first=first
                    ),
                )
            )
        else:
            table.columns[name] = index
    _missing_columns(table, errors, lang)
    for number, row in enumerate(grid[start + 1 :], start=table.header_row + 1):
        if all(is_blank(v) for v in row):
            continue
        for index in sorted(headerless):
            if index <= len(row) and not is_blank(row[index - 1]):
                errors.append(
                    FieldError(
                        f"{heading}!{get_column_letter(index)}{number}",
                        E_("a value in a column without a header"),
                    )
                )
                headerless.discard(index)  # once per column is enough
        table.rows.append((number, row))
    return table


def _missing_columns(table: Table, errors: list[FieldError], lang: str) -> None:
    for column in table.sheet.columns:
        if column.required and column.name not in table.columns:
            errors.append(
                FieldError(
                    f"{table.title}!{table.header_row}:{table.header_row}",
                    E_("missing required column {column}").format(
                        column=repr(title(column.name, lang))
                    ),
                )
            )
