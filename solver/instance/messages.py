"""SPEC §1 validation, pass 1: pydantic's errors in the SPEC's words, with their paths."""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError

from solver.errors import FieldError


def format_path(loc: tuple[int | str, ...]) -> str:
    """('providers', 17, 'offers', 2, 'price') -> 'providers[17].offers[2].price'."""
    out = ""
    for part in loc:
        if isinstance(part, str) and part.startswith("<"):
            continue  # a union's branch tag (`schema.FactorOrMap`), not a place in the JSON
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_ID_RULE = (
    "must be an id: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"
)


def _plain_message(error: Any) -> str:
    """Say a pydantic error the way SPEC §1 says its rules."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in {"int_type", "int_from_float", "int_parsing", "float_type", "float_parsing"}:
        what = "a whole number" if kind.startswith("int") else "a number"
        if isinstance(value, bool):
            return f"must be {what}, not {str(value).lower()}"
        if isinstance(value, float) and not math.isfinite(value):
            return "must be a finite number (no NaN or infinity)"
        return f"must be {what}, not {_describe(value)}"
    messages = {
        "missing": "required",
        "extra_forbidden": "unknown field (is it a typo?)",
        "finite_number": "must be a finite number (no NaN or infinity)",
        "greater_than_equal": f"must be ≥ {_number(ctx.get('ge'))}",
        "greater_than": f"must be > {_number(ctx.get('gt'))}",
        "less_than_equal": f"must be ≤ {_number(ctx.get('le'))}",
        "less_than": f"must be < {_number(ctx.get('lt'))}",
        "string_type": f"must be a string, not {_describe(value)}",
        "string_pattern_mismatch": _ID_RULE,
        "list_type": f"must be a list, not {_describe(value)}",
        "dict_type": f"must be an object, not {_describe(value)}",
        "model_type": f"must be an object, not {_describe(value)}",
        "model_attributes_type": f"must be an object, not {_describe(value)}",
        "too_short": f"must have at least {ctx.get('min_length')} items",
        "literal_error": f"must be one of {ctx.get('expected')}",
    }
    return messages.get(kind, error["msg"])


def _number(value: Any) -> str:
    """1.0 -> '1', 0.5 -> '0.5'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:17] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int | float):
        return _number(value)
    names: dict[type, str] = {dict: "an object", list: "a list"}
    return names.get(type(value), type(value).__name__)


def translate_errors(exc: ValidationError) -> list[FieldError]:
    """Every pydantic error as a `FieldError` with its JSON path."""
    return [FieldError(format_path(e["loc"]), _plain_message(e)) for e in exc.errors()]


def dedupe(errors: list[FieldError]) -> list[FieldError]:
    """The errors in order, each once."""
    return list(dict.fromkeys(errors))  # keeps the first of each, in order
