"""Split jobs (`dekkend split` over HTTP) against a real server: Shapley, stand-alone, cancel."""

from __future__ import annotations

from solver.analysis.split_by_rule import run_split
from solver.instance import parse_instance
from solver.split.game.cache import CoalitionCache, game_key
from solver.split.game.engines import LocalEngine
from solver.split.game.play import GameSettings
from tests.api.api_server import Server, instance, wait_for


def _submit(client, name: str, split: dict, **options) -> str:
    body = {"instance": instance(name), "options": options, "split": split}
    response = client.post("/v1/jobs", json=body)
    assert response.status_code == 202, response.text
    return response.json()["id"]


def test_a_shapley_job_gives_the_cli_split_to_the_cent(server: Server, token: str) -> None:
    with server.client(token) as client:
        job_id = _submit(client, "tiny", {"rule": "shapley"}, time_limit_s=60)
        job = wait_for(client, job_id, ("done", "failed"))
    assert job["state"] == "done", job
    assert job["kind"] == "split"
    split = job["result"]["cost_split"]
    assert split["rule"] == "shapley"
    assert {a["municipality"] for a in split["stand_alone"]} == {
        m["id"] for m in instance("tiny")["municipalities"]
    }
    assert split["core"] is not None
    here = run_split(
        parse_instance(instance("tiny")),
        rule="shapley",
        game=GameSettings(engine=LocalEngine(workers=1)),
    )
    assert here.cost_split is not None
    assert split["amounts"] == [a.model_dump(mode="json") for a in here.cost_split.amounts]


def test_stand_alone_costs_for_the_instance_own_rule(server: Server, token: str) -> None:
    with server.client(token) as client:
        job_id = _submit(client, "tiny", {"stand_alone": True}, time_limit_s=60)
        job = wait_for(client, job_id, ("done", "failed"))
        listed = client.get("/v1/jobs").json()["jobs"]
    split = job["result"]["cost_split"]
    assert split["rule"] == instance("tiny")["policy"]["cost_split"]["rule"]
    assert split["stand_alone"] and split["core"] is not None
    assert next(j for j in listed if j["id"] == job_id)["kind"] == "split"


def test_a_compare_job_splits_the_plan_by_every_rule(server: Server, token: str) -> None:
    split_options = {"rule": "nucleolus", "capacity": "full", "compare": True}
    with server.client(token) as client:
        job_id = _submit(client, "tiny", split_options, time_limit_s=60)
        job = wait_for(client, job_id, ("done", "failed"))
    assert job["state"] == "done", job
    result = job["result"]
    assert result["cost_split"]["rule"] == "nucleolus"
    columns = result["comparison"]["splits"]
    assert [c["rule"] for c in columns] == [
        "usage", "population", "mixed", "shapley", "nucleolus", "least_core"
    ]  # fmt: skip
    total = round(result["regional_cost"] * 100)
    assert all(sum(round(a["amount"] * 100) for a in c["amounts"]) == total for c in columns)
    here = run_split(
        parse_instance(instance("tiny")), rule="nucleolus", capacity="full", compare=True
    )
    assert result["cost_split"]["amounts"] == [
        a.model_dump(mode="json") for a in here.cost_split.amounts
    ]


def test_a_solve_job_is_of_kind_solve(server: Server, token: str) -> None:
    with server.client(token) as client:
        response = client.post("/v1/jobs", json={"instance": instance("tiny")})
        job = wait_for(client, response.json()["id"], ("done", "failed"))
    assert job["kind"] == "solve"


def test_bad_split_options_are_422_with_their_path(server: Server, token: str) -> None:
    with server.client(token) as client:
        response = client.post(
            "/v1/jobs", json={"instance": instance("tiny"), "split": {"rule": "fair"}}
        )
    assert response.status_code == 422
    assert any(e["path"].startswith("split.rule") for e in response.json()["errors"])


def _cancel_during_the_game(client, job_id: str) -> tuple[dict, dict]:
    """Cancel a job once it has solved a coalition: (the job just before, the job after)."""
    job = wait_for(client, job_id, ("running", "done"))
    while job["state"] == "running" and not (job["progress"] or {}).get("coalitions_done"):
        job = client.get(f"/v1/jobs/{job_id}").json()
    assert job["state"] == "running", "the game ended before it could be cancelled"
    client.delete(f"/v1/jobs/{job_id}")
    return job, wait_for(client, job_id, ("cancelled", "done", "failed"), timeout_s=60)


def _assert_cancelled_with_the_plan_and_no_split(job: dict) -> None:
    assert job["state"] == "cancelled", job
    result = job["result"]
    assert result is not None, (job["error"], job["notes"])
    assert result["assignments"] and result["cost_split"] is None
    assert any("shapley" in note for note in result["notes"])


def test_cancel_a_split_keeps_the_plan_and_says_the_split_is_missing(
    server: Server, token: str
) -> None:
    with server.client(token) as client:
        job_id = _submit(client, "eemland", {"rule": "shapley"}, time_limit_s=60)
        running, job = _cancel_during_the_game(client, job_id)
    municipalities = len(instance("eemland")["municipalities"])
    assert running["progress"]["coalitions_total"] == 2**municipalities - 1
    _assert_cancelled_with_the_plan_and_no_split(job)


def test_split_jobs_keep_proven_coalitions_in_the_server_cache(server: Server, token: str) -> None:
    with server.client(token) as client:
        jobs = [
            wait_for(client, _submit(client, "tiny", {"rule": "shapley"}, time_limit_s=60),
                     ("done", "failed"))
            for _ in range(2)
        ]  # fmt: skip
    assert [job["state"] for job in jobs] == ["done", "done"]
    first, again = (job["result"]["cost_split"]["amounts"] for job in jobs)
    assert first == again
    tiny = parse_instance(instance("tiny"))
    kept = CoalitionCache(server.db.with_suffix(".coalitions.sqlite"))
    masks = range(1, 2 ** len(tiny.municipalities))
    assert len(kept.load(game_key(tiny, threads=1, seed=0), masks)) == len(masks)


def _shapley_by_its_own_rule(name: str) -> dict:
    """A bundled instance with shapley as its own rule, renamed: a game no other test kept."""
    raw = instance(name) | {"name": f"{name}, shapley by its own rule"}
    raw["policy"] = raw["policy"] | {"cost_split": {"rule": "shapley"}}
    return raw


def _submit_solve(client, raw: dict) -> str:
    response = client.post("/v1/jobs", json={"instance": raw, "options": {"time_limit_s": 60}})
    assert response.status_code == 202, response.text
    return response.json()["id"]


def test_a_solve_job_whose_own_rule_is_shapley_keeps_its_coalitions(
    server: Server, token: str
) -> None:
    raw = _shapley_by_its_own_rule("tiny")
    with server.client(token) as client:
        job = wait_for(client, _submit_solve(client, raw), ("done", "failed"))
    assert job["state"] == "done" and job["kind"] == "solve", job
    assert job["result"]["cost_split"]["rule"] == "shapley"
    kept = CoalitionCache(server.db.with_suffix(".coalitions.sqlite"))
    masks = range(1, 2 ** len(raw["municipalities"]))
    assert len(kept.load(game_key(parse_instance(raw), threads=1, seed=0), masks)) == len(masks)


def test_cancel_a_solve_whose_own_rule_is_shapley_keeps_the_plan(
    server: Server, token: str
) -> None:
    with server.client(token) as client:
        running, job = _cancel_during_the_game(
            client, _submit_solve(client, _shapley_by_its_own_rule("eemland"))
        )
    assert running["kind"] == "solve"
    _assert_cancelled_with_the_plan_and_no_split(job)
