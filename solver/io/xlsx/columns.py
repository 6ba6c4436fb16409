"""The parts a workbook layout is made of: a sheet, its columns, and how a cell is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What an id cell allows (SPEC §1), said once for every sheet's id columns.
ID_RULE = "1-64 letters, digits, '_', '.' or '-', starting with a letter or digit; unique"

Kind = Literal[
    "id", "ref", "refs", "text", "count", "int", "money", "number", "choice", "flag", "any"
]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, how cells are read, and what a person needs to know to fill it."""

    name: str
    kind: Kind
    meaning: str
    unit: str = ""
    allowed: str = ""
    required: bool = False
    ref: str | None = None  # the sheet whose ids this column names
    choices: tuple[str, ...] = ()
    informational: bool = False  # written for people, ignored on import


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet: its columns in the order export writes them (import accepts any order)."""

    name: str
    meaning: str
    columns: tuple[Column, ...]
    required: bool = True

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(c for c in self.columns if c.name == name)
