"""The coalition cache: proven c(S) kept between runs, never a stale or unproven one."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from solver.analysis.split_by_rule import run_split, with_rule
from solver.cli import app
from solver.instance import Instance, dump_instance, parse_instance
from solver.split.game.cache import CoalitionCache, default_path, game_key
from solver.split.game.coalitions import CoalitionValue
from solver.split.game.engines import LocalEngine
from solver.split.game.play import GameRefused, GameSettings, budget_for_solve, evaluate_game
from tests.conftest import REPO
from tests.game_instances import brute_force_game, infeasible_alone_game

TINY = REPO / "instances" / "tiny.json"


@dataclass
class RecordingEngine(LocalEngine):
    """A one-worker local engine that remembers which coalitions it was asked to solve."""

    workers: int = 1
    asked: list[int] = field(default_factory=list)

    def evaluate(self, instance: Instance, masks: Iterable[int], **kw: Any):  # type: ignore[override]
        masks = list(masks)
        self.asked.extend(masks)
        return super().evaluate(instance, masks, **kw)


def split_amounts(result) -> list[float]:
    return [a.amount for a in result.cost_split.amounts]


def test_second_split_reads_every_value_and_gives_the_same_split_to_the_cent(
    tmp_path: Path,
) -> None:
    cache = CoalitionCache(tmp_path / "c.sqlite")
    first_engine, again_engine = RecordingEngine(), RecordingEngine()
    first = run_split(brute_force_game(), game=GameSettings(engine=first_engine, cache=cache))
    again = run_split(brute_force_game(), game=GameSettings(engine=again_engine, cache=cache))
    assert sorted(first_engine.asked) == list(range(1, 8))
    assert again_engine.asked == [] and cache.hits == 7
    assert split_amounts(again) == split_amounts(first) == [55.0, 65.0, 40.0]
    # another rule's core check needs the same coalitions: all read, none solved
    other = RecordingEngine()
    run_split(
        brute_force_game(),
        rule="population",
        stand_alone=True,
        game=GameSettings(engine=other, cache=cache),
    )
    assert other.asked == []


def test_a_stopped_run_keeps_what_it_proved_and_the_next_run_solves_only_the_rest(
    tmp_path: Path,
) -> None:
    cache = CoalitionCache(tmp_path / "c.sqlite")
    instance = brute_force_game()
    asked: list[int] = []
    stopping = LocalEngine(workers=1, stop=lambda: asked.append(1) or len(asked) > 2)
    stopped = run_split(instance, game=GameSettings(engine=stopping, cache=cache))
    assert stopped.cost_split is None  # refused: five coalitions not solved
    assert "kept in the coalition cache, so the same split run again" in " ".join(stopped.notes)
    rest = RecordingEngine()
    seen: list[tuple[int, int]] = []
    done = run_split(
        instance,
        game=GameSettings(engine=rest, cache=cache, on_progress=lambda d, t: seen.append((d, t))),
    )
    assert len(rest.asked) == 5 and split_amounts(done) == [55.0, 65.0, 40.0]
    assert seen == [(2, 7), (7, 7)]  # the two read from the cache count as done from the start


def test_only_proven_values_are_kept_and_an_infeasible_one_keeps_its_reason(
    tmp_path: Path,
) -> None:
    cache = CoalitionCache(tmp_path / "c.sqlite")
    cache.store(
        "game",
        [
            CoalitionValue(1, "optimal", 10.0),
            CoalitionValue(2, "infeasible", None, reason="too few clients"),
            CoalitionValue(3, "feasible", 12.0, bound=11.0),
            CoalitionValue(4, "no_solution", None),
        ],
    )
    found = cache.load("game", [1, 2, 3, 4, 5])
    assert found == {
        1: CoalitionValue(1, "optimal", 10.0),
        2: CoalitionValue(2, "infeasible", None, reason="too few clients"),
    }
    assert cache.load("another game", [1, 2]) == {}


def test_refusal_of_an_infeasible_coalition_is_the_same_from_the_cache(tmp_path: Path) -> None:
    cache = CoalitionCache(tmp_path / "c.sqlite")
    recorded = GameSettings(engine=RecordingEngine(), cache=cache)
    first = run_split(infeasible_alone_game(), game=recorded)
    engine = RecordingEngine()
    again = run_split(infeasible_alone_game(), game=GameSettings(engine=engine, cache=cache))
    assert engine.asked == [] and first.cost_split is None
    assert again.notes == first.notes


def test_key_ignores_the_split_rule_but_not_the_data_threads_or_seed() -> None:
    instance = brute_force_game()
    key = game_key(instance, threads=1, seed=0)
    assert game_key(with_rule(instance, "population"), threads=1, seed=0) == key
    assert game_key(instance, threads=2, seed=0) != key
    assert game_key(instance, threads=1, seed=1) != key
    raw = dump_instance(instance)
    raw["demand"][0]["clients"] += 1
    assert game_key(parse_instance(raw), threads=1, seed=0) != key


def test_cli_split_uses_the_cache_unless_told_not_to(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "kept.sqlite"
    args = ["split", str(TINY), "--rule", "shapley", "--out", str(tmp_path / "r.json")]
    first = runner.invoke(app, [*args, "--cache", str(path)], env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "read from" not in first.output and path.exists()
    again = runner.invoke(app, [*args, "--cache", str(path)], env={"COLUMNS": "200"})
    assert f"7 coalition values read from {path}" in again.output
    fresh = runner.invoke(app, [*args, "--no-cache"], env={"COLUMNS": "200"})
    assert fresh.exit_code == 0 and "read from" not in fresh.output
    assert not default_path().exists()  # --no-cache neither reads nor writes the default file
    clash = runner.invoke(app, [*args, "--no-cache", "--cache", str(path)])
    assert clash.exit_code == 2 and "--cache and --no-cache clash" in clash.output
    assert json.loads((tmp_path / "r.json").read_text())["cost_split"]["rule"] == "shapley"


def test_an_unusable_cache_file_is_switched_off_and_the_split_still_made(tmp_path: Path) -> None:
    broken = tmp_path / "not-sqlite.sqlite"
    broken.write_text("this is not a database")
    cache = CoalitionCache(broken)
    engine = RecordingEngine()
    result = run_split(brute_force_game(), game=GameSettings(engine=engine, cache=cache))
    assert split_amounts(result) == [55.0, 65.0, 40.0] and len(engine.asked) == 7
    assert cache.problem is not None and str(broken) in cache.problem


def _with_shapley_rule(tmp_path: Path) -> Path:
    raw = json.loads(TINY.read_text())
    raw["policy"]["cost_split"] = {"rule": "shapley"}
    path = tmp_path / "tiny-shapley.json"
    path.write_text(json.dumps(raw))
    return path


def test_cli_solve_of_a_shapley_region_uses_the_cache_unless_told_not_to(tmp_path: Path) -> None:
    runner = CliRunner()
    path, kept = _with_shapley_rule(tmp_path), tmp_path / "kept.sqlite"
    args = ["solve", str(path), "--out", str(tmp_path / "r.json")]
    first = runner.invoke(app, [*args, "--cache", str(kept)], env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "read from" not in first.output and kept.exists()
    split = json.loads((tmp_path / "r.json").read_text())["cost_split"]
    again = runner.invoke(app, [*args, "--cache", str(kept)], env={"COLUMNS": "200"})
    assert f"7 coalition values read from {kept}" in again.output
    assert json.loads((tmp_path / "r.json").read_text())["cost_split"] == split
    fresh = runner.invoke(app, [*args, "--no-cache"], env={"COLUMNS": "200"})
    assert fresh.exit_code == 0 and "read from" not in fresh.output
    assert not default_path().exists()


def test_a_solve_refused_for_time_runs_once_its_coalitions_are_kept(tmp_path: Path) -> None:
    instance = with_rule(parse_instance(json.loads(TINY.read_text())), "shapley")
    cache = CoalitionCache(tmp_path / "c.sqlite")
    # 7 coalitions at 1 s each cannot fit in 0.01 s: refused before any is solved
    refused = pytest.raises(GameRefused, match="needs 7 coalition solves")
    within_solve = GameSettings(time_limit_s=None, cache=cache)
    with refused:
        budget_for_solve(instance, within_solve, remaining_s=0.01, solve_s=1)
    run_split(instance, game=GameSettings(engine=LocalEngine(workers=1), cache=cache))
    budgeted = budget_for_solve(instance, within_solve, remaining_s=0.01, solve_s=1.0)
    values = evaluate_game(instance, range(1, 8), budgeted)
    assert cache.hits == 7 and all(v.status == "optimal" for v in values.values())
