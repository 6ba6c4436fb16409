"""The job store alone: FIFO claims, attempt fencing, restart recovery, cancel."""

from __future__ import annotations

import pytest

from api.jobs.store import DatabaseLocked, JobStore


def _submit(store: JobStore, tenant: str = "t") -> str:
    return store.submit(tenant, "{}", instance_name="x", notes=[], time_limit_s=1.0).id


def test_claims_are_fifo_and_each_job_is_claimed_once(tmp_path) -> None:
    store = JobStore(tmp_path / "s.db")
    ids = [_submit(store) for _ in range(4)]
    claimed = []
    while (next_job := store.claim_next()) is not None:
        claimed.append(next_job[0].id)
    assert claimed == ids


def test_only_the_current_attempt_may_finish(tmp_path) -> None:
    store = JobStore(tmp_path / "s.db")
    job_id = _submit(store)
    row, _ = store.claim_next()
    assert row.attempts == 1
    assert store.requeue_running() == [job_id]  # the server died; it starts again
    row, _ = store.claim_next()
    assert row.attempts == 2
    assert not store.finish(job_id, 1, "done", result='{"stale": 1}', error=None)
    assert store.finish(job_id, 2, "done", result='{"fresh": 1}', error=None)
    assert not store.finish(job_id, 2, "done", result='{"again": 1}', error=None)
    assert store.get(job_id, "t", with_result=True).result == '{"fresh": 1}'
    assert [e for _, e in store.events(job_id)] == [
        "submitted",
        "claimed",
        "requeued",
        "claimed",
        "finished:done",
    ]


def test_recovery_cancels_a_job_whose_cancel_was_asked(tmp_path) -> None:
    store = JobStore(tmp_path / "s.db")
    job_id = _submit(store)
    store.claim_next()
    assert store.cancel(job_id, "t").state == "running"
    assert store.requeue_running() == []
    assert store.get(job_id, "t").state == "cancelled"


def test_cancel_and_get_respect_the_tenant(tmp_path) -> None:
    store = JobStore(tmp_path / "s.db")
    job_id = _submit(store, "a")
    assert store.get(job_id, "b") is None
    assert store.cancel(job_id, "b") is None
    assert store.get(job_id, "a").state == "queued"
    assert store.cancel(job_id, "a").state == "cancelled"
    assert store.claim_next() is None


def test_one_server_per_database(tmp_path) -> None:
    first, second = JobStore(tmp_path / "s.db"), JobStore(tmp_path / "s.db")
    first.acquire_server_lock()
    with pytest.raises(DatabaseLocked):
        second.acquire_server_lock()
    first.release_server_lock()
    second.acquire_server_lock()
    second.release_server_lock()


def test_a_database_from_before_split_jobs_gets_the_kind_column(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE jobs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
            " tenant TEXT NOT NULL, state TEXT NOT NULL, request TEXT NOT NULL, instance_name"
            " TEXT, notes TEXT NOT NULL DEFAULT '[]', time_limit_s REAL NOT NULL, progress TEXT,"
            " result TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, cancel_requested"
            " INTEGER NOT NULL DEFAULT 0, worker_pid INTEGER, created_at REAL NOT NULL,"
            " started_at REAL, finished_at REAL)"
        )
        db.execute(
            "INSERT INTO jobs (id, tenant, state, request, time_limit_s, created_at)"
            " VALUES ('old', 't', 'queued', '{}', 1.0, 0)"
        )
    store = JobStore(path)
    old = store.get("old", "t")
    assert old is not None and old.kind == "solve"
    new = store.submit("t", "{}", instance_name="x", notes=[], time_limit_s=1.0, kind="split")
    assert store.get(new.id, "t").kind == "split"
