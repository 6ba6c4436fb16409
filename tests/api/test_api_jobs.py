"""Jobs against a real server: submit, poll, result, list, cancel, worker crash."""

from __future__ import annotations

import os
import signal

from solver.check import check
from solver.instance import parse_instance
from solver.result import parse_result
from tests.api.api_server import Server, instance, slow_region, wait_for


def _submit(client, name: str, **options) -> str:
    body = slow_region() if name == "slow" else instance(name)
    response = client.post("/v1/jobs", json={"instance": body, "options": options})
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert response.headers["location"] == f"/v1/jobs/{job_id}"
    return job_id


def test_submit_poll_result_is_checked(server: Server, token: str) -> None:
    with server.client(token) as client:
        job_id = _submit(client, "tiny", time_limit_s=30)
        job = wait_for(client, job_id, ("done", "failed"))
        assert job["state"] == "done", job
        assert job["attempts"] == 1
        result = client.get(f"/v1/jobs/{job_id}/result").json()
    assert result == job["result"]
    assert result["status"] == "optimal"
    with server.client(token) as client:
        finished = client.delete(f"/v1/jobs/{job_id}").json()  # a finished job is unchanged
    assert finished["state"] == "done" and finished["result"] == result
    report = check(parse_instance(instance("tiny")), parse_result(result))
    assert report.ok, report.violations
    assert report.objective is not None and abs(report.objective - result["objective"]) < 0.01


def test_list_is_paginated_newest_first(server: Server) -> None:
    token = server.token("lister")
    with server.client(token) as client:
        ids = [_submit(client, "tiny") for _ in range(3)]
        first = client.get("/v1/jobs", params={"limit": 2}).json()
        assert [j["id"] for j in first["jobs"]] == ids[::-1][:2]
        assert all(j["result"] is None for j in first["jobs"])
        second = client.get("/v1/jobs", params={"limit": 2, "cursor": first["next_cursor"]}).json()
        assert [j["id"] for j in second["jobs"]] == [ids[0]]
        assert second["next_cursor"] is None
        for job_id in ids:
            wait_for(client, job_id, ("done",))


def test_cancel_running_keeps_best_plan(server: Server, token: str) -> None:
    with server.client(token) as client:
        job_id = _submit(client, "slow", time_limit_s=60, gap=0.0)
        job = wait_for(client, job_id, ("running", "done"))
        # Wait for a first plan so that cancelling has something to keep.
        while job["state"] == "running" and not (job["progress"] or {}).get("objective"):
            job = client.get(f"/v1/jobs/{job_id}").json()
        assert job["state"] == "running", "the region solved before it could be cancelled"
        assert set(job["progress"]) >= {"objective", "bound", "gap", "elapsed_s"}
        cancelled = client.delete(f"/v1/jobs/{job_id}")
        assert cancelled.status_code == 200
        assert cancelled.json()["cancel_requested"] is True
        job = wait_for(client, job_id, ("cancelled", "done", "failed"), timeout_s=30)
    assert job["state"] == "cancelled", job
    assert job["result"]["status"] in ("feasible", "optimal")
    assert job["result"]["assignments"]
    report = check(parse_instance(slow_region()), parse_result(job["result"]))
    assert report.ok, report.violations


def test_cancel_queued_job_never_runs(tmp_path) -> None:
    server = Server(tmp_path, workers=1).start()
    try:
        with server.client(server.token("q")) as client:
            first = _submit(client, "slow", time_limit_s=60)
            wait_for(client, first, ("running",))
            second = _submit(client, "tiny")
            response = client.delete(f"/v1/jobs/{second}")
            assert response.json()["state"] == "cancelled"
            client.delete(f"/v1/jobs/{first}")
            wait_for(client, first, ("cancelled", "done"))
            assert client.get(f"/v1/jobs/{second}").json()["attempts"] == 0
        assert [e for _, e in server.store().events(second)] == ["submitted", "cancelled"]
    finally:
        server.stop()


def test_worker_crash_fails_only_that_job(server: Server, token: str) -> None:
    with server.client(token) as client:
        job_id = _submit(client, "slow", time_limit_s=60)
        wait_for(client, job_id, ("running",))
        row = server.store().get(job_id, "alpha")
        while row.worker_pid is None:
            row = server.store().get(job_id, "alpha")
        os.kill(row.worker_pid, signal.SIGKILL)  # what the OOM killer would do
        job = wait_for(client, job_id, ("failed", "done"))
        assert job["state"] == "failed"
        assert "SIGKILL" in job["error"] and "memory" in job["error"]
        assert "Traceback" not in job["error"]
        assert client.get("/v1/health").status_code == 200
        after = _submit(client, "tiny")
        assert wait_for(client, after, ("done", "failed"))["state"] == "done"
