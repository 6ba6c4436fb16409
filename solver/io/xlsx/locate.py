"""Where a schema error sits in a workbook: a JSON path -> the `sheet!cell` it came from.

`build` keeps a map from every JSON path it wrote to the cell (and column title) it read; an
error `parse_instance` reports at a path is moved to that cell, with the column's name in front
("price must be ≥ 0") and paths inside the message turned into cells too.
"""

from __future__ import annotations

import re

from solver.errors import FieldError
from solver.i18n.messages import E_
from solver.io.xlsx.layout import ALL_SHEETS

DROP = ("", None)  # a path whose errors are already reported (its column or sheet is missing)
Places = dict[str, tuple[str, str | None]]  # JSON path -> (cell, column title)
_SHEETS = {s.name for s in ALL_SHEETS}


def compose(label: str | None, message: str) -> str:
    """('price', 'must be ≥ 0') -> 'price must be ≥ 0'."""
    if not label:
        return message
    if message == "required":
        return f"{label} " + E_("is required")
    if message.startswith(("must ", "only ", "is ")):
        return f"{label} {message}"
    return f"{label}: {message}"


def locate(error: FieldError, loc: Places) -> FieldError | None:
    """`error` at its cell (None when its place is already reported as missing)."""
    message = cells_in(error.message, loc)
    probes = [error.path + "#key"] if error.message.startswith("unknown") else []
    probe, rest = error.path, ""
    while True:
        probes.append(probe)
        for key in probes:
            if key in loc:
                ref, label = loc[key]
                if (ref, label) == DROP:
                    return None
                if rest:
                    return FieldError(
                        ref,
                        f"{compose(rest.lstrip('.'), message)} "
                        + E_("(at {path})").format(path=error.path),
                    )
                return FieldError(ref, compose(label, message))
        probes = []
        cut = max(probe.rfind("."), probe.rfind("["))
        if cut <= 0:
            sheet = error.path.split(".")[0].split("[")[0]
            where = sheet if sheet in _SHEETS else "policy"
            return FieldError(where, f"{error.path}: {message}")
        rest = probe[cut:] + rest
        probe = probe[:cut]


def cells_in(message: str, loc: Places) -> str:
    """'(first at providers[3])' -> '(first at providers!A5)'."""

    def swap(match: re.Match[str]) -> str:
        path = match.group(0)
        for key in (path + ".id", path):
            if key in loc and loc[key] != DROP:
                return loc[key][0]
        return path

    return re.sub(r"\b[a-z_]+(?:\.[a-z_]+)*\[\d+\](?:\.[a-z_]+\[\d+\])*", swap, message)
