"""The server's side of one worker process: start it, read its messages, stop it, watch the clock.

The watchdog exists because solvers overrun their own time limits (CBC by up to 2.5×, see STYLE):
at `time limit + grace` the worker is asked to stop and keep its best plan; if it still runs long
after that it is killed, and the job fails with a message saying so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any

from api.jobs import worker

log = logging.getLogger(__name__)

# How long a worker may take to honour a stop request (cancel or time limit) before it is killed.
STOP_GRACE_S = 10.0


@dataclass(frozen=True)
class Outcome:
    """How a worker ended: `result` (JSON text), `invalid` (errors) or `error` (kind + message)."""

    kind: str
    result: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    error_kind: str | None = None
    message: str | None = None


class WorkerHandle:
    """One solve in its own process."""

    def __init__(self, ctx: BaseContext, payload: str, time_limit_s: float, memory_mb: int):
        receive, send = ctx.Pipe(duplex=False)
        self.conn: Connection = receive
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=worker.main, args=(payload, send, memory_mb), daemon=False
        )
        self.process.start()
        send.close()  # only the child writes; our copy closed so EOF means the child is gone
        self.memory_mb = memory_mb
        self.started = time.monotonic()
        # Stop politely a little after the time limit, kill long after that.
        self.stop_at = self.started + time_limit_s + max(5.0, 0.25 * time_limit_s)
        self.kill_at = self.stop_at + max(30.0, time_limit_s)
        self.stop_sent_at: float | None = None
        self._stopped_by_watchdog = False
        self.killed_reason: str | None = None
        self.progress: dict[str, Any] | None = None
        self.outcome: Outcome | None = None
        self._final: tuple[Any, ...] | None = None

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return int(self.process.pid)

    def pump(self) -> bool:
        """Read whatever the worker sent; True when new progress arrived."""
        fresh = False
        while self.outcome is None:
            try:
                if not self.conn.poll():
                    break
                message = self.conn.recv()
            except (EOFError, OSError):
                self._ended()
                break
            if message[0] == "progress":
                self.progress = message[1]
                fresh = True
            else:
                self._final = message
        return fresh

    def _ended(self) -> None:
        """The pipe closed: turn the final message (or its absence) into the outcome."""
        self.process.join(timeout=5.0)
        self.conn.close()
        final = self._final
        if final is not None and final[0] == "result":
            self.outcome = Outcome("result", result=final[1])
        elif final is not None and final[0] == "invalid":
            self.outcome = Outcome("invalid", errors=final[1])
        elif final is not None and final[0] == "error":
            self.outcome = Outcome("error", error_kind=final[1], message=final[2])
        else:
            self.outcome = Outcome("error", error_kind="crashed", message=self._death_message())

    def _death_message(self) -> str:
        message = self._plain_death_message()
        if self.memory_mb > 0:
            # Under an address-space limit a solve can also hang (a thread that cannot start).
            message += f" (the worker's memory limit is {self.memory_mb} MiB)"
        return message

    def _plain_death_message(self) -> str:
        if self.killed_reason:
            return self.killed_reason
        code = self.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            return (
                f"the worker process died (signal {name}) before it finished; the usual cause "
                "is running out of memory"
            )
        return f"the worker process exited (code {code}) without a result"

    def request_stop(self) -> None:
        """Ask the solve to stop and keep its best plan (SIGTERM; see api.jobs.worker)."""
        if self.stop_sent_at is None and self.outcome is None:
            self.stop_sent_at = time.monotonic()
            self._signal(signal.SIGTERM)

    def watchdog(self, now: float) -> None:
        """Stop after the time limit; kill when a stop request was ignored for too long."""
        if self.outcome is not None:
            return
        if now >= self.stop_at and self.stop_sent_at is None:
            log.warning("worker %d passed its time limit: asking it to stop", self.pid)
            self.request_stop()
            self._stopped_by_watchdog = True
        if self.stop_sent_at is None:
            return
        if self._stopped_by_watchdog:
            if now >= self.kill_at:
                self.kill("the solve did not stop after its time limit and was killed")
        elif now >= self.stop_sent_at + STOP_GRACE_S:
            self.kill("the solve did not stop when asked and was killed; no solution was kept")

    def kill(self, reason: str) -> None:
        """Kill the worker at once; the outcome becomes an error with `reason`."""
        if self.outcome is None and self.killed_reason is None:
            self.killed_reason = reason
            self._signal(signal.SIGKILL)

    def _signal(self, signum: int) -> None:
        signal_worker(self.pid, signum)


def signal_worker(pid: int, signum: int) -> None:
    """Send `signum` to a worker; SIGKILL goes to its whole process group.

    A worker leads its own process group (`api.jobs.worker.main`), so a kill also ends the
    solver processes it started (CBC through PuLP), which would otherwise run on as orphans.
    SIGTERM goes to the worker alone: it stops its solve and keeps the best plan.
    """
    # Already gone is fine: the closed pipe will tell.
    with contextlib.suppress(ProcessLookupError):
        if signum == signal.SIGKILL:
            try:
                os.killpg(pid, signum)
                return
            except (ProcessLookupError, PermissionError):
                pass  # not yet its own group leader (just started): the worker alone
        os.kill(pid, signum)


def make_context(preload: bool = True) -> BaseContext:
    """A multiprocessing context whose workers start fast and share no state with the server.

    `forkserver`: each worker is forked from a clean, single-threaded server process that has
    imported the solver once, so it starts in milliseconds (a `spawn` start re-imports numpy,
    HiGHS and OR-Tools, over a second) yet inherits none of the web server's threads or sockets.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    if preload:
        ctx.set_forkserver_preload(worker.PRELOAD)
    return ctx
