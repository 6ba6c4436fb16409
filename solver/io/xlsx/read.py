"""Read a procurement workbook (xlsx) or a folder of CSV files into a validated `Instance`.

Reading has three steps: the file becomes a grid of raw cells per sheet; each grid becomes a
`Table` (known sheet, columns found by header name in any order, empty rows dropped); the tables
become the SPEC §1 JSON data (`solver.io.sheet_build`), which `parse_instance` validates. Every
problem found on the way -- an unknown sheet, a missing column, a bad cell, a dangling id -- is
reported at once, at its `sheet!cell`.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from solver.errors import FieldError, InvalidInput
from solver.instance.schema import Instance
from solver.io.xlsx.cells import is_blank
from solver.io.xlsx.layout import ALL_SHEETS, IGNORED_SHEET_PREFIX, SHEET_BY_NAME, Sheet

logger = logging.getLogger(__name__)

Grid = list[tuple[Any, ...]]
CSV_FOLDER = "CSV folder"  # how errors name a folder of CSV files ("invalid CSV folder: ...")
Source = str | Path | bytes | IO[bytes]


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


def read_instance_workbook(source: Source) -> Instance:
    """Read an xlsx workbook (path, bytes or binary file) into a validated `Instance`."""
    return _build(_xlsx_grids(source), "workbook")


def read_instance_csv_dir(path: str | Path) -> Instance:
    """Read a folder of CSV files named like the sheets (`offers.csv`, ...) into an `Instance`."""
    return _build(_csv_grids(Path(path)), CSV_FOLDER)


def read_instance_any(path: str | Path) -> Instance:
    """Read a workbook, a CSV folder or a JSON file, chosen by what `path` is."""
    from solver.instance.schema import load_instance

    path = Path(path)
    if path.is_dir():
        return read_instance_csv_dir(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_instance_workbook(path)
    return load_instance(path)


def _build(grids: list[tuple[str, Grid]], what: str) -> Instance:
    from solver.io.xlsx.build import build_instance

    errors: list[FieldError] = []
    tables = _tables(grids, errors)
    return build_instance(tables, errors, what)


# ----------------------------------------------------------------------------------------------
# Files -> grids


class Uncomputed(str):
    """A formula cell without a stored result (written by a program, never opened in Excel)."""


def _xlsx_grids(source: Source) -> list[tuple[str, Grid]]:
    name = str(source) if isinstance(source, str | Path) else "the upload"
    try:
        if isinstance(source, str | Path):
            data = Path(source).read_bytes()
        else:
            data = source if isinstance(source, bytes) else source.read()
        # data_only: a formula cell gives the value Excel computed last, which is what people see.
        values = _sheets(data, data_only=True)
        formulas = _sheets(data, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        message = f"cannot read {name} as an xlsx workbook: {exc}"
        raise InvalidInput([FieldError("", message)], "workbook") from None
    # A formula whose result was never stored reads as empty: say so instead of losing it.
    grids = []
    for (title, grid), (_, source_grid) in zip(values, formulas, strict=True):
        for r, (row, raw_row) in enumerate(zip(grid, source_grid, strict=False)):
            if any(
                v is None and isinstance(f, str) and f.startswith("=")
                for v, f in zip(row, raw_row, strict=False)
            ):
                grid[r] = tuple(
                    Uncomputed(f) if v is None and isinstance(f, str) and f.startswith("=") else v
                    for v, f in zip(row, raw_row, strict=False)
                ) + tuple(row[len(raw_row) :])
        grids.append((title, grid))
    return grids


def _sheets(data: bytes, *, data_only: bool) -> list[tuple[str, Grid]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]
    finally:
        book.close()


def _csv_grids(folder: Path) -> list[tuple[str, Grid]]:
    if not folder.is_dir():
        raise InvalidInput([FieldError("", f"{folder} is not a folder of CSV files")], CSV_FOLDER)
    grids = []
    for file in sorted(folder.glob("*.csv")):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise InvalidInput([FieldError(file.name, f"cannot read: {exc}")], CSV_FOLDER) from None
        grids.append((file.stem, _csv_rows(data)))
    if not grids:
        raise InvalidInput([FieldError("", f"no .csv files in {folder}")], CSV_FOLDER)
    return grids


def _csv_rows(data: bytes) -> Grid:
    """Rows of a CSV file: UTF-8 (with or without BOM) or Windows-1252; ',', ';' or tab."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Dutch Windows writes cp1252 with ';' between fields.
        text = data.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    return [tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


# ----------------------------------------------------------------------------------------------
# Grids -> tables


def normalize_name(text: Any) -> str:
    """' Youth population ' -> 'youth_population' (header and sheet names)."""
    return re.sub(r"[\s-]+", "_", str(text).strip().lower())


def _tables(grids: Iterable[tuple[str, Grid]], errors: list[FieldError]) -> dict[str, Table]:
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
