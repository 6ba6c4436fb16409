"""The jobs database's schema and its rows: the tables, the summary columns, `JobRow`.

`create_schema` makes the tables of a new database and brings an older one up to date (columns
added since: `kind`, when split jobs came).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

STATES = ("queued", "running", "done", "failed", "cancelled")
FINAL_STATES = ("done", "failed", "cancelled")

_TABLES = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    state TEXT NOT NULL,
    request TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'solve',
    instance_name TEXT,
    notes TEXT NOT NULL DEFAULT '[]',
    time_limit_s REAL NOT NULL,
    progress TEXT,
    result TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    worker_pid INTEGER,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL
);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, seq);
CREATE INDEX IF NOT EXISTS jobs_by_tenant ON jobs (tenant, seq);
CREATE TABLE IF NOT EXISTS job_events (
    job_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    event TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS job_events_by_job ON job_events (job_id);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    created_at REAL NOT NULL
);
"""

SUMMARY = (
    "seq, id, tenant, state, kind, instance_name, notes, time_limit_s, progress, error, attempts, "
    "cancel_requested, worker_pid, created_at, started_at, finished_at"
)


def create_schema(db: sqlite3.Connection) -> None:
    """The tables and indexes, with columns added since older databases were made."""
    db.executescript(_TABLES)
    columns = {row["name"] for row in db.execute("PRAGMA table_info(jobs)")}
    if "kind" not in columns:  # a database from before split jobs: all its jobs solve
        db.execute("ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'solve'")


@dataclass(frozen=True)
class JobRow:
    """One job as stored; `request` and `result` are JSON text, present only when asked for."""

    seq: int
    id: str
    tenant: str
    state: str
    kind: str  # `solve` or `split`
    instance_name: str | None
    notes: list[str]
    time_limit_s: float
    progress: dict[str, Any] | None
    error: str | None
    attempts: int
    cancel_requested: bool
    worker_pid: int | None
    created_at: float
    started_at: float | None
    finished_at: float | None
    request: str | None = None
    result: str | None = None


def row_of(record: sqlite3.Row) -> JobRow:
    """A `JobRow` from a database row (with `request` and `result` where selected)."""
    keys = record.keys()
    return JobRow(
        seq=record["seq"],
        id=record["id"],
        tenant=record["tenant"],
        state=record["state"],
        kind=record["kind"],
        instance_name=record["instance_name"],
        notes=json.loads(record["notes"]),
        time_limit_s=record["time_limit_s"],
        progress=json.loads(record["progress"]) if record["progress"] else None,
        error=record["error"],
        attempts=record["attempts"],
        cancel_requested=bool(record["cancel_requested"]),
        worker_pid=record["worker_pid"],
        created_at=record["created_at"],
        started_at=record["started_at"],
        finished_at=record["finished_at"],
        request=record["request"] if "request" in keys else None,
        result=record["result"] if "result" in keys else None,
    )
