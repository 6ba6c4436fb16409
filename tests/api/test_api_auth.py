"""Tokens and tenants: 401 without a valid token, another tenant's job is 404, open mode."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.auth import OPEN_TENANT, Unauthorized, find_tokens, hash_token, tenant_for
from api.jobs.store import JobStore
from solver.cli import app
from tests.api.api_server import Server, instance, wait_for


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer dk_not-a-token"}, {"Authorization": "Basic dXNlcjpwdw=="}],
)
def test_no_valid_token_is_401(server: Server, headers: dict[str, str]) -> None:
    with server.client() as client:
        for method, path in [("GET", "/v1/jobs"), ("GET", "/v1/jobs/abc"), ("POST", "/v1/solve")]:
            response = client.request(method, path, headers=headers, json={"instance": {}})
            assert response.status_code == 401, (method, path, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
            assert response.json()["detail"]
        # Public: health and the bundled examples.
        assert client.get("/v1/health", headers=headers).status_code == 200
        assert client.get("/v1/examples/tiny", headers=headers).json() == instance("tiny")


def test_tenants_see_only_their_own_jobs(server: Server) -> None:
    with server.client(server.token("acme")) as acme, server.client(server.token("zenit")) as zen:
        job_id = acme.post("/v1/jobs", json={"instance": instance("tiny")}).json()["id"]
        wait_for(acme, job_id, ("done",))
        for method, path in [
            ("GET", f"/v1/jobs/{job_id}"),
            ("GET", f"/v1/jobs/{job_id}/result"),
            ("DELETE", f"/v1/jobs/{job_id}"),
        ]:
            response = zen.request(method, path)
            assert response.status_code == 404, (method, path)
            assert response.json()["detail"] == f"no job {job_id!r}"  # same as a missing id
        assert job_id not in [j["id"] for j in zen.get("/v1/jobs").json()["jobs"]]
        assert job_id in [j["id"] for j in acme.get("/v1/jobs").json()["jobs"]]
        assert acme.get(f"/v1/jobs/{job_id}").json()["state"] == "done"  # untouched


def test_tokens_are_stored_hashed(tmp_path) -> None:
    store = JobStore(tmp_path / "t.db")
    result = CliRunner().invoke(
        app,
        ["token", "create", "--tenant", "gemeente-x"],
        env={"DEKKEND_DATABASE": str(store.path)},
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("dk_") and len(token) > 40
    assert tenant_for(store, f"Bearer {token}", open_mode=False) == "gemeente-x"
    assert token.encode() not in store.path.read_bytes()
    assert store.tenant_of(hash_token(token)) == "gemeente-x"
    with pytest.raises(Unauthorized):
        tenant_for(store, None, open_mode=False)
    assert tenant_for(store, None, open_mode=True) == OPEN_TENANT
    with pytest.raises(Unauthorized):  # open mode still refuses a wrong token
        tenant_for(store, "Bearer wrong", open_mode=True)


def test_token_create_refuses_bad_tenant(tmp_path) -> None:
    result = CliRunner().invoke(
        app,
        ["token", "create", "--tenant", "../etc"],
        env={"DEKKEND_DATABASE": str(tmp_path / "t.db")},
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.startswith("invalid tenant: tenant must match")  # markup rendered
    assert "[bold red]" not in result.output


def test_open_mode(tmp_path) -> None:
    server = Server(tmp_path, open_mode="true").start()
    try:
        with server.client() as client:
            response = client.post("/v1/solve", json={"instance": instance("tiny")})
            assert response.status_code == 200
            assert response.json()["status"] == "optimal"
    finally:
        server.stop()


def test_tokens_are_listed_without_secrets_and_revoked_by_id(tmp_path) -> None:
    store = JobStore(tmp_path / "t.db")
    env = {"DEKKEND_DATABASE": str(store.path)}
    runner = CliRunner()
    made = [
        runner.invoke(app, ["token", "create", "--tenant", t], env=env).stdout.split()[-1]
        for t in ("acme", "zenit")
    ]
    listed = runner.invoke(app, ["token", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "acme" in listed.stdout and "zenit" in listed.stdout
    assert not any(token in listed.output for token in made)  # ids only, never a token
    acme_id = next(line.split()[0] for line in listed.stdout.splitlines() if "acme" in line)
    assert hash_token(made[0]).startswith(acme_id)

    revoked = runner.invoke(app, ["token", "revoke", acme_id], env=env)
    assert revoked.exit_code == 0, revoked.output
    with pytest.raises(Unauthorized):
        tenant_for(store, f"Bearer {made[0]}", open_mode=False)
    assert tenant_for(store, f"Bearer {made[1]}", open_mode=False) == "zenit"
    # by the token itself; then it is gone
    assert runner.invoke(app, ["token", "revoke", made[1]], env=env).exit_code == 0
    again = runner.invoke(app, ["token", "revoke", made[1]], env=env)
    assert again.exit_code == 2 and "no token" in again.output


@pytest.mark.parametrize("which", ["abc", "not-hex-at-all", "0123"])
def test_token_revoke_refuses_ids_that_could_name_the_wrong_token(tmp_path, which) -> None:
    result = CliRunner().invoke(
        app, ["token", "revoke", which], env={"DEKKEND_DATABASE": str(tmp_path / "t.db")}
    )
    assert result.exit_code == 2 and "8+ hex digits" in result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("invalid token id: ")  # markup rendered
    assert "[bold red]" not in result.output


def test_a_prefix_naming_two_tokens_is_refused(tmp_path) -> None:
    store = JobStore(tmp_path / "t.db")
    store.add_token("deadbeef" + "1" * 56, "acme")
    store.add_token("deadbeef" + "2" * 56, "zenit")
    with pytest.raises(ValueError, match="names 2 tokens"):
        find_tokens(store, "deadbeef")
    assert find_tokens(store, "deadbeef2") == ["deadbeef" + "2" * 56]
