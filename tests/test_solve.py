"""solve(): determinism, threads, time limits, progress and stop requests, invalid options."""

from __future__ import annotations

import pytest

from solver.errors import UnknownBackend
from solver.instance import Instance, load_instance
from solver.options import Progress, SolveOptions
from solver.result import Status
from solver.solve import solve
from tests.conftest import REPO


@pytest.fixture(scope="module")
def achterhoek() -> Instance:
    return load_instance(REPO / "instances" / "achterhoek.json")


def _plan(result):  # type: ignore[no-untyped-def]
    return result.model_dump(exclude={"runtime_s"})


@pytest.mark.parametrize("backend", ["highs", "cpsat", "pulp"])
def test_same_seed_and_threads_give_the_same_result(backend: str) -> None:
    instance = load_instance(REPO / "instances" / "tiny.json")
    options = SolveOptions(backend=backend, seed=3, threads=2)
    assert _plan(solve(instance, options=options)) == _plan(solve(instance, options=options))


def test_thread_count_can_change_between_solves() -> None:
    instance = load_instance(REPO / "instances" / "tiny.json")
    one = solve(instance, options=SolveOptions(threads=1))
    two = solve(instance, options=SolveOptions(threads=2))
    assert one.status is two.status is Status.OPTIMAL
    assert one.objective == pytest.approx(two.objective, rel=1e-9)


def test_time_limit_never_claims_optimal_without_proof(achterhoek: Instance) -> None:
    result = solve(achterhoek, options=SolveOptions(time_limit_s=0.05))
    assert result.status in (Status.FEASIBLE, Status.NO_SOLUTION, Status.OPTIMAL)
    if result.status is Status.OPTIMAL:
        assert result.gap is not None and result.gap <= 1e-6
    if result.status is Status.FEASIBLE:
        assert result.objective is not None and result.contracts


def test_progress_is_reported_and_a_stop_keeps_the_best_plan(achterhoek: Instance) -> None:
    seen: list[Progress] = []

    def stop_at_first_plan(progress: Progress) -> bool:
        seen.append(progress)
        return progress.objective is not None

    result = solve(achterhoek, on_progress=stop_at_first_plan)
    assert seen, "no progress reported"
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert result.contracts
    if result.status is Status.FEASIBLE:
        assert result.gap is not None and result.gap > 0


def test_unknown_pulp_solver_is_a_clear_error() -> None:
    instance = load_instance(REPO / "instances" / "tiny.json")
    with pytest.raises(UnknownBackend, match="NO_SUCH_SOLVER"):
        solve(instance, options=SolveOptions(backend="pulp:NO_SUCH_SOLVER"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backend": "gurobi"}, "backend must be one of"),
        ({"backend": "highs:x"}, "only the pulp backend"),
        ({"time_limit_s": 0}, "time limit"),
        ({"gap": -1}, "gap"),
        ({"threads": 0}, "threads"),
    ],
)
def test_bad_options_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SolveOptions(**kwargs)


def _with_shapley(path):  # type: ignore[no-untyped-def]
    import json

    from solver.instance import parse_instance

    raw = json.loads(path.read_text())
    raw["policy"]["cost_split"] = {"rule": "shapley"}
    return parse_instance(raw)


def test_solve_gives_a_small_region_its_shapley_split() -> None:
    result = solve(_with_shapley(REPO / "instances" / "tiny.json"))
    assert result.cost_split is not None and result.cost_split.rule == "shapley"
    assert result.cost_split.stand_alone and result.cost_split.core is not None
    cents = sum(round(a.amount * 100) for a in result.cost_split.amounts)
    assert cents == round((result.regional_cost or 0) * 100)


def test_a_shapley_split_beyond_the_time_limit_is_refused_not_hung() -> None:
    # 12 municipalities: 4,095 coalition solves do not fit in 5 seconds; the plan still comes back
    instance = _with_shapley(REPO / "instances" / "groningen.json")
    result = solve(instance, options=SolveOptions(time_limit_s=5))
    assert result.status.has_solution and result.cost_split is None
    assert any("4,095 coalition solves" in note for note in result.notes)
