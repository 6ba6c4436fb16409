"""SPEC §1 validation: raw JSON in, a valid `Instance` out, or every error with its path.

Validation runs in two passes over the same raw JSON, and both always run, so a user sees every
problem at once: pydantic checks shapes and values (`schema`: unknown fields, booleans or strings
where numbers belong, NaN and infinity, negatives; its errors said in SPEC words by `messages`),
and `references` checks what pydantic cannot see (dangling references, duplicate ids, a lead
outside its consortium, a care type offered twice). The second pass reads the raw data
defensively, so it still works when the first found broken shapes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from solver.errors import FieldError, InvalidInput
from solver.instance.messages import dedupe, format_path, translate_errors
from solver.instance.references import reference_errors
from solver.instance.schema import Instance


def parse_instance(raw: Any) -> Instance:
    """Validate raw JSON data (as from `json.load`) into an `Instance`, or raise `InvalidInput`."""
    errors: list[FieldError] = []
    instance: Instance | None = None
    try:
        instance = Instance.model_validate(raw)
    except ValidationError as exc:
        errors.extend(translate_errors(exc))
    if isinstance(raw, dict):
        errors.extend(reference_errors(raw))
    if errors or instance is None:
        raise InvalidInput(dedupe(errors))
    return instance


def read_json(path: str | Path, what: str = "instance") -> Any:
    """Read a JSON file, turning unreadable or malformed files into `InvalidInput`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([FieldError("", f"cannot read {path}: {exc}")], what) from None
    return parse_json_text(text, what)


def parse_json_text(text: str | bytes, what: str = "instance") -> Any:
    """Parse JSON text, or raise `InvalidInput` saying why in plain words (never the parser's).

    NaN and Infinity literals pass through so that the schema names their path. Text that is not
    Unicode (a lone surrogate such as U+D800, escaped in JSON) is refused at its path: it cannot
    be written back out, so it would fail far from here.
    """
    try:
        # RFC 8259: JSON is UTF-8 (json.loads alone would also guess UTF-16 or UTF-32 from bytes)
        data = json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise InvalidInput([FieldError("", problem)], what) from None
    except UnicodeDecodeError:
        raise InvalidInput([FieldError("", "not UTF-8 text")], what) from None
    except RecursionError:
        raise InvalidInput([FieldError("", "the JSON is nested too deeply")], what) from None
    except ValueError:  # an integer literal longer than Python converts (4,300 digits)
        problem = "not valid JSON: a number has thousands of digits"
        raise InvalidInput([FieldError("", problem)], what) from None
    errors = [
        FieldError(format_path(loc), "not text: a lone UTF-16 surrogate (invalid Unicode)")
        for loc in _not_unicode(data)
    ]
    if errors:
        raise InvalidInput(errors, what)
    return data


def _not_unicode(data: Any, limit: int = 10) -> list[tuple[int | str, ...]]:
    """Paths of strings (values or keys) that are not valid Unicode; the first `limit`."""
    found: list[tuple[int | str, ...]] = []
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, ())]
    while stack and len(found) < limit:  # no recursion: hostile nesting must not blow the stack
        value, loc = stack.pop()
        if isinstance(value, str):
            if not _is_unicode(value):
                found.append(loc)
        elif isinstance(value, dict):
            for key, item in value.items():
                if not _is_unicode(key):
                    found.append((*loc, key.encode("utf-8", "backslashreplace").decode()))
                else:
                    stack.append((item, (*loc, key)))
        elif isinstance(value, list):
            stack.extend((item, (*loc, i)) for i, item in enumerate(value))
    return sorted(found, key=format_path)


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance file."""
    return parse_instance(read_json(path))


def dump_instance(instance: Instance) -> dict[str, Any]:
    """The instance as JSON data, without fields left at their defaults."""
    return instance.model_dump(mode="json", exclude_defaults=True)
