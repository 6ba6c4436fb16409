"""Load run of the HTTP API: 200 small jobs from 20 concurrent clients against a local server.

Reports throughput and latency percentiles (submit, and submit-to-done as a client sees it) and
asserts that every job was done exactly once: one stored result, one claim, one `finished:done`
event, a checked optimal result. Not part of `make test`; run it with

    .venv/bin/python -m pytest -q -s benchmarks/test_api_load.py
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from pathlib import Path

import pytest

from tests.api.api_server import INSTANCES, Server, instance

JOBS = 200
CLIENTS = 20
WORKERS = 2


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@pytest.mark.skipif(not (INSTANCES / "tiny.json").exists(), reason="instances/tiny.json absent")
def test_api_load(tmp_path: Path) -> None:
    server = Server(tmp_path, workers=WORKERS).start()
    body = {"instance": instance("tiny"), "options": {"time_limit_s": 30}}
    submit_s: list[float] = []
    done_s: list[float] = []
    jobs: list[tuple[str, str]] = []  # (job id, tenant)
    failures: list[str] = []
    lock = threading.Lock()

    def client_run(token: str, tenant: str, count: int) -> None:
        with server.client(token) as client:
            mine: list[tuple[str, float]] = []
            for _ in range(count):
                started = time.monotonic()
                response = client.post("/v1/jobs", json=body)
                if response.status_code != 202:
                    failures.append(f"submit {response.status_code}: {response.text[:200]}")
                    continue
                mine.append((response.json()["id"], started))
                with lock:
                    submit_s.append(time.monotonic() - started)
            deadline = time.monotonic() + 300
            pending = dict(mine)
            while pending and time.monotonic() < deadline:
                for job_id, started in list(pending.items()):
                    state = client.get(f"/v1/jobs/{job_id}").json()["state"]
                    if state in ("done", "failed", "cancelled"):
                        del pending[job_id]
                        with lock:
                            done_s.append(time.monotonic() - started)
                        if state != "done":
                            failures.append(f"job {job_id} ended {state}")
                time.sleep(0.05)
            failures.extend(f"job {j} not finished" for j in pending)
            with lock:
                jobs.extend((j, tenant) for j, _ in mine)

    try:
        tenants = [f"tenant{i % 4}" for i in range(CLIENTS)]
        tokens = [server.token(t) for t in tenants]
        threads = [
            threading.Thread(target=client_run, args=(tokens[i], tenants[i], JOBS // CLIENTS))
            for i in range(CLIENTS)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        wall = time.monotonic() - started
    finally:
        server.stop()

    assert not failures, failures[:5]
    assert len(jobs) == JOBS == len({j for j, _ in jobs})
    store = server.store()
    objectives = set()
    for job_id, tenant in jobs:
        events = [e for _, e in store.events(job_id)]
        assert events == ["submitted", "claimed", "finished:done"], (job_id, events)
        row = store.get(job_id, tenant, with_result=True)
        assert row is not None and row.attempts == 1 and row.result is not None
        objectives.add(round(json.loads(row.result)["objective"], 2))
    assert len(objectives) == 1  # same instance, same seed: same answer every time
    assert store.counts()["done"] == JOBS

    print(
        f"\nAPI load: {JOBS} jobs (tiny), {CLIENTS} clients, {WORKERS} workers: "
        f"{wall:.1f} s wall, {JOBS / wall:.1f} jobs/s\n"
        f"  submit latency ms: p50 {1000 * _percentile(submit_s, 0.5):.0f}, "
        f"p95 {1000 * _percentile(submit_s, 0.95):.0f}, "
        f"p99 {1000 * _percentile(submit_s, 0.99):.0f}, "
        f"max {1000 * max(submit_s):.0f}\n"
        f"  submit-to-done s: p50 {_percentile(done_s, 0.5):.2f}, "
        f"p95 {_percentile(done_s, 0.95):.2f}, p99 {_percentile(done_s, 0.99):.2f}, "
        f"max {max(done_s):.2f}, mean {statistics.mean(done_s):.2f}"
    )
