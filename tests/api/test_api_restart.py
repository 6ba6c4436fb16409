"""A server SIGKILLed mid-solve loses nothing when started again, and runs each job to completion
exactly once."""

from __future__ import annotations

import time
from pathlib import Path

from tests.api.api_server import Server, instance, slow_region, wait_for


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting to be reaped does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_sigkill_mid_solve_then_restart(tmp_path: Path) -> None:
    server = Server(tmp_path, workers=1).start()
    try:
        token = server.token("restart")
        with server.client(token) as client:
            long_job = client.post(
                "/v1/jobs",
                json={"instance": slow_region(), "options": {"seed": 1, "time_limit_s": 120}},
            ).json()["id"]
            queued = [
                client.post("/v1/jobs", json={"instance": instance("tiny")}).json()["id"]
                for _ in range(3)
            ]
            wait_for(client, long_job, ("running",))
            store = server.store()
            row = store.get(long_job, "restart")
            while row.worker_pid is None:
                row = store.get(long_job, "restart")
            time.sleep(0.5)  # well inside its solve
        server.kill()

        # The worker dies with the server (no orphan keeps solving or writing).
        deadline = time.monotonic() + 10
        while _alive(row.worker_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(row.worker_pid)
        assert store.get(long_job, "restart").state == "running"  # as the crash left it

        server.start()
        with server.client(token) as client:
            done = wait_for(client, long_job, ("done", "failed"), timeout_s=60)
            assert done["state"] == "done", done
            assert done["result"]["status"] == "optimal"
            assert done["attempts"] == 2
            for job_id in queued:
                assert wait_for(client, job_id, ("done", "failed"))["state"] == "done"
            listed = client.get("/v1/jobs", params={"limit": 200}).json()["jobs"]
        assert sorted(j["id"] for j in listed) == sorted([long_job, *queued])
        events = [e for _, e in store.events(long_job)]
        assert events == ["submitted", "claimed", "requeued", "claimed", "finished:done"], events
        for job_id in queued:
            assert [e for _, e in store.events(job_id)].count("finished:done") == 1
            assert store.get(job_id, "restart").attempts == 1
        assert "re-queued 1 job(s)" in server.log()
    finally:
        server.stop()


def test_second_server_on_same_database_refuses(tmp_path: Path) -> None:
    first = Server(tmp_path).start()
    second = Server(tmp_path)
    try:
        try:
            second.start(timeout_s=15)
        except RuntimeError as exc:
            assert "another dekkend server" in str(exc)
        else:
            raise AssertionError("a second server started on the same database")
    finally:
        second.stop()
        first.stop()


def test_graceful_stop_requeues_running_job(tmp_path: Path) -> None:
    server = Server(tmp_path, workers=1).start()
    try:
        token = server.token("graceful")
        with server.client(token) as client:
            job_id = client.post("/v1/jobs", json={"instance": instance("achterhoek")}).json()["id"]
            wait_for(client, job_id, ("running",))
        server.stop()  # SIGTERM: uvicorn shuts down, the runner re-queues what runs
        store = server.store()
        assert store.get(job_id, "graceful").state == "queued"
        server.start()
        with server.client(token) as client:
            assert wait_for(client, job_id, ("done", "failed"))["state"] == "done"
        assert [e for _, e in store.events(job_id)] == [
            "submitted",
            "claimed",
            "requeued",
            "claimed",
            "finished:done",
        ]
    finally:
        server.stop()
