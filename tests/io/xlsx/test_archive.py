"""Hostile and broken workbooks are refused before any XML is parsed, in plain words (exit 2)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from solver.cli import app
from solver.errors import InvalidInput
from solver.io.xlsx.archive import WorkbookLimits, check_archive
from solver.io.xlsx.read import read_instance_workbook
from tests import hostile

EXPECTED = {
    "zip_bomb": "unpacks to",
    "billion_laughs": "declares an XML document type",
    "many_cells": "more than 500,000 cells",
    "truncated": "not an xlsx workbook",
    "damaged_part": "does not unpack whole",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    out = {}
    for name, make in hostile.WORKBOOKS.items():
        out[name] = folder / f"{name}.xlsx"
        out[name].write_bytes(make())
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_reader_refuses_each_hostile_workbook_quickly(files, name: str) -> None:
    started = time.monotonic()
    with pytest.raises(InvalidInput) as caught:
        read_instance_workbook(files[name])
    assert time.monotonic() - started < 5  # generous: these take milliseconds (RESULTS.md)
    [error] = caught.value.errors
    assert error.path == "" and EXPECTED[name] in error.message
    for internal in ("Traceback", "zipfile", "BadZipFile", "zlib", "Error -3"):
        assert internal not in error.message


@pytest.mark.parametrize("command", ["validate", "solve", "import"])
@pytest.mark.parametrize("name", ["truncated", "billion_laughs", "zip_bomb"])
def test_the_cli_exits_2_with_a_file_level_message(files, name: str, command: str) -> None:
    done = CliRunner().invoke(app, [command, str(files[name])], env={"COLUMNS": "200"})
    assert done.exit_code == 2, done.output
    assert "invalid workbook" in done.output and EXPECTED[name] in done.output
    assert "Traceback" not in done.output


def test_a_bundled_workbook_passes_and_limits_are_settings() -> None:
    data = hostile.TINY_XLSX.read_bytes()
    check_archive(data, "tiny.xlsx")  # the defaults hold every bundled workbook
    with pytest.raises(InvalidInput, match="more than 100 cells"):
        check_archive(data, "tiny.xlsx", WorkbookLimits(max_cells=100))
    with pytest.raises(InvalidInput, match="unpacks to"):
        check_archive(data, "tiny.xlsx", WorkbookLimits(max_bytes=10_000))


def test_cells_are_counted_across_read_chunks() -> None:
    # 300k cells: the sheet XML spans several 1 MB chunks, and every cell counts once
    data = hostile.many_cells(300_000)
    own = _own_cells(data)  # tiny's other sheets
    check_archive(data, "x", WorkbookLimits(max_cells=300_000 + own))
    with pytest.raises(InvalidInput, match=f"more than {300_000 + own - 1:,} cells"):
        check_archive(data, "x", WorkbookLimits(max_cells=300_000 + own - 1))


def _own_cells(data: bytes) -> int:
    """The `<c` cells of every worksheet but the first (the one `many_cells` fills)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        first = min(sheets, key=lambda n: int(n.removeprefix("xl/worksheets/sheet")[:-4]))
        return sum(len(re.findall(rb"<c[ >]", archive.read(n))) for n in sheets if n != first)
