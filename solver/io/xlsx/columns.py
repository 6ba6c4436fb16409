"""The parts a workbook layout is made of: a sheet, its columns, and how a cell is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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

    def comment(self) -> str:
        """The header comment: meaning, unit, allowed values, required or not."""
        lines = [f"{self.name}: {self.meaning}"]
        if self.unit:
            lines.append(f"Unit: {self.unit}")
        allowed = self.allowed or (", ".join(self.choices) if self.choices else "")
        if self.ref and not allowed:
            allowed = f"an id from sheet {self.ref}"
        if allowed:
            lines.append(f"Allowed: {allowed}")
        if self.informational:
            lines.append("Not read on import.")
        else:
            lines.append("Required." if self.required else "Optional: leave empty for none.")
        return "\n".join(lines)


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
