"""Turn what people type into spreadsheet cells into values, or say exactly why not.

Numbers arrive as Excel numbers or as text (CSV files, cells formatted as text). Text is read
the way Dutch procurement teams write it -- "€ 6.500,00", "1.234.567", "0,25" -- and the way
English files write it -- "6,500.00". A text whose meaning depends on which convention the
writer used ("6.500": 6500 or 6.5?) is rejected with both readings rather than guessed, unless
only one reading fits the column (a whole-number column cannot hold 1.234 clients).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any

from solver.i18n.messages import E_

# Characters people put around numbers that carry no meaning: currency, spaces of every width.
_NOISE = re.compile(r"(€|eur(?:o)?\b|[\s\u00a0\u2007\u202f'])", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_EXPONENT = re.compile(r"\d+(\.\d+)?[eE][+-]?\d+")
_LIST_SPLIT = re.compile(r"[,;\s]+")
NONE_MARK = "(none)"
ALL_MARK = "(all)"


class CellError(ValueError):
    """A cell that cannot be read as its column requires; the message says why."""


def is_blank(value: Any) -> bool:
    """Whether a cell counts as empty (nothing, or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: Any) -> str:
    """1.0 -> '1', 2.5 -> '2.5' (for messages)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def read_number(value: Any, *, whole: bool, percent: bool = False) -> int | float | None:
    """A cell as a number: int when `whole`, else float; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        form = E_("must be a whole number, not {value}") if whole else E_(
            "must be a number, not {value}")  # fmt: skip
        raise CellError(form.format(value=str(value).upper()))
    if isinstance(value, datetime | date | time):
        raise CellError(
            E_("must be a number, not a date (Excel may have turned the number into a date; "
               "format the column as a number)")
        )  # fmt: skip
    if isinstance(value, int | float):
        number: float | int = value
    elif isinstance(value, str):
        number = _parse_text(value, whole=whole, percent=percent)
    else:
        raise CellError(E_("must be a number, not {value}").format(value=type(value).__name__))
    if isinstance(number, float) and not math.isfinite(number):
        raise CellError(E_("must be a finite number"))
    if whole:
        if isinstance(number, float) and not number.is_integer():
            raise CellError(
                E_("must be a whole number, not {value}").format(value=_number_text(number))
            )
        return int(number)
    return float(number)


def _parse_text(text: str, *, whole: bool, percent: bool) -> int | float:
    """Parse a number typed as text; see the module docstring for the conventions."""
    shown = text.strip()
    body = _NOISE.sub("", shown)
    sign = 1
    if body[:1] in ("-", "\u2212"):
        sign, body = -1, body[1:]
    elif body[:1] == "+":
        body = body[1:]
    scale = 1.0
    if body.endswith("%"):
        if not percent:
            raise CellError(
                E_("must be a number, not {value} (a percentage does not fit here)").format(
                    value=repr(shown)
                )
            )
        scale, body = 0.01, body[:-1]
    if not body:
        raise CellError(E_("must be a number, not {value}").format(value=repr(shown)))
    readings = _readings(body)
    if not readings:
        raise CellError(E_("must be a number, not the text {text}").format(text=repr(shown)))
    values = [sign * v * scale for v in readings]
    if whole:
        fitting = [v for v in values if float(v).is_integer()]
        values = fitting or values  # keep the others so the error says "not whole"
    distinct = list(dict.fromkeys(values))
    if len(distinct) > 1:
        sep = "." if "." in body else ","
        form = E_("{text} is ambiguous: {a} (with {sep} as thousands separator) or {b} (with "
                  "{sep} as decimal point); write it without thousands separators") if sep == "." \
            else E_("{text} is ambiguous: {a} (with {sep} as thousands separator) or {b} (with "
                    "{sep} as decimal comma); write it without thousands separators")  # fmt: skip
        raise CellError(form.format(text=repr(shown), a=_number_text(distinct[0]), sep=repr(sep),
                                    b=_number_text(distinct[1])))  # fmt: skip
    return distinct[0]


def _readings(body: str) -> list[int | float]:
    """Every number `body` can mean: thousands reading first, then decimal reading."""
    if _DIGITS.fullmatch(body):
        return [int(body)]
    if _EXPONENT.fullmatch(body):
        return [float(body)]
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal_sep = "." if body.rfind(".") > body.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        head, _, tail = body.rpartition(decimal_sep)
        if decimal_sep in head or not _DIGITS.fullmatch(tail):
            return []
        groups = head.split(thousands_sep)
        return [float(_join(groups) + "." + tail)] if _grouped(groups) else []
    sep = "." if dots else ","
    parts = body.split(sep)
    readings: list[int | float] = []
    if _grouped(parts):
        readings.append(int(_join(parts)))
    if len(parts) == 2 and _DIGITS.fullmatch(parts[1]) and (not parts[0] or parts[0].isdigit()):
        readings.append(float((parts[0] or "0") + "." + parts[1]))
    return readings


def _grouped(groups: list[str]) -> bool:
    """Whether groups read as '1.234.567': a first group of 1-3 digits, then groups of 3."""
    first, rest = groups[0], groups[1:]
    if not rest or not first.isdigit() or not 1 <= len(first) <= 3 or first.startswith("0"):
        return False
    return all(len(g) == 3 and g.isdigit() for g in rest)


def _join(groups: list[str]) -> str:
    return "".join(groups)


def read_id(value: Any) -> str | None:
    """An id cell: trimmed text; a whole Excel number becomes its digits; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(E_("must be an id, not {value}").format(value=str(value).upper()))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        raise CellError(
            E_("must be an id, not the number {number} (format the cell as text)").format(
                number=_number_text(value)
            )
        )
    if isinstance(value, str):
        return value.strip()
    raise CellError(E_("must be an id, not {value}").format(value=type(value).__name__))


def read_id_list(value: Any) -> list[str] | None:
    """A list of ids separated by commas, semicolons or spaces; '(none)' is the empty list."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.lower() == NONE_MARK:
            return []
        if text.lower() == ALL_MARK:
            return None
        return [part for part in _LIST_SPLIT.split(text) if part]
    single = read_id(value)
    return [single] if single is not None else None


def read_text(value: Any) -> str | None:
    """A free-text cell, kept as typed; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def read_choice(value: Any) -> str | None:
    """An enum cell: 'Lump sum ' -> 'lump_sum' (the schema decides whether it is allowed)."""
    if is_blank(value):
        return None
    if not isinstance(value, str) or isinstance(value, bool):
        raise CellError(
            E_("must be one of the listed words, not {value}").format(value=repr(read_text(value)))
        )
    return re.sub(r"[\s-]+", "_", value.strip().lower())


_YES = ("true", "yes", "ja", "1", "waar")
_NO = ("false", "no", "nee", "0", "onwaar")


def read_flag(value: Any) -> bool | None:
    """A yes/no cell: TRUE/FALSE, yes/no, ja/nee or 1/0 (empty = not given)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(
        E_("must be yes or no (TRUE/FALSE, ja/nee), not {value}").format(
            value=repr(read_text(value))
        )
    )


def exact_number_cell(value: float) -> float | str:
    """A float for an xlsx cell; text when xlsx's 16 digits would not give back the same float."""
    # openpyxl writes '%.16g'; a few floats need 17 digits. Text keeps them exact and is
    # read back by `read_number`.
    return value if float(f"{value:.16g}") == value else repr(value)
