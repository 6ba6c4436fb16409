"""Spreadsheets over HTTP: an `.xlsx` upload becomes the JSON request; results as workbooks.

A result is served as a workbook when the client asks for one with `Accept`.

The upload carries the instance only; solve options come from the query string
(`POST /v1/jobs?time_limit_s=60&backend=highs`), typed as in the JSON body. Workbook errors name
sheet, cell and reason, exactly as `dekkend import` does.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import Response

from solver.errors import FieldError, InvalidInput
from solver.instance import Instance, dump_instance
from solver.result import Result

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_PATHS = frozenset({"/v1/solve", "/v1/jobs"})
_OPTIONS: dict[str, type] = {
    "backend": str,
    "time_limit_s": float,
    "gap": float,
    "threads": int,
    "seed": int,
}
# The OpenAPI entry for routes that can answer with a workbook.
WORKBOOK_CONTENT = {XLSX: {"schema": {"type": "string", "format": "binary"}}}


def is_workbook(content_type: str) -> bool:
    """Whether a Content-Type header names an .xlsx workbook."""
    return content_type.split(";", 1)[0].strip().lower() == XLSX


def wants_workbook(accept: str | None) -> bool:
    """Whether an Accept header asks for an .xlsx workbook."""
    return accept is not None and XLSX in accept.lower()


def workbook_to_request(body: bytes, query_string: str) -> bytes:
    """The JSON request for an uploaded workbook, or `InvalidInput` naming sheet!cell or option."""
    from solver.io.xlsx.read import read_instance_workbook

    options: dict[str, Any] = {}
    problems: list[FieldError] = []
    for key, values in parse_qs(query_string, keep_blank_values=True).items():
        kind = _OPTIONS.get(key)
        if kind is None:
            problems.append(
                FieldError(f"query.{key}", f"unknown option; use {', '.join(_OPTIONS)}")
            )
            continue
        try:
            options[key] = kind(values[-1])
        except ValueError:
            problems.append(
                FieldError(f"query.{key}", f"must be {kind.__name__}, not {values[-1]!r}")
            )
    if problems:
        raise InvalidInput(problems, "request")
    instance = read_instance_workbook(body)
    return json.dumps({"instance": dump_instance(instance), "options": options}).encode()


def workbook_response(instance: Instance, result: dict[str, Any]) -> Response:
    """A result as the formatted result workbook of `dekkend solve --out result.xlsx`."""
    from solver.io.xlsx.result import write_result_workbook

    buffer = io.BytesIO()
    write_result_workbook(instance, Result.model_validate(result), buffer)
    filename = f"{instance.name}.result.xlsx".replace('"', "")
    return Response(
        buffer.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
