"""The supervisor: runs queued jobs, each in its own worker process, at most `workers` at once.

Jobs start fairly between tenants (the store's `claim_next`), and finished jobs past their
retention are deleted once a minute.

One thread owns every running job. It waits on the workers' pipes (and a wake-up pipe poked by
new submissions and cancels), writes progress to SQLite, enforces the watchdog and stores each
outcome once, guarded by the attempt number (see api.jobs.store). On start it takes the database's
server lock and re-queues the jobs a killed server left `running`; they then run again from
scratch, in their original FIFO place, and only the attempt that finishes stores a result.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.connection import wait
from multiprocessing.context import BaseContext

from api.jobs.handle import Outcome, WorkerHandle, make_context
from api.jobs.store import JobStore
from api.settings import Settings

log = logging.getLogger(__name__)

_PURGE_EVERY_S = 60.0  # how often finished jobs past their retention are looked for


class Busy(Exception):
    """Every synchronous solve slot stayed taken for `sync_wait_s` (answered 503)."""


@dataclass
class _Running:
    job_id: str
    attempt: int
    handle: WorkerHandle
    cancelled: bool = False


class Runner:
    """Runs the job queue of one `JobStore`, and synchronous solves, in worker processes."""

    def __init__(self, store: JobStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._ctx: BaseContext | None = None
        self._running: dict[str, _Running] = {}
        self._stops: set[str] = set()
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._sync_slots = threading.BoundedSemaphore(settings.workers)
        self._next_purge = 0.0

    # ------------------------------------------------------------------------------------------
    # Life cycle

    def start(self) -> None:
        """Own the database, recover jobs a killed server left running, start supervising."""
        self.store.acquire_server_lock()
        requeued = self.store.requeue_running()
        if requeued:
            log.warning("re-queued %d job(s) left running by a stopped server", len(requeued))
        self._ctx = make_context()
        forkserver.ensure_running()  # pay the solver imports once, now, not on the first job
        self._thread = threading.Thread(target=self._loop, name="dekkend-runner", daemon=True)
        self._thread.start()

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Stop supervising; running jobs are killed and re-queued so they run after a restart."""
        self._halt.set()
        self.wake()
        if self._thread is not None:
            self._thread.join(timeout_s)
        for job in list(self._running.values()):
            job.handle.kill("the server shut down")
            job.handle.process.join(timeout=5.0)
            self.store.requeue(job.job_id, job.attempt)
        self._running.clear()
        self.store.release_server_lock()
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)

    def wake(self) -> None:
        """Tell the supervisor to look at the queue now (a job was submitted or cancelled)."""
        # A full pipe wakes it anyway; a closed one means we are shutting down.
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"!")

    def request_stop(self, job_id: str) -> None:
        """Stop a running job; it keeps its best solution (the store already marked the cancel)."""
        with self._lock:
            self._stops.add(job_id)
        self.wake()

    def running_count(self) -> int:
        """How many jobs run right now."""
        return len(self._running)

    # ------------------------------------------------------------------------------------------
    # Synchronous solves (POST /v1/solve): same worker, no queue, not stored

    def solve_now(self, payload: str, time_limit_s: float) -> Outcome:
        """Run one solve in a worker process and wait for it; raise `Busy` when no slot frees."""
        if self._ctx is None:
            raise RuntimeError("runner not started")
        if not self._sync_slots.acquire(timeout=self.settings.sync_wait_s):
            raise Busy("all solve slots are busy; retry later or submit a job")
        try:
            memory_mb = self.settings.worker_memory_limit_mb
            handle = WorkerHandle(self._ctx, payload, time_limit_s, memory_mb)
            while handle.outcome is None:
                handle.conn.poll(0.25)
                handle.pump()
                handle.watchdog(time.monotonic())
            return handle.outcome
        finally:
            self._sync_slots.release()

    # ------------------------------------------------------------------------------------------
    # The supervisor thread

    def _loop(self) -> None:
        while not self._halt.is_set():
            try:
                self._tick()
            except Exception:
                # A busy or broken database must not end supervision; try again shortly.
                log.exception("job supervisor: tick failed")
                time.sleep(1.0)
            waitables: list[object] = [self._wake_r]
            waitables += [job.handle.conn for job in self._running.values()]
            wait(waitables, timeout=0.5)  # type: ignore[arg-type]
            try:
                while os.read(self._wake_r, 4096):
                    pass
            except (BlockingIOError, OSError):
                pass

    def _tick(self) -> None:
        self._purge_old_jobs()
        with self._lock:
            stops, self._stops = self._stops, set()
        for job_id in stops:
            job = self._running.get(job_id)
            if job is not None:
                job.cancelled = True
                job.handle.request_stop()
        now = time.monotonic()
        for job in list(self._running.values()):
            if job.handle.pump() and job.handle.progress is not None:
                self.store.save_progress(job.job_id, job.attempt, job.handle.progress)
            job.handle.watchdog(now)
            if job.handle.outcome is not None:
                # Stored first: if the database refuses, the next tick tries again.
                self._store_outcome(job, job.handle.outcome)
                del self._running[job.job_id]
        while len(self._running) < self.settings.workers and not self._halt.is_set():
            if not self._start_next():
                break

    def _purge_old_jobs(self) -> None:
        """Delete finished jobs older than the retention, at most once a minute."""
        now = time.time()
        if now < self._next_purge:
            return
        self._next_purge = now + _PURGE_EVERY_S
        removed = self.store.purge(now - self.settings.job_retention_days * 86_400)
        if removed:
            log.info("deleted %d finished job(s) past the retention", removed)

    def _start_next(self) -> bool:
        """Claim the oldest queued job and start its worker; False when the queue is empty."""
        assert self._ctx is not None
        claimed = self.store.claim_next()
        if claimed is None:
            return False
        row, request = claimed
        try:
            handle = WorkerHandle(
                self._ctx, request, row.time_limit_s, self.settings.worker_memory_limit_mb
            )
        except OSError as exc:
            log.error("could not start a worker for job %s: %s", row.id, exc)
            self.store.finish(
                row.id, row.attempts, "failed", result=None, error="could not start a worker"
            )
            return True
        job = _Running(row.id, row.attempts, handle)
        self._running[row.id] = job
        self.store.set_worker(row.id, row.attempts, handle.pid)
        log.info("job %s attempt %d started in worker %d", row.id, row.attempts, handle.pid)
        # A cancel that landed between the claim and now found no handle to signal.
        if self.store.cancel_requested(row.id):
            job.cancelled = True
            handle.request_stop()
        return True

    def _store_outcome(self, job: _Running, outcome: Outcome) -> None:
        """Write a finished attempt's outcome (once; a stale attempt is refused by the store)."""
        if outcome.kind == "result":
            state, result, error = ("cancelled" if job.cancelled else "done"), outcome.result, None
        elif outcome.kind == "invalid":
            head = "; ".join(f"{e['path']}: {e['message']}" for e in outcome.errors[:3])
            state, result, error = "failed", None, f"invalid instance: {head}"
        else:
            state = "cancelled" if job.cancelled else "failed"
            result, error = None, outcome.message
        stored = self.store.finish(job.job_id, job.attempt, state, result=result, error=error)
        log.info("job %s attempt %d %s", job.job_id, job.attempt, state)
        if not stored:
            log.warning(
                "job %s attempt %d is no longer current: outcome dropped", job.job_id, job.attempt
            )
