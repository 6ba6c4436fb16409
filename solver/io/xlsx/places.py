"""Where things are: a policy setting's place in the JSON data, an error's place in the book."""

from __future__ import annotations

import re

from openpyxl.utils import column_index_from_string

from solver.errors import FieldError
from solver.io.xlsx.layout import ALL_SHEETS

_SHEET_ORDER = {s.name: i for i, s in enumerate(ALL_SHEETS)}


def error_order(error: FieldError) -> tuple[int, int, int]:
    """Sort key of a cell error: sheet order, then row, then column."""
    sheet, _, cell = error.path.partition("!")
    match = re.match(r"([A-Z]*)(\d*)", cell.split(":")[0])
    letters, digits = match.groups() if match else ("", "")
    column = column_index_from_string(letters) if letters else 0
    return (_SHEET_ORDER.get(sheet, -1), int(digits) if digits else 0, column)


def setting_keys(name: str, lot: str | None, m: str | None) -> tuple[str, ...]:
    """Where a policy setting goes in the JSON data: ('policy', 'cost_split', 'rule')."""
    if name in ("name", "schema_version"):
        return (name,)
    if name == "discount_rate":
        return ("horizon", name)
    if name in ("max_contracts", "transfer_cost", "quality_weight", "max_moved", "n_minus_1"):
        return ("policy", name)
    base: tuple[str, ...] = ("policy", "cost_split")
    if lot is not None:
        base += ("by_lot", lot)
    if name == "split_rule":
        return (*base, "rule")
    if name == "split_weight":
        return (*base, "weights", str(m))
    if name == "game_capacity":
        return (*base, "capacity")
    return (*base, name)
