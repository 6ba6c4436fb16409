"""Heavy input work in a process of its own, so the server's event loop never waits on it.

Reading a workbook or validating a large instance is seconds of work that holds the interpreter
(openpyxl in pure Python, pydantic in one long native call); in the server process it would stall
every other request. `run_isolated` runs a module-level function in a child started from the job
workers' forkserver (milliseconds, the solver already imported), under a memory limit and a time
limit, and returns its value; an `InvalidInput` it raises comes back as one, with its errors. The
caller waits on a pipe (from a worker thread, never the event loop).
"""

from __future__ import annotations

import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, NoReturn

from api.jobs.handle import make_context
from solver.errors import FieldError, InvalidInput


def run_isolated(
    target: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    time_limit_s: float,
    memory_mb: int,
    what: str,
) -> Any:
    """`target(*args)` in a child process; `InvalidInput` (about `what`) when it fails."""
    context = make_context()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(  # type: ignore[attr-defined]
        target=_child, args=(target, args, memory_mb, send), daemon=True
    )
    child.start()
    send.close()
    try:
        if not receive.poll(time_limit_s):
            child.kill()
            _refuse(f"reading it took longer than {time_limit_s:g} s", what)
        try:
            answer = receive.recv()
        except EOFError:
            _refuse("reading it ran out of memory or crashed", what)
    finally:
        receive.close()
        child.join(timeout=5.0)
    if answer[0] == "invalid":
        raise InvalidInput([FieldError(**e) for e in answer[1]], answer[2])
    if answer[0] != "ok":
        _refuse(answer[1], what)
    return answer[1]


def _child(
    target: Callable[..., Any], args: tuple[Any, ...], memory_mb: int, conn: Connection
) -> None:
    """In the child: run `target` and send ("ok", value), ("invalid", errors, what) or an error."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", target(*args)))
    except InvalidInput as exc:
        conn.send(("invalid", [e.as_dict() for e in exc.errors], exc.what))
    except MemoryError:
        conn.send(("error", f"reading it needs more than {memory_mb} MiB of memory"))
    finally:
        conn.close()


def _refuse(why: str, what: str) -> NoReturn:
    raise InvalidInput([FieldError("", f"the {what} could not be read: {why}")], what)
