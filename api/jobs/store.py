"""The durable job queue and token table: one SQLite file (stdlib `sqlite3`, WAL).

A job row is written and committed before the API answers 202, so a job is never lost. Each start
of a solve increments `attempts`; a finished solve may only be stored by the attempt that is
running (`WHERE attempts = ?`), so a late answer from an earlier attempt can never overwrite or
duplicate a result. `job_events` is an append-only audit trail (claimed, finished, requeued, ...)
that operators and the restart tests read to see how often each job ran.
"""

from __future__ import annotations

import builtins  # JobStore.list shadows the builtin inside the class
import fcntl
import json
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from api.jobs.rows import FINAL_STATES, STATES, SUMMARY, JobRow, create_schema, row_of


class DatabaseLocked(RuntimeError):
    """Another live server holds this database (one server per SQLite file)."""


class TenantBusy(RuntimeError):
    """The tenant has as many queued and running jobs as it may (answered 429)."""


class JobStore:
    """Jobs, their audit trail and the hashed API tokens in one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_file: IO[bytes] | None = None
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            create_schema(db)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short-lived connection per operation: safe across the request threads and the
        # supervisor thread. synchronous=FULL: a 202 means the job survives even a power cut.
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # ------------------------------------------------------------------------------------------
    # Server ownership

    def acquire_server_lock(self) -> None:
        """Become the one server of this database, or raise `DatabaseLocked`.

        Restart recovery re-queues every `running` job, which is only safe when no other live
        server is running them. The kernel drops the lock when its holder dies, even by SIGKILL.
        """
        handle = open(self.path.with_name(self.path.name + ".lock"), "wb")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise DatabaseLocked(f"another dekkend server is using {self.path}") from None
        self._lock_file = handle

    def release_server_lock(self) -> None:
        """Give up ownership (at shutdown)."""
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    # ------------------------------------------------------------------------------------------
    # Used by the routes

    def submit(
        self,
        tenant: str,
        request: str,
        *,
        instance_name: str,
        notes: list[str],
        time_limit_s: float,
        kind: str = "solve",
        max_active: int | None = None,
    ) -> JobRow:
        """Store a new queued job (committed before this returns).

        With `max_active`, a tenant that already has that many queued and running jobs gets
        `TenantBusy` instead (counted in the same transaction, so racing submits cannot pass it).
        """
        job_id = uuid.uuid4().hex
        now = time.time()
        with self._transaction() as db:
            if max_active is not None:
                active = db.execute(
                    "SELECT COUNT(*) FROM jobs WHERE tenant = ? AND state IN ('queued', 'running')",
                    (tenant,),
                ).fetchone()[0]
                if active >= max_active:
                    raise TenantBusy(
                        f"tenant {tenant!r} has {active} queued or running jobs, this server's "
                        f"most (DEKKEND_MAX_JOBS_PER_TENANT); wait for one to finish"
                    )
            db.execute(
                "INSERT INTO jobs (id, tenant, state, kind, request, instance_name, notes,"
                " time_limit_s, created_at) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    tenant,
                    kind,
                    request,
                    instance_name,
                    json.dumps(notes),
                    time_limit_s,
                    now,
                ),
            )
            _event(db, job_id, 0, "submitted", now)
        found = self.get(job_id, tenant)
        assert found is not None  # just inserted in a committed transaction
        return found

    def get(
        self, job_id: str, tenant: str, *, with_result: bool = False, with_request: bool = False
    ) -> JobRow | None:
        """The tenant's job, or None (another tenant's job is as absent as a missing one)."""
        columns = SUMMARY + (", result" if with_result else "")
        columns += ", request" if with_request else ""
        with self._connect() as db:
            record = db.execute(
                f"SELECT {columns} FROM jobs WHERE id = ? AND tenant = ?", (job_id, tenant)
            ).fetchone()
        return row_of(record) if record else None

    def list(self, tenant: str, *, limit: int, before: int | None = None) -> list[JobRow]:
        """The tenant's jobs, newest first, `limit` of them with seq below `before`."""
        with self._connect() as db:
            records = db.execute(
                f"SELECT {SUMMARY} FROM jobs WHERE tenant = ? AND seq < ? "
                "ORDER BY seq DESC LIMIT ?",
                (tenant, before if before is not None else 2**62, limit),
            ).fetchall()
        return [row_of(r) for r in records]

    def cancel(self, job_id: str, tenant: str) -> JobRow | None:
        """Stop a job: cancel a queued one, mark a running one, delete a finished one.

        A running job is stopped by the runner (it keeps its best plan); a finished one is deleted
        with its result and trail. The row comes back as it stands (a finished one as it was).
        """
        now = time.time()
        before = self.get(job_id, tenant, with_result=True)
        with self._transaction() as db:
            record = db.execute(
                "SELECT state, attempts FROM jobs WHERE id = ? AND tenant = ?", (job_id, tenant)
            ).fetchone()
            if record is None:
                return None
            if record["state"] in FINAL_STATES:
                _delete(db, [job_id])
                return before
            if record["state"] == "queued":
                db.execute(
                    "UPDATE jobs SET state = 'cancelled', finished_at = ?, cancel_requested = 1,"
                    " error = 'cancelled before it started' WHERE id = ?",
                    (now, job_id),
                )
                _event(db, job_id, record["attempts"], "cancelled", now)
            elif record["state"] == "running":
                db.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = ?", (job_id,))
                _event(db, job_id, record["attempts"], "cancel_requested", now)
        return self.get(job_id, tenant, with_result=True)

    def counts(self) -> dict[str, int]:
        """Number of jobs per state, over all tenants (for /v1/health)."""
        with self._connect() as db:
            records = db.execute("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").fetchall()
        found = {r["state"]: r["n"] for r in records}
        return {state: found.get(state, 0) for state in STATES}

    # ------------------------------------------------------------------------------------------
    # Used by the runner

    def requeue_running(self) -> builtins.list[str]:
        """At startup: put jobs a killed server left `running` back in the queue (FIFO place kept).

        A job whose cancel was asked before the crash is cancelled instead: its best solution
        lived only in the killed worker.
        """
        now = time.time()
        with self._transaction() as db:
            records = db.execute(
                "SELECT id, attempts, cancel_requested FROM jobs WHERE state = 'running'"
            ).fetchall()
            for r in records:
                if r["cancel_requested"]:
                    db.execute(
                        "UPDATE jobs SET state = 'cancelled', finished_at = ?, worker_pid = NULL,"
                        " error = 'cancelled; the server stopped before a solution was kept'"
                        " WHERE id = ?",
                        (now, r["id"]),
                    )
                    _event(db, r["id"], r["attempts"], "cancelled", now)
                else:
                    db.execute(
                        "UPDATE jobs SET state = 'queued', worker_pid = NULL, progress = NULL"
                        " WHERE id = ?",
                        (r["id"],),
                    )
                    _event(db, r["id"], r["attempts"], "requeued", now)
        return [r["id"] for r in records if not r["cancel_requested"]]

    def claim_next(self) -> tuple[JobRow, str] | None:
        """Start the next queued job (a new attempt), fairly between tenants; it and its request.

        The next job is the oldest queued one of the tenant with the fewest running jobs; between
        tenants equally busy, of the one whose last job started longest ago (round robin), so a
        tenant with one small job never waits for another's whole queue to drain.
        """
        now = time.time()
        with self._transaction() as db:
            record = db.execute(
                "SELECT q.id FROM jobs q WHERE q.state = 'queued' ORDER BY"
                " (SELECT COUNT(*) FROM jobs r WHERE r.tenant = q.tenant AND r.state = 'running'),"
                " COALESCE((SELECT MAX(s.started_at) FROM jobs s WHERE s.tenant = q.tenant), 0),"
                " q.seq LIMIT 1"
            ).fetchone()
            if record is None:
                return None
            db.execute(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?,"
                " progress = NULL WHERE id = ?",
                (now, record["id"]),
            )
            claimed = db.execute(
                f"SELECT {SUMMARY}, request FROM jobs WHERE id = ?", (record["id"],)
            ).fetchone()
            _event(db, claimed["id"], claimed["attempts"], "claimed", now)
        row = row_of(claimed)
        assert row.request is not None
        return row, row.request

    def set_worker(self, job_id: str, attempt: int, pid: int) -> None:
        """Record the worker process of a running attempt (operators and tests look it up)."""
        with self._connect() as db:
            db.execute(
                "UPDATE jobs SET worker_pid = ?"
                " WHERE id = ? AND attempts = ? AND state = 'running'",
                (pid, job_id, attempt),
            )

    def save_progress(self, job_id: str, attempt: int, progress: dict[str, Any]) -> None:
        """Store the latest progress snapshot of a running attempt."""
        with self._connect() as db:
            db.execute(
                "UPDATE jobs SET progress = ? WHERE id = ? AND attempts = ? AND state = 'running'",
                (json.dumps(progress), job_id, attempt),
            )

    def cancel_requested(self, job_id: str) -> bool:
        """Whether someone asked to stop this job."""
        with self._connect() as db:
            record = db.execute(
                "SELECT cancel_requested FROM jobs WHERE id = ?", (job_id,)
            ).fetchone()
        return bool(record and record["cancel_requested"])

    def finish(
        self, job_id: str, attempt: int, state: str, *, result: str | None, error: str | None
    ) -> bool:
        """Store the outcome of `attempt`; False (and nothing written) when it is not current."""
        if state not in FINAL_STATES:
            raise ValueError(f"not a final state: {state!r}")
        now = time.time()
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE jobs SET state = ?, result = ?, error = ?, finished_at = ?,"
                " worker_pid = NULL WHERE id = ? AND attempts = ? AND state = 'running'",
                (state, result, error, now, job_id, attempt),
            ).rowcount
            if changed:
                _event(db, job_id, attempt, "finished:" + state, now)
        return bool(changed)

    def requeue(self, job_id: str, attempt: int) -> None:
        """Put a running attempt back in the queue (graceful shutdown: it runs again later)."""
        now = time.time()
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE jobs SET state = 'queued', worker_pid = NULL, progress = NULL"
                " WHERE id = ? AND attempts = ? AND state = 'running'",
                (job_id, attempt),
            ).rowcount
            if changed:
                _event(db, job_id, attempt, "requeued", now)

    def purge(self, finished_before: float) -> int:
        """Delete the jobs that finished before `finished_before` (epoch s); how many there were."""
        with self._transaction() as db:
            ids = [
                r["id"]
                for r in db.execute(
                    "SELECT id FROM jobs WHERE finished_at < ? AND state IN ('done', 'failed',"
                    " 'cancelled')",
                    (finished_before,),
                ).fetchall()
            ]
            _delete(db, ids)
        return len(ids)

    def events(self, job_id: str) -> builtins.list[tuple[int, str]]:
        """The audit trail of a job: (attempt, event) in order."""
        with self._connect() as db:
            records = db.execute(
                "SELECT attempt, event FROM job_events WHERE job_id = ? ORDER BY rowid", (job_id,)
            ).fetchall()
        return [(r["attempt"], r["event"]) for r in records]

    # ------------------------------------------------------------------------------------------
    # Tokens (hashing lives in api.auth)

    def add_token(self, token_hash: str, tenant: str) -> None:
        """Store a token hash for a tenant."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO tokens (hash, tenant, created_at) VALUES (?, ?, ?)",
                (token_hash, tenant, time.time()),
            )

    def tenant_of(self, token_hash: str) -> str | None:
        """The tenant a token hash belongs to, or None."""
        with self._connect() as db:
            record = db.execute(
                "SELECT tenant FROM tokens WHERE hash = ?", (token_hash,)
            ).fetchone()
        return record["tenant"] if record else None

    def tokens(self) -> builtins.list[tuple[str, str, float]]:
        """Every stored token as (hash, tenant, created_at), oldest first."""
        with self._connect() as db:
            records = db.execute(
                "SELECT hash, tenant, created_at FROM tokens ORDER BY created_at, hash"
            ).fetchall()
        return [(r["hash"], r["tenant"], r["created_at"]) for r in records]

    def remove_tokens(self, hashes: Iterable[str]) -> int:
        """Delete these token hashes; how many there were."""
        with self._transaction() as db:
            return sum(
                db.execute("DELETE FROM tokens WHERE hash = ?", (h,)).rowcount for h in hashes
            )


def _delete(db: sqlite3.Connection, ids: builtins.list[str]) -> None:
    """Remove jobs and their audit trail (retention, or DELETE of a finished job)."""
    for job_id in ids:
        db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
        db.execute("DELETE FROM job_events WHERE job_id = ?", (job_id,))


def _event(db: sqlite3.Connection, job_id: str, attempt: int, event: str, at: float) -> None:
    db.execute(
        "INSERT INTO job_events (job_id, attempt, event, at) VALUES (?, ?, ?, ?)",
        (job_id, attempt, event, at),
    )
