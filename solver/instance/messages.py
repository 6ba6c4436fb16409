"""SPEC §1 validation, pass 1: pydantic's errors in the SPEC's words, with their paths."""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError

from solver.errors import FieldError
from solver.i18n.messages import E_


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


_ID_RULE = E_(
    "must be an id: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"
)


def _plain_message(error: Any) -> str:
    """Say a pydantic error the way SPEC §1 says its rules."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    shown = _describe(value)
    if kind in {"int_type", "int_from_float", "int_parsing", "float_type", "float_parsing"}:
        whole = kind.startswith("int")
        if isinstance(value, float) and not math.isfinite(value) and not isinstance(value, bool):
            return E_("must be a finite number (no NaN or infinity)")
        form = E_("must be a whole number, not {value}") if whole else E_(
            "must be a number, not {value}")  # fmt: skip
        return form.format(value=str(value).lower() if isinstance(value, bool) else shown)
    messages = {
        "missing": E_("required"),
        "extra_forbidden": E_("unknown field (is it a typo?)"),
        "finite_number": E_("must be a finite number (no NaN or infinity)"),
        "greater_than_equal": E_("must be ≥ {number}").format(number=_number(ctx.get("ge"))),
        "greater_than": E_("must be > {number}").format(number=_number(ctx.get("gt"))),
        "less_than_equal": E_("must be ≤ {number}").format(number=_number(ctx.get("le"))),
        "less_than": E_("must be < {number}").format(number=_number(ctx.get("lt"))),
        "string_type": E_("must be a string, not {value}").format(value=shown),
        "string_pattern_mismatch": _ID_RULE,
        "list_type": E_("must be a list, not {value}").format(value=shown),
        "dict_type": E_("must be an object, not {value}").format(value=shown),
        "model_type": E_("must be an object, not {value}").format(value=shown),
        "model_attributes_type": E_("must be an object, not {value}").format(value=shown),
        "too_short": E_("must have at least {n} items").format(n=ctx.get("min_length")),
        "literal_error": E_("must be one of {choices}").format(choices=ctx.get("expected")),
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
        return E_("the string {text}").format(text=repr(shown))
    if isinstance(value, int | float):
        return _number(value)
    names: dict[type, str] = {dict: E_("an object"), list: E_("a list")}
    return names.get(type(value), type(value).__name__)


def translate_errors(exc: ValidationError) -> list[FieldError]:
    """Every pydantic error as a `FieldError` with its JSON path."""
    return [FieldError(format_path(e["loc"]), _plain_message(e)) for e in exc.errors()]


def dedupe(errors: list[FieldError]) -> list[FieldError]:
    """The errors in order, each once."""
    return list(dict.fromkeys(errors))  # keeps the first of each, in order
