"""Limits and hostile input: 413, 415, 422 with paths, clamped time limits, no traceback ever."""

from __future__ import annotations

import copy
import json

import httpx
import pytest

from solver.errors import InvalidInput
from solver.instance import parse_instance
from tests.api.api_server import Server, instance


def _post(server: Server, token: str, path: str, content: bytes, **headers: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers}
    response = httpx.post(server.url + path, content=content, headers=headers, timeout=60)
    assert "Traceback" not in response.text
    return response


def test_body_over_limit_is_413_by_header(server: Server, token: str) -> None:
    body = b'{"instance": {"name": "' + b"x" * 2_100_000 + b'"}}'
    response = _post(server, token, "/v1/validate", body)
    assert response.status_code == 413
    assert "2000000 bytes" in response.json()["detail"]


def test_body_over_limit_is_413_when_streamed_without_length(server: Server, token: str) -> None:
    def chunks():  # chunked transfer: no Content-Length to trust
        yield b'{"instance": {"name": "'
        for _ in range(25):
            yield b"y" * 100_000
        yield b'"}}'

    response = httpx.post(
        server.url + "/v1/jobs",
        content=chunks(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_wrong_content_type_is_415(server: Server, token: str, content_type: str) -> None:
    body = json.dumps({"instance": instance("tiny")}).encode()
    response = _post(server, token, "/v1/solve", body, **{"Content-Type": content_type})
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'{"instance": {', "not valid JSON"),
        (b"\xff\xfe{}", "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
        (b'{"instance": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}", "nested deeper"),
        (b'{"instance": {"x": ' + b"9" * 5000 + b"}}", "not valid JSON"),
    ],
)
def test_malformed_and_hostile_json_is_422(
    server: Server, token: str, body: bytes, fragment: str
) -> None:
    response = _post(server, token, "/v1/validate", body)
    assert response.status_code == 422
    data = response.json()
    assert data["status"] == "invalid"
    assert fragment in data["errors"][0]["message"]


def test_huge_numbers_are_named(server: Server, token: str) -> None:
    raw = instance("tiny")
    raw["providers"][0]["offers"][0]["capacity"] = 10**30
    raw["providers"][1]["offers"][0]["price"] = 1e300
    response = _post(server, token, "/v1/solve", json.dumps({"instance": raw}).encode())
    assert response.status_code == 422
    paths = {e["path"] for e in response.json()["errors"]}
    assert paths == {"providers[0].offers[0].capacity", "providers[1].offers[0].price"}


def test_too_many_providers_or_municipalities(server: Server, token: str) -> None:
    raw = {"providers": [{}] * 801, "municipalities": [{}] * 17}
    response = _post(server, token, "/v1/jobs", json.dumps({"instance": raw}).encode())
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["path"] for e in errors] == ["providers", "municipalities"]
    assert "at most 800" in errors[0]["message"] and "at most 16" in errors[1]["message"]


def test_invalid_instance_has_the_libraries_errors(server: Server, token: str) -> None:
    raw = instance("tiny")
    raw["providers"][2]["offers"][0]["price"] = -5
    raw["demand"][0]["municipality"] = "atlantis"
    raw["surprise"] = True
    with pytest.raises(InvalidInput) as expected:
        parse_instance(raw)
    for path in ("/v1/validate", "/v1/solve", "/v1/jobs"):
        response = _post(server, token, path, json.dumps({"instance": raw}).encode())
        assert response.status_code == 422, path
        body = response.json()
        assert body["where"] == "instance"
        assert body["errors"] == [e.as_dict() for e in expected.value.errors]


def test_invalid_options_name_their_path(server: Server, token: str) -> None:
    body = {"instance": instance("tiny"), "options": {"backend": "gurobi", "threads": 99, "x": 1}}
    response = _post(server, token, "/v1/solve", json.dumps(body).encode())
    assert response.status_code == 422
    paths = {e["path"] for e in response.json()["errors"]}
    assert paths == {"options.backend", "options.x"}
    body["options"] = {"threads": 99}
    response = _post(server, token, "/v1/solve", json.dumps(body).encode())
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "options.threads"


def test_infeasible_is_a_200_result(server: Server, token: str) -> None:
    raw = copy.deepcopy(instance("tiny"))
    raw["demand"][0]["clients"] = 1_000_000
    response = _post(server, token, "/v1/solve", json.dumps({"instance": raw}).encode())
    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "infeasible"
    assert result["explanation"]


def test_sync_time_limit_is_clamped_and_said(server: Server, token: str) -> None:
    body = {"instance": instance("tiny"), "options": {"time_limit_s": 3600}}
    response = _post(server, token, "/v1/solve", json.dumps(body).encode())
    assert response.status_code == 200
    result = response.json()
    assert result["time_limit"] == {"requested_s": 3600.0, "used_s": 20.0, "clamped": True}
    assert any("clamped to 20 s" in note for note in result["notes"])
    job = _post(server, token, "/v1/jobs", json.dumps(body).encode()).json()
    assert job["time_limit"]["used_s"] == 60.0 and job["time_limit"]["clamped"]


def test_check_route(server: Server, token: str) -> None:
    raw = instance("tiny")
    result = _post(server, token, "/v1/solve", json.dumps({"instance": raw}).encode()).json()
    good = _post(
        server, token, "/v1/check", json.dumps({"instance": raw, "result": result}).encode()
    )
    assert good.status_code == 200 and good.json()["ok"] is True
    result["objective"] += 1000.0
    bad = _post(
        server, token, "/v1/check", json.dumps({"instance": raw, "result": result}).encode()
    )
    assert bad.status_code == 200
    assert bad.json()["ok"] is False and bad.json()["violations"]
    result["assignments"][0]["clients"] = "many"
    broken = _post(
        server, token, "/v1/check", json.dumps({"instance": raw, "result": result}).encode()
    )
    assert broken.status_code == 422
    assert broken.json()["where"] == "result"
    assert broken.json()["errors"][0]["path"] == "assignments[0].clients"


def test_unknown_route_and_method(server: Server, token: str) -> None:
    with server.client(token) as client:
        assert client.get("/v1/nothing").status_code == 404
        assert client.put("/v1/jobs", json={}).status_code == 405
        assert client.get("/v1/examples/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)
        assert client.get("/v1/examples/manifest").status_code == 404
