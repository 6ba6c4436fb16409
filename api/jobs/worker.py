"""The worker process: one solve, isolated from the server, talking over a one-way pipe.

Messages to the parent (tuples, pickled by `Connection.send`):
- `("progress", {objective, bound, gap, elapsed_s})` at most twice a second;
- then exactly one of `("result", result_json_text)`, `("invalid", [{path, message}, ...])`
  or `("error", kind, message)` with kind `unknown_backend`, `not_supported` or `internal`.
A worker that dies without a final message (crash, out of memory, killed) is noticed by the parent
through the closed pipe and its exit code. SIGTERM asks the solve to stop and keep its best plan.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import resource
import signal
import sys
import time
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from solver.instance import Instance
    from solver.options import Progress, SolveOptions
    from solver.result import Result

log = logging.getLogger(__name__)

# Imported here so the forkserver preloads them once instead of each worker importing them.
PRELOAD = ["solver.solve", "solver.instance.schema", "api.jobs.worker"]

_PROGRESS_EVERY_S = 0.5
_PR_SET_PDEATHSIG = 1


def main(payload: str, conn: Connection, memory_mb: int) -> None:
    """Solve the request `payload` (JSON text `{instance, options}`) and send the outcome."""
    _die_with_parent()
    # Its own process group: a kill from the server then reaches the solver processes this
    # worker starts (CBC through PuLP) too (`api.jobs.handle.signal_worker`).
    os.setpgrp()
    # Ctrl-C on `dekkend serve` (the server's group) no longer reaches the worker, and must not
    # kill it should it: the server decides what happens to running jobs (they are re-queued).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = _StopFlag()
    signal.signal(signal.SIGTERM, stop.ask)
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        message = _solve(payload, conn, stop)
    except MemoryError:
        message = ("error", "internal", f"the solve ran out of memory (limit {memory_mb} MiB)")
    if memory_mb > 0 and message[:2] == ("error", "internal") and "memory" not in message[2]:
        # Extensions that hit the address-space limit fail in odd ways (SystemError, ...).
        message = (
            "error",
            "internal",
            f"{message[2]} (the worker's memory limit is {memory_mb} MiB)",
        )
    try:
        conn.send(message)
    except (BrokenPipeError, OSError):
        log.warning("server went away before the outcome could be sent")
    finally:
        conn.close()


class _StopFlag:
    """Set by SIGTERM (cancel, watchdog) or when the server that started us is gone."""

    def __init__(self) -> None:
        self.asked = False
        self.parent = os.getppid()

    def ask(self, signum: int, frame: Any) -> None:
        self.asked = True

    def __bool__(self) -> bool:
        return self.asked or os.getppid() != self.parent


class _Reporter:
    """Progress to the server, at most twice a second.

    It carries the plan's bounds and, in a split job, the coalitions solved; each callback
    answers whether the solve should stop.
    """

    def __init__(self, conn: Connection, stop: _StopFlag) -> None:
        self.conn, self.stop = conn, stop
        self.started = time.monotonic()
        self.last_sent = 0.0
        self.snapshot: dict[str, Any] = {}

    def plan(self, progress: Progress) -> bool:
        """Progress of the plan's solve."""
        self.snapshot.update(objective=progress.objective, bound=progress.bound, gap=progress.gap)
        return self._send()

    def units(self, done: int, total: int) -> None:
        """Units lost so far in a stress job."""
        self.snapshot.update(units_done=done, units_total=total)
        self._send(force=done == total)

    def game(self, done: int, total: int) -> bool:
        """Coalitions solved so far (called after each batch)."""
        self.snapshot.update(coalitions_done=done, coalitions_total=total)
        return self._send(force=True)

    def _send(self, force: bool = False) -> bool:
        now = time.monotonic()
        if force or now - self.last_sent >= _PROGRESS_EVERY_S:
            self.last_sent = now
            self.snapshot["elapsed_s"] = round(now - self.started, 3)
            try:
                self.conn.send(("progress", dict(self.snapshot)))
            except (BrokenPipeError, OSError):
                self.stop.asked = True
        return bool(self.stop)


