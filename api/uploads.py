"""Workbook uploads read in a process of their own, never in the server's event loop.

Reading an `.xlsx` is pure-Python work that holds the interpreter for seconds on a large file; in
the server process it would stall every other request (a 338 KB workbook once slowed
`/v1/health` to 2.8 s). `workbook_to_request` checks the archive (`solver.io.xlsx.archive`: size
inside, cells, no XML document type) and reads it in an isolated process (`api.isolated`), which
answers with the JSON request, or with every error at its `sheet!cell` (422).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import anyio
import anyio.to_thread

from api.isolated import run_isolated
from solver.errors import FieldError, InvalidInput
from solver.instance import dump_instance
from solver.io.xlsx.archive import WorkbookLimits
from solver.io.xlsx.read import read_instance_workbook

# Solve options an upload may carry in its query string, typed as in the JSON body.
QUERY_OPTIONS: dict[str, type] = {
    "backend": str,
    "time_limit_s": float,
    "gap": float,
    "threads": int,
    "seed": int,
}


@dataclass(frozen=True)
class UploadSettings:
    """How an upload is read: its size limits, and the reading process's time and memory."""

    limits: WorkbookLimits
    time_limit_s: float
    memory_mb: int  # 0: no limit
    at_once: int  # uploads read at the same time


async def workbook_to_request(body: bytes, query: str, uploads: UploadSettings) -> bytes:
    """The JSON request for an uploaded workbook, or `InvalidInput` naming sheet!cell or option."""
    options = query_options(query)  # cheap: refused here, before any process starts
    async with _slots(uploads.at_once):
        data: bytes = await anyio.to_thread.run_sync(_isolated, body, options, uploads)
    return data


def _isolated(body: bytes, options: dict[str, Any], uploads: UploadSettings) -> bytes:
    return run_isolated(  # type: ignore[no-any-return]
        read_upload,
        (body, options, uploads.limits),
        time_limit_s=uploads.time_limit_s,
        memory_mb=uploads.memory_mb,
        what="workbook",
    )


def query_options(query: str) -> dict[str, Any]:
    """The solve options of an upload's query string, or `InvalidInput` naming each bad one."""
    options: dict[str, Any] = {}
    problems: list[FieldError] = []
    for key, values in parse_qs(query, keep_blank_values=True).items():
        kind = QUERY_OPTIONS.get(key)
        if kind is None:
            known = ", ".join(QUERY_OPTIONS)
            problems.append(FieldError(f"query.{key}", f"unknown option; use {known}"))
            continue
        try:
            options[key] = kind(values[-1])
        except ValueError:
            problems.append(
                FieldError(f"query.{key}", f"must be {kind.__name__}, not {values[-1]!r}")
            )
    if problems:
        raise InvalidInput(problems, "request")
    return options


_limiters: dict[int, anyio.CapacityLimiter] = {}


def _slots(count: int) -> anyio.CapacityLimiter:
    """One limiter per slot count, made inside the running event loop on first use."""
    if count not in _limiters:
        _limiters[count] = anyio.CapacityLimiter(count)
    return _limiters[count]


def read_upload(body: bytes, options: dict[str, Any], limits: WorkbookLimits) -> bytes:
    """In the isolated process: the workbook read into the JSON request (or `InvalidInput`)."""
    instance = read_instance_workbook(body, limits)
    return json.dumps({"instance": dump_instance(instance), "options": options}).encode()
