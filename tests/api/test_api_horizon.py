"""A horizon instance (SPEC §8) goes through /v1/solve and /v1/jobs unchanged; bad input is 422."""

from __future__ import annotations

from tests.api.api_server import Server, instance, wait_for

PERIODS = [{"id": "y1"}, {"id": "y2", "demand_factor": 1.05},
           {"id": "y3", "term": "2", "demand_factor": 1.1}]  # fmt: skip


def _tiny_horizon() -> dict:
    return {**instance("tiny"), "horizon": {"periods": PERIODS}}


def test_a_horizon_solves_sync_and_as_a_job(server: Server, token: str) -> None:
    with server.client(token) as client:
        sync = client.post("/v1/solve", json={"instance": _tiny_horizon()})
        job_id = client.post("/v1/jobs", json={"instance": _tiny_horizon()}).json()["id"]
        job = wait_for(client, job_id, ("done", "failed"))
    assert sync.status_code == 200, sync.text
    result = sync.json()
    assert result["status"] == "optimal"
    assert [p["id"] for p in result["periods"]] == ["y1", "y2", "y3"]
    assert job["state"] == "done" and job["result"]["objective"] == result["objective"]


def test_bad_horizon_input_is_422_with_paths(server: Server, token: str) -> None:
    bad = {**instance("tiny"), "horizon": {"periods": [{"id": "y1", "capacity_factor": 0},
                                                       {"id": "y1"}]}}  # fmt: skip
    with server.client(token) as client:
        response = client.post("/v1/solve", json={"instance": bad})
    assert response.status_code == 422
    paths = {e["path"] for e in response.json()["errors"]}
    assert {"horizon.periods[0].capacity_factor", "horizon.periods[1].id"} <= paths
