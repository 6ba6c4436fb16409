"""HTTP as a client expects it: methods, Allow, HEAD, strict types, options where they belong."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from api.app import create_app
from api.limits import BODY_PATHS
from api.settings import Settings
from tests.api.api_server import REPO, Server, instance


@pytest.mark.parametrize("method", ["PUT", "PATCH", "OPTIONS"])
def test_a_wrong_method_is_405_with_every_allowed_method(server: Server, token, method) -> None:
    with server.client(token) as client:
        response = client.request(method, "/v1/jobs", json={"instance": instance("tiny")})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert "allowed: GET, POST" in response.json()["detail"]


def test_head_on_health_answers_without_a_body(server: Server) -> None:
    with server.client() as client:
        response = client.head("/v1/health")
    assert response.status_code == 200 and response.content == b""


def test_booleans_are_no_numbers_anywhere(server: Server, token) -> None:
    body = {"instance": instance("tiny"), "split": {"rule": "shapley", "seed": False}}
    with server.client(token) as client:
        response = client.post("/v1/jobs", json=body)
        threads = client.post("/v1/solve", json={"instance": instance("tiny"), "options": {
            "threads": True}})  # fmt: skip
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["split.seed"]
    assert threads.status_code == 422
    assert [e["path"] for e in threads.json()["errors"]] == ["options.threads"]


def test_query_options_on_a_json_request_are_refused(server: Server, token) -> None:
    with server.client(token) as client:
        response = client.post("/v1/solve?time_limit_s=5", json={"instance": instance("tiny")})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["path"] == "query.time_limit_s" and "go in its body" in error["message"]


def test_public_routes_need_no_token_and_the_rest_does(server: Server) -> None:
    with server.client() as client:
        for path in ("/v1/health", "/v1/examples", "/v1/examples/tiny", "/openapi.json", "/docs"):
            assert client.get(path).status_code == 200, path
        for path in ("/v1/jobs", "/v1/nothing-here", "/v1/jobs/x/result"):
            response = client.get(path)
            assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_the_body_guard_knows_every_route_with_a_body() -> None:
    spec = create_app(Settings(database=REPO / "unused.db")).openapi()  # nothing starts
    assert {path for path, operations in spec["paths"].items() if "post" in operations} == (
        BODY_PATHS
    )


def test_openapi_shows_the_instance_and_the_workbook_upload() -> None:
    spec = create_app(Settings(database=REPO / "unused.db")).openapi()
    components = spec["components"]["schemas"]
    assert {"Instance", "Provider", "Offer", "Lot"} <= set(components)
    assert components["Offer"]["properties"]["price"]["minimum"] == 0
    field = components["SolveRequest"]["properties"]["instance"]
    assert field["allOf"] == [{"$ref": "#/components/schemas/Instance"}]
    for path in ("/v1/solve", "/v1/jobs"):
        operation = spec["paths"][path]["post"]
        content = operation["requestBody"]["content"]
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert {"application/json", xlsx} <= set(content)
        assert "time_limit_s" in {p["name"] for p in operation["parameters"]}


def test_token_create_warns_when_it_makes_a_new_database(tmp_path) -> None:
    env = {**os.environ, "DEKKEND_DATABASE": str(tmp_path / "new.db")}
    args = [sys.executable, "-c", "from solver.cli import app; app()", "token", "create"]
    first = subprocess.run([*args, "--tenant", "acme"], env=env, capture_output=True, text=True)
    again = subprocess.run([*args, "--tenant", "acme"], env=env, capture_output=True, text=True)
    assert first.returncode == 0 and "created a new database" in first.stderr
    assert again.returncode == 0 and "created a new database" not in again.stderr


def test_the_default_database_is_one_place_whatever_the_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("DEKKEND_DATABASE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert Settings().database == tmp_path / "data" / "dekkend" / "dekkend.db"


def test_the_worker_memory_limit_defaults_to_a_share_of_the_host(monkeypatch) -> None:
    monkeypatch.delenv("DEKKEND_WORKER_MEMORY_MB", raising=False)
    from api.settings import host_memory_mb

    assert Settings(workers=3).worker_memory_limit_mb == host_memory_mb() // 4
    assert Settings(worker_memory_mb=0).worker_memory_limit_mb == 0  # explicitly none
