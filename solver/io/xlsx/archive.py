"""An xlsx file checked as an archive before any XML parser sees it: size, parts, cells, no DTD.

An xlsx workbook is a zip of XML parts. A hostile one can be small on the wire and huge inside (a
zip bomb), declare XML entities that expand exponentially ("billion laughs"), or hold a million
cells that take a spreadsheet library minutes to read. `check_archive` refuses all of these from
the zip directory and one streaming pass over the parts, at C speed, before openpyxl opens the
file:

- the uncompressed size of all parts together, as the directory declares it (Python's zip reader
  never inflates a part beyond its declared size), and the number of parts and worksheets;
- every part inflates whole and matches its checksum (a cut-off or damaged file is named as such);
- no part declares a document type (`<!DOCTYPE` / `<!ENTITY`): Excel never writes one, and entity
  expansion is how XML bombs work (openpyxl also parses with defusedxml);
- the cells of all worksheets together, counted as `<c` elements in the XML.

Every refusal is an `InvalidInput` with a file-level message in plain words (never the zip
library's own text).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import NoReturn

from solver.errors import FieldError, InvalidInput

_CHUNK = 1 << 20
_OVERLAP = 32  # bytes kept between chunks, so no tag is missed across a boundary
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class WorkbookLimits:
    """How large a workbook may be inside. The defaults hold ~80× the bundled Groningen."""

    max_bytes: int = 50 * 1024 * 1024  # uncompressed, all parts together
    max_parts: int = 1_000
    max_sheets: int = 100
    max_cells: int = 500_000


DEFAULT_LIMITS = WorkbookLimits()


def check_archive(data: bytes, name: str, limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    """Refuse (`InvalidInput`) a workbook that is not a sound xlsx within `limits`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(name, "it is not an xlsx workbook (not a zip archive, or cut off)")
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            _refuse(name, f"it has {len(parts):,} parts; at most {limits.max_parts:,} are read")
        declared = sum(p.file_size for p in parts)
        if declared > limits.max_bytes:
            _refuse(
                name,
                f"it unpacks to {declared:,} bytes; at most {limits.max_bytes:,} are read "
                "(a workbook this large inside is usually a zip bomb)",
            )
        sheets = [p for p in parts if _is_sheet(p.filename)]
        if len(sheets) > limits.max_sheets:
            _refuse(name, f"it has {len(sheets)} worksheets; at most {limits.max_sheets} are read")
        if not any(p.filename == "[Content_Types].xml" for p in parts):
            _refuse(name, "it is a zip archive but no xlsx workbook (no [Content_Types].xml)")
        cells = 0
        for part in parts:
            if part.is_dir():
                continue
            counted = _scan(archive, part, name, count_cells=part in sheets)
            cells += counted
            if cells > limits.max_cells:
                _refuse(
                    name,
                    f"it has more than {limits.max_cells:,} cells; at most that many are read",
                )


def _is_sheet(filename: str) -> bool:
    return filename.startswith("xl/worksheets/") and filename.endswith(".xml")


def _scan(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, *, count_cells: bool) -> int:
    """Inflate one part in chunks (checksum verified); refuse a DTD; count its cells."""
    cells = 0
    tail = b""
    xml = part.filename.endswith((".xml", ".rels", ".vml"))
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                if xml and _DOCTYPE.search(window):
                    _refuse(
                        name,
                        f"it declares an XML document type in {part.filename} (entities can "
                        "expand without bound; Excel never writes one): refused as unsafe",
                    )
                if count_cells:
                    # a match wholly inside the kept tail was counted with the previous chunk
                    cells += sum(1 for m in _CELL.finditer(window) if m.end() > len(tail))
                tail = window[-_OVERLAP:]
    except InvalidInput:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        _refuse(name, f"it is damaged: its part {part.filename} does not unpack whole (cut off?)")
    except (NotImplementedError, RuntimeError):
        _refuse(name, "it uses encryption or compression that xlsx readers do not support")
    return cells


def _refuse(name: str, why: str) -> NoReturn:
    raise InvalidInput([FieldError("", f"cannot read {name}: {why}")], "workbook")
