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
from solver.instance.messages import dedupe, translate_errors
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
    """Parse JSON text; NaN and Infinity literals pass through so the schema names their path."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput([FieldError("", f"not valid JSON: {exc}")], what) from None


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance file."""
    return parse_instance(read_json(path))


def dump_instance(instance: Instance) -> dict[str, Any]:
    """The instance as JSON data, without fields left at their defaults."""
    return instance.model_dump(mode="json", exclude_defaults=True)

