"""Read a procurement workbook (xlsx) or a folder of CSV files into a validated `Instance`.

Reading has three steps: the file becomes a grid of raw cells per sheet (here); each grid
becomes a `Table` (`tables`: known sheet, columns found by header name in any order, empty rows
dropped); the tables become the SPEC §1 JSON data (`build`), which `parse_instance` validates.
Every problem found on the way -- an unknown sheet, a missing column, a bad cell, a dangling id --
is reported at once, at its `sheet!cell`.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import IO

from openpyxl import load_workbook

from solver.errors import FieldError, InvalidInput
from solver.instance import Instance, load_instance
from solver.io.xlsx.archive import DEFAULT_LIMITS, WorkbookLimits, check_archive
from solver.io.xlsx.build import build_instance
from solver.io.xlsx.tables import Grid, Uncomputed, read_tables

logger = logging.getLogger(__name__)

CSV_FOLDER = "CSV folder"  # how errors name a folder of CSV files ("invalid CSV folder: ...")
Source = str | Path | bytes | IO[bytes]


def read_instance_workbook(source: Source, limits: WorkbookLimits = DEFAULT_LIMITS) -> Instance:
    """Read an xlsx workbook (path, bytes or binary file) into a validated `Instance`.

    The file is checked as an archive first (`archive.check_archive`: size inside, cells, no
    XML document type), so a hostile workbook is refused before any XML is parsed.
    """
    return _build(_xlsx_grids(source, limits), "workbook")


def read_instance_csv_dir(path: str | Path) -> Instance:
    """Read a folder of CSV files named like the sheets (`offers.csv`, ...) into an `Instance`."""
    return _build(_csv_grids(Path(path)), CSV_FOLDER)


def read_instance_any(path: str | Path) -> Instance:
    """Read a workbook, a CSV folder or a JSON file, chosen by what `path` is."""
    path = Path(path)
    if path.is_dir():
        return read_instance_csv_dir(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_instance_workbook(path)
    return load_instance(path)


def _build(grids: list[tuple[str, Grid]], what: str) -> Instance:
    errors: list[FieldError] = []
    tables = read_tables(grids, errors)
    return build_instance(tables, errors, what)


# ----------------------------------------------------------------------------------------------
# Files -> grids


def _xlsx_grids(source: Source, limits: WorkbookLimits) -> list[tuple[str, Grid]]:
    name = str(source) if isinstance(source, str | Path) else "the upload"
    try:
        if isinstance(source, str | Path):
            data = Path(source).read_bytes()
        else:
            data = source if isinstance(source, bytes) else source.read()
    except OSError as exc:
        error = FieldError("", f"cannot read {name}: {exc.strerror}")
        raise InvalidInput([error], "workbook") from None
    check_archive(data, name, limits)
    try:
        # data_only: a formula cell gives the value Excel computed last, which is what people see.
        values = _sheets(data, data_only=True)
        formulas = _sheets(data, data_only=False)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the reader trips over is the file's fault
        logger.debug("openpyxl could not read %s", name, exc_info=True)
        message = (
            f"cannot read {name} as an xlsx workbook: its content is not what Excel writes "
            f"({type(exc).__name__}); save it again from Excel or LibreOffice"
        )
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
