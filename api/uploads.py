"""Workbook uploads read in a process of their own, never in the server's event loop.

Reading an `.xlsx` is pure-Python work that holds the interpreter for seconds on a large file; in
the server process it would stall every other request (a 338 KB workbook once slowed
`/v1/health` to 2.8 s). `workbook_to_request` checks the archive (`solver.io.xlsx.archive`: size
inside, cells, no XML document type) and reads it in a child started from the job workers'
forkserver, under a memory limit and a time limit; the event loop only waits on a pipe. The child
answers with the JSON request, or with every error at its `sheet!cell` (422).
"""

from __future__ import annotations

import json
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, NoReturn
from urllib.parse import parse_qs

import anyio
import anyio.to_thread

from api.jobs.handle import make_context
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
        return await anyio.to_thread.run_sync(_read_in_child, body, options, uploads)


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


def _read_in_child(body: bytes, options: dict[str, Any], uploads: UploadSettings) -> bytes:
    """Start the child, wait for its answer (or the time limit), and turn it into a result."""
    context = make_context()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(  # type: ignore[attr-defined]
        target=_child, args=(body, options, uploads.limits, uploads.memory_mb, send), daemon=True
    )
    child.start()
    send.close()
    try:
        if not receive.poll(uploads.time_limit_s):
            child.kill()
            _refuse(f"reading the workbook took longer than {uploads.time_limit_s:g} s")
        try:
            answer = receive.recv()
        except EOFError:
            _refuse("the workbook could not be read: its reader ran out of memory or crashed")
    finally:
        receive.close()
        child.join(timeout=5.0)
    if answer[0] == "invalid":
        raise InvalidInput([FieldError(**e) for e in answer[1]], "workbook")
    if answer[0] != "ok":
        _refuse(answer[1])
    data: bytes = answer[1]
    return data


def _child(
    body: bytes, options: dict[str, Any], limits: WorkbookLimits, memory_mb: int, conn: Connection
) -> None:
    """In the child: read the workbook and send ("ok", request) or ("invalid", errors)."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        instance = read_instance_workbook(body, limits)
        request = {"instance": dump_instance(instance), "options": options}
        conn.send(("ok", json.dumps(request).encode()))
    except InvalidInput as exc:
        conn.send(("invalid", [e.as_dict() for e in exc.errors]))
    except MemoryError:
        conn.send(("error", f"reading the workbook needs more than {memory_mb} MiB of memory"))
    finally:
        conn.close()


def _refuse(message: str) -> NoReturn:
    raise InvalidInput([FieldError("", message)], "workbook")
