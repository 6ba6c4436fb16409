"""A wall-clock guard for solvers that PuLP runs as child processes.

CBC can run far past its `timeLimit` (measured: minutes on large models), and PuLP gives no handle
to the process it starts. `run_guarded` runs the solve in a thread and, when it is still running a
grace period after the time limit, finds the solver's processes among this process's children
(Linux `/proc`), asks them to stop (SIGINT: CBC then stops and writes its best plan), and kills
them and their descendants when they do not. Elsewhere than Linux the solve runs unguarded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

# A solve may pass its time limit by this much (at least GRACE_MIN_S) before it is interrupted,
# and may take INTERRUPT_WAIT_S to honour the interrupt before it is killed.
GRACE_SHARE = 0.10
GRACE_MIN_S = 5.0
INTERRUPT_WAIT_S = 10.0


@dataclass
class Guarded(Generic[T]):
    """What a guarded call gave, and how it was stopped (None when it ended by itself)."""

    value: T | None
    stopped: str | None


def run_guarded(
    call: Callable[[], T],
    *,
    time_limit_s: float,
    solver_path: str | None,
    grace_s: float | None = None,
    interrupt_wait_s: float | None = None,
) -> Guarded[T]:
    """Run `call`; stop the solver processes it started (matched by `solver_path`) if it overruns.

    `call`'s own exception is raised again here, unless the guard stopped the solver: a solver
    that was killed usually makes its caller fail, and that failure is the guard's doing.
    """
    if not sys.platform.startswith("linux") or not solver_path:
        return Guarded(call(), None)
    grace = grace_s if grace_s is not None else max(GRACE_MIN_S, GRACE_SHARE * time_limit_s)
    wait = interrupt_wait_s if interrupt_wait_s is not None else INTERRUPT_WAIT_S
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            outcome["error"] = exc

    before = set(_children(os.getpid()))
    worker = threading.Thread(target=target, name="guarded-solve", daemon=True)
    worker.start()
    worker.join(time_limit_s + grace)
    stopped = None
    if worker.is_alive():
        stopped = _stop(worker, solver_path, before, time_limit_s, wait)
    if "error" in outcome and stopped is None:
        raise outcome["error"]  # type: ignore[misc]
    return Guarded(outcome.get("value"), stopped)  # type: ignore[arg-type]


def _stop(
    worker: threading.Thread,
    solver_path: str,
    before: set[int],
    time_limit_s: float,
    interrupt_wait_s: float,
) -> str:
    """Interrupt the solver's processes, kill them if they linger; say what was done."""
    started = [p for p in _children(os.getpid()) if p not in before]
    solvers = [p for p in started if solver_path in _command_line(p)]
    name = Path(solver_path).name
    log.warning("%s passed its %.0f s time limit: interrupting it", name, time_limit_s)
    _signal_all(solvers, signal.SIGINT)
    worker.join(interrupt_wait_s)
    if not worker.is_alive():
        return f"{name} ran past its time limit of {time_limit_s:g} s and was interrupted"
    doomed = [q for p in solvers for q in _tree(p)]
    _signal_all(doomed, signal.SIGKILL)
    worker.join()
    return (
        f"{name} ran past its time limit of {time_limit_s:g} s, ignored an interrupt, and was "
        "killed; its plan (if any) is lost"
    )


def _signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (children first listed after their parent)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(_children(current))
    return out


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (from /proc; processes that vanish are skipped)."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name in parentheses may hold spaces: the fields after it are fixed
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            kids.append(int(entry.name))
    return kids


def _command_line(pid: int) -> str:
    """The process's command line, arguments joined by spaces ("" when it is gone)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")
