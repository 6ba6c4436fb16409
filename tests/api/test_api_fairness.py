"""Tenants share the workers fairly, each has a quota, and finished jobs go when asked or old."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from api.jobs.store import JobStore
from solver.generate.region import generate_region
from tests.api.api_server import Server, instance, wait_for


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One worker, so that the order in which jobs start is the whole story."""
    srv = Server(tmp_path_factory.mktemp("fair"), workers=1, max_jobs_per_tenant=3)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def test_a_small_job_of_another_tenant_does_not_wait_for_a_whole_queue(busy: Server) -> None:
    region = generate_region(providers=600, municipalities=16, seed=0)  # ~2.4 s a solve here
    with busy.client(busy.token("alpha")) as alpha, busy.client(busy.token("beta")) as beta:
        heavy = [alpha.post("/v1/jobs", json={"instance": region}).json()["id"] for _ in range(3)]
        time.sleep(0.3)  # alpha's first job is running, two wait
        small = beta.post("/v1/jobs", json={"instance": instance("tiny")}).json()["id"]
        done = wait_for(beta, small, ("done",), timeout_s=60)
        queued = [alpha.get(f"/v1/jobs/{j}").json() for j in heavy]
        # first in first out would run alpha's three before beta's one
        assert sum(job["started_at"] is None for job in queued) >= 1, queued
        assert done["started_at"] < max(j["started_at"] or "9999" for j in queued)
        for job_id in heavy:
            alpha.delete(f"/v1/jobs/{job_id}")


def test_a_tenant_over_its_quota_gets_429_with_retry_after(busy: Server) -> None:
    region = generate_region(providers=600, municipalities=16, seed=1)
    with busy.client(busy.token("gamma")) as gamma, busy.client(busy.token("delta")) as delta:
        ids = [gamma.post("/v1/jobs", json={"instance": region}).json()["id"] for _ in range(3)]
        over = gamma.post("/v1/jobs", json={"instance": instance("tiny")})
        assert over.status_code == 429
        assert int(over.headers["retry-after"]) > 0
        assert "DEKKEND_MAX_JOBS_PER_TENANT" in over.json()["detail"]
        # another tenant is not held back by gamma's quota
        assert delta.post("/v1/jobs", json={"instance": instance("tiny")}).status_code == 202
        for job_id in ids:
            gamma.delete(f"/v1/jobs/{job_id}")
        # cancelled jobs no longer count: gamma may submit again
        assert gamma.post("/v1/jobs", json={"instance": instance("tiny")}).status_code == 202


def test_delete_of_a_finished_job_deletes_it(busy: Server) -> None:
    with busy.client(busy.token("epsilon")) as client:
        job_id = client.post("/v1/jobs", json={"instance": instance("tiny")}).json()["id"]
        wait_for(client, job_id, ("done",))
        gone = client.delete(f"/v1/jobs/{job_id}")
        assert gone.status_code == 200 and gone.json()["state"] == "done"
        assert gone.json()["result"]["status"] == "optimal"  # what was deleted, once more
        assert client.get(f"/v1/jobs/{job_id}").status_code == 404
        assert client.delete(f"/v1/jobs/{job_id}").status_code == 404
        assert busy.store().events(job_id) == []


def test_finished_jobs_past_their_retention_are_purged(tmp_path) -> None:
    store = JobStore(tmp_path / "jobs.db")
    old = store.submit("t", "{}", instance_name="x", notes=[], time_limit_s=1.0)
    new = store.submit("t", "{}", instance_name="x", notes=[], time_limit_s=1.0)
    waiting = store.submit("t", "{}", instance_name="x", notes=[], time_limit_s=1.0)
    for row in (old, new):
        claimed = store.claim_next()
        assert claimed is not None and claimed[0].id == row.id
        store.finish(row.id, 1, "done", result="{}", error=None)
    cut = time.time()
    assert store.purge(finished_before=cut - 3600) == 0  # both finished just now
    assert store.purge(finished_before=cut + 1) == 2
    assert store.get(old.id, "t") is None and store.get(new.id, "t") is None
    assert store.get(waiting.id, "t") is not None  # a queued job is never purged
