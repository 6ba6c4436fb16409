"""Hostile inputs, built small: workbooks an attacker (or a broken exporter) could send.

Each is a complete file in memory, built from the bundled tiny workbook so that everything but the
attack is a real workbook. Used by the reader's tests, the HTTP hostile-input suite and the
measurements in benchmarks/.
"""

from __future__ import annotations

import io
import json
import zipfile

from tests.conftest import REPO

TINY_XLSX = REPO / "instances" / "tiny.xlsx"
_SHEET = "xl/worksheets/sheet1.xml"


def _replaced(part: str, content: bytes) -> bytes:
    """tiny.xlsx with one part's content replaced (deflated, as Excel writes it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(TINY_XLSX) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = content if item.filename == part else src.read(item)
            dst.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sheet(rows: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows + b"</sheetData></worksheet>"
    )


def zip_bomb(unpacked_mb: int = 200) -> bytes:
    """A workbook whose first sheet unpacks to `unpacked_mb` MB of blanks (~0.2 MB on the wire)."""
    return _replaced(_SHEET, _sheet(b" " * (unpacked_mb * 1024 * 1024)))


def billion_laughs() -> bytes:
    """A workbook whose first sheet declares entities that expand to ~10^9 'lol's."""
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10)))
        for i in range(1, 10)
    )
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [' + entities + b"]>"
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _replaced(_SHEET, sheet)


def many_cells(cells: int = 1_000_000, columns: int = 10) -> bytes:
    """A workbook whose first sheet holds `cells` numeric cells (~0.1 MB per 100k on the wire)."""
    rows = []
    for r in range(1, cells // columns + 1):
        row = b"".join(b'<c r="%s%d"><v>1</v></c>' % (bytes([65 + c]), r) for c in range(columns))
        rows.append(b'<row r="%d">%s</row>' % (r, row))
    return _replaced(_SHEET, _sheet(b"".join(rows)))


def truncated() -> bytes:
    """The tiny workbook cut off halfway, as a broken upload leaves it."""
    data = TINY_XLSX.read_bytes()
    return data[: len(data) // 2]


def damaged_part() -> bytes:
    """A workbook whose zip directory is whole but one part's compressed bytes are garbage."""
    data = bytearray(TINY_XLSX.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(_SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + min(info.compress_size, 64)):
        data[i] ^= 0x5A
    return bytes(data)


def lone_surrogate_json(instance: dict) -> bytes:
    """A request body whose instance name is a lone UTF-16 surrogate (`\\ud800`), as JSON text."""
    body = json.dumps({"instance": {**instance, "name": "SURROGATE"}})
    return body.replace('"SURROGATE"', '"\\ud800"').encode()


WORKBOOKS = {
    "zip_bomb": zip_bomb,
    "billion_laughs": billion_laughs,
    "many_cells": many_cells,
    "truncated": truncated,
    "damaged_part": damaged_part,
}
