"""Spreadsheets over HTTP: which requests are workbook uploads, and results as workbooks.

An upload carries the instance only; solve options come from the query string
(`POST /v1/jobs?time_limit_s=60&backend=highs`) and it is read in a process of its own
(`api.uploads`). A result is served as a workbook when the client asks for one with `Accept`.
"""

from __future__ import annotations

import io
from typing import Any

from fastapi import Response

from solver.instance import Instance
from solver.io.xlsx.result import write_result_workbook
from solver.result import Result

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_PATHS = frozenset({"/v1/solve", "/v1/jobs"})
# The OpenAPI entry for routes that can answer with a workbook, and for those that take one.
WORKBOOK_CONTENT = {XLSX: {"schema": {"type": "string", "format": "binary"}}}
WORKBOOK_UPLOAD = {
    "requestBody": {
        "content": {
            XLSX: {
                "schema": {"type": "string", "format": "binary"},
                "description": "The instance as a workbook (`dekkend template`); solve options "
                "in the query string: backend, time_limit_s, gap, threads, seed.",
            }
        }
    },
    "parameters": [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": "Only with an .xlsx upload (a JSON request has them in its body).",
            "schema": schema,
        }
        for name, schema in (
            ("backend", {"type": "string"}),
            ("time_limit_s", {"type": "number", "exclusiveMinimum": 0}),
            ("gap", {"type": "number", "minimum": 0, "exclusiveMaximum": 1}),
            ("threads", {"type": "integer", "minimum": 1}),
            ("seed", {"type": "integer", "minimum": 0}),
        )
    ],
}


def is_workbook(content_type: str) -> bool:
    """Whether a Content-Type header names an .xlsx workbook."""
    return content_type.split(";", 1)[0].strip().lower() == XLSX


def wants_workbook(accept: str | None) -> bool:
    """Whether an Accept header asks for an .xlsx workbook."""
    return accept is not None and XLSX in accept.lower()


def workbook_response(instance: Instance, result: dict[str, Any], lang: str) -> Response:
    """A result as the formatted result workbook of `dekkend solve --out result.xlsx`."""
    buffer = io.BytesIO()
    write_result_workbook(instance, Result.model_validate(result), buffer, lang=lang)
    filename = f"{instance.name}.result.xlsx".replace('"', "")
    return Response(
        buffer.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
