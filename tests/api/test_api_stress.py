"""Stress jobs (`dekkend stress` over HTTP) on a real server: solved or given plan, bad input."""

from __future__ import annotations

from solver.analysis.stress import stress
from solver.instance import parse_instance
from solver.result import parse_result
from solver.solve import solve
from tests.api.api_server import Server, instance, wait_for


def test_a_stress_job_gives_the_cli_report(server: Server, token: str) -> None:
    body = {"instance": instance("tiny"), "options": {"time_limit_s": 60},
            "stress": {"threshold": 0.3}}  # fmt: skip
    with server.client(token) as client:
        response = client.post("/v1/jobs", json=body)
        assert response.status_code == 202, response.text
        job = wait_for(client, response.json()["id"], ("done", "failed"))
    assert job["state"] == "done", job
    assert job["kind"] == "stress"
    result = job["result"]
    here = stress(parse_instance(instance("tiny")), parse_result(result), threshold=0.3)
    assert result["stress"] == here.to_dict()
    assert result["stress"]["units"] == len(result["contracts"])


def test_a_stress_job_on_a_given_plan(server: Server, token: str) -> None:
    tiny = parse_instance(instance("tiny"))
    plan = solve(tiny).model_dump(mode="json")
    body = {"instance": instance("tiny"), "stress": {"result": plan}}
    with server.client(token) as client:
        job = wait_for(client, client.post("/v1/jobs", json=body).json()["id"], ("done", "failed"))
    assert job["state"] == "done", job
    assert job["result"]["contracts"] == plan["contracts"]
    assert job["result"]["stress"]["threshold"] == 0.25


def test_a_plan_of_another_instance_is_422_naming_it(server: Server, token: str) -> None:
    plan = solve(parse_instance(instance("tiny"))).model_dump(mode="json")
    body = {"instance": instance("eemland"), "stress": {"result": plan}}
    with server.client(token) as client:
        response = client.post("/v1/jobs", json=body)
        broken = client.post("/v1/jobs", json={"instance": instance("tiny"),
                                               "stress": {"result": {"status": 7}}})  # fmt: skip
        both = client.post("/v1/jobs", json={"instance": instance("tiny"), "stress": {},
                                             "split": {"rule": "usage"}})  # fmt: skip
        share = client.post("/v1/jobs", json={"instance": instance("tiny"),
                                              "stress": {"threshold": 1.5}})  # fmt: skip
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["stress.result.instance"]
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["path"].startswith("stress.result.status")
    assert both.status_code == 422 and both.json()["errors"][0]["path"] == "stress"
    assert share.status_code == 422
    assert share.json()["errors"][0]["path"].startswith("stress.threshold")