def _solve(payload: str, conn: Connection, stop: _StopFlag) -> tuple[Any, ...]:
    # Imported lazily: a worker started without the forkserver preload still works.
    from solver.errors import CheckFailed, InvalidInput, NotSupported, UnknownBackend
    from solver.instance import GAME_RULES, parse_instance
    from solver.options import SolveOptions
    from solver.solve import solve

    reporter = _Reporter(conn, stop)
    try:
        request = json.loads(payload)
        instance = parse_instance(request["instance"])
        options = SolveOptions(**request["options"])
        split = request.get("split")
        if split is None and instance.policy.cost_split.rule in GAME_RULES:
            # the instance's own rule is a coalition game: played as a split job plays it, on
            # the server's split workers and cache, and stopped by DELETE or the time limit
            split = request.get("game") or {"workers": 1}
        if split is None:
            result = solve(instance, options=options, on_progress=reporter.plan)
        else:
            result = _split(instance, options, split, reporter)
        if "stress" in request:
            result = _stress(instance, result, request["stress"], reporter)
        return ("result", result.model_dump_json())
    except InvalidInput as exc:
        return ("invalid", [e.as_dict() for e in exc.errors])
    except UnknownBackend as exc:
        return ("error", "unknown_backend", str(exc))
    except NotSupported as exc:
        return ("error", "not_supported", str(exc))
    except CheckFailed as exc:
        log.error("solution failed the independent check: %s", exc)
        return (
            "error",
            "internal",
            "internal error: the solver's plan failed the independent check (a bug; "
            "details are in the server log)",
        )
    except MemoryError:
        raise
    except Exception:
        # The traceback goes to the server log (stderr), never to the client.
        log.exception("solve failed")
        kind = sys.exc_info()[0]
        name = kind.__name__ if kind else "error"
        return ("error", "internal", f"internal error ({name}); details are in the server log")


def _stress(
    instance: Instance, solved: Result, stress: dict[str, Any], reporter: _Reporter
) -> Result:
    """A stress job: the given plan (checked at submission) or the one just solved, stressed."""
    from solver.analysis.stress import stress as stress_plan
    from solver.result import parse_result

    plan = parse_result(stress["result"]) if stress.get("result") is not None else solved
    if not plan.status.has_solution:
        return plan  # no plan to stress: the result says why
    report = stress_plan(instance, plan, threshold=float(stress.get("threshold", 0.25)),
                         on_done=reporter.units)  # fmt: skip
    return plan.model_copy(update={"stress": report.to_dict()})


def _split(
    instance: Instance, options: SolveOptions, split: dict[str, Any], reporter: _Reporter
) -> Result:
    """A split job, or a solve whose own rule is shapley: `dekkend split` on a local engine.

    The coalitions stop once the time limit counted from the job's start has passed, or when the
    job is cancelled: within one coalition on one worker (the default), between batches on more;
    the result then says the split could not be made. Proven coalition values are kept in the
    server's cache file (when on), so the same split submitted again goes on where it stopped.
    """
    from solver.analysis.split_by_rule import run_split
    from solver.split.game.cache import CoalitionCache
    from solver.split.game.engines import LocalEngine
    from solver.split.game.play import GameSettings

    deadline = reporter.started + float(options.time_limit_s)

    def over() -> bool:
        return bool(reporter.stop) or time.monotonic() >= deadline

    def on_game(done: int, total: int) -> bool:
        return reporter.game(done, total) or over()

    engine = LocalEngine(
        workers=int(split["workers"]), threads=options.threads, seed=options.seed, stop=over
    )
    game = GameSettings(
        engine=engine,
        time_limit_s=float(options.time_limit_s),
        on_progress=on_game,
        cache=CoalitionCache(split["cache"]) if split.get("cache") else None,
        stopped=lambda: bool(reporter.stop),
    )
    return run_split(
        instance,
        rule=split.get("rule"),
        samples=split.get("samples"),
        seed=split.get("seed"),
        stand_alone=bool(split.get("stand_alone", False)),
        capacity=split.get("capacity"),
        compare=bool(split.get("compare", False)),
        options=options,
        game=game,
        on_progress=reporter.plan,
    )


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when its parent dies (a killed server leaves no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        log.debug("prctl(PR_SET_PDEATHSIG) unavailable; relying on the parent check")
