"""SPEC §8 horizons: hand-computed optima on every backend, one period = one year, the checker.

Unless said otherwise one municipality m1, one care type c in lot L, base demand 10 clients (the
helpers of `test_solve_rules`); A bids 10 places at 100 (contract 50), B 10 at 90 (contract 200).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.check import check
from solver.instance import Instance, dump_instance, load_instance, parse_instance
from solver.options import SolveOptions
from solver.result import Contract, Status
from solver.solve import solve
from tests.conftest import BACKENDS, REPO, shared_dir
from tests.test_solve_rules import offer, provider, region

A = provider("A", 50, {"c": offer(10, 100)})
B = provider("B", 200, {"c": offer(10, 90)})


def with_horizon(instance: Instance, periods: list[dict[str, Any]], **extra: Any) -> Instance:
    raw = dump_instance(instance)
    raw["horizon"] = {"periods": periods, **extra}
    return parse_instance(raw)


CASES: dict[str, tuple[Instance, float]] = {
    # year 1 alone would take A (1050), but year 2's 15 clients need A and B from the start:
    # 250 + 10×90 = 1150, then 250 + 10×90 + 5×100 = 1650
    "growth_in_the_term": (
        with_horizon(region([A, B]), [{"id": "y1"}, {"id": "y2", "demand_factor": 1.5}]),
        2800.0,
    ),
    # 15 clients in year 1 (A and B: 1650); a new term with 5 clients ends B (A: 50 + 500)
    "a_contract_ends": (
        with_horizon(region([A, B]), [{"id": "y1", "demand_factor": 1.5},
                                      {"id": "y2", "term": "2", "demand_factor": 0.5}]),
        2200.0,
    ),
    # the same with 30 per moved client: ending B moves its 10 (+300), ending A its 5 (+150);
    # keeping both moves nobody: 250 + 5×90 = 700
    "ending_moves_clients": (
        with_horizon(region([A, B], policy={"transfer_cost": 30}),
                     [{"id": "y1", "demand_factor": 1.5},
                      {"id": "y2", "term": "2", "demand_factor": 0.5}]),
        1650.0 + 700.0,
    ),
    # at most 4 clients may move at the new term: ending A moves 5, so B stays too
    "max_moved_at_a_term_start": (
        with_horizon(region([A, B], policy={"max_moved": 4}),
                     [{"id": "y1", "demand_factor": 1.5},
                      {"id": "y2", "term": "2", "demand_factor": 0.5}]),
        1650.0 + 700.0,
    ),
    # discounting: the same year twice, the second weighted 1 / 1.1
    "discount_rate": (
        with_horizon(region([A, B]), [{"id": "y1"}, {"id": "y2"}], discount_rate=0.1),
        1050.0 + 1050.0 / 1.1,
    ),
    # prices up 10 % in year 2 (contract costs too): 1050 + 1155
    "price_factor": (
        with_horizon(region([A, B]), [{"id": "y1"}, {"id": "y2", "price_factor": 1.1}]),
        1050.0 + 1155.0,
    ),
}  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", list(CASES))
def test_horizon_optimum(case: str, backend: str) -> None:
    instance, optimum = CASES[case]
    result = solve(instance, options=SolveOptions(backend=backend, time_limit_s=30))
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(optimum, rel=1e-9)
    assert len(result.periods) == len(instance.horizon.periods)  # type: ignore[union-attr]
    assert check(instance, result).ok


def test_the_periods_say_what_ends_and_who_moves() -> None:
    instance, _ = CASES["a_contract_ends"]
    result = solve(instance)
    first, second = result.periods
    assert sorted(c.unit for c in first.contracts) == ["A", "B"]
    assert [c.unit for c in second.contracts] == ["A"]
    assert second.ended == [Contract(unit="B", care_types=["c"])]
    assert [(m.provider, m.clients) for m in second.moved] == [("B", 10)]
    assert result.contracts == first.contracts  # the tender's contracts: the first period's
    assert result.regional_cost == pytest.approx(first.regional_cost + second.regional_cost)


def test_one_period_is_the_year_on_every_conformance_instance() -> None:
    folder = shared_dir("conformance")
    for path in sorted(folder.glob("c*.json")):
        instance = load_instance(path)
        year = solve(instance)
        horizon = with_horizon(instance, [{"id": "only"}])
        result = solve(horizon)
        assert result.status == year.status, path.name
        if year.objective is not None:
            assert result.objective == pytest.approx(year.objective, rel=1e-6), path.name


@settings(max_examples=6, deadline=None)
@given(st.floats(0.0, 0.08), st.floats(0.0, 0.08))
def test_growth_never_lowers_the_optimum(g1: float, g2: float) -> None:
    tiny = load_instance(REPO / "instances" / "tiny.json")
    low, high = sorted((g1, g2))

    def optimum(growth: float) -> float:
        periods = [{"id": f"y{t}", "demand_factor": (1 + growth) ** t} for t in range(3)]
        result = solve(with_horizon(tiny, periods))
        assert result.status is Status.OPTIMAL
        return float(result.objective)  # type: ignore[arg-type]

    assert optimum(low) <= optimum(high) * (1 + 1e-9)


def test_the_checker_flags_broken_horizon_plans() -> None:
    # C (contract 1,000, 200 a client) is never worth it: a plan that starts it in term 2
    dear = provider("C", 1000, {"c": offer(10, 200)})
    instance = with_horizon(region([A, B, dear]), [{"id": "y1", "demand_factor": 1.5},
                                                   {"id": "y2", "term": "2"}])  # fmt: skip
    result = solve(instance)
    first, second = result.periods
    started = second.model_copy(
        update={"contracts": [*second.contracts, Contract(unit="C", care_types=["c"])]}
    )
    report = check(instance, result.model_copy(update={"periods": [first, started]}))
    assert any(v.rule == "8 terms" and "starts contracts" in v.message
               for v in report.violations), report.violations  # fmt: skip
    # within a term the contracts stay: year 2 of the growth case without B
    growth, _ = CASES["growth_in_the_term"]
    solved = solve(growth)
    y1, y2 = solved.periods
    dropped = y2.model_copy(update={"contracts": [c for c in y2.contracts if c.unit != "B"]})
    report = check(growth, solved.model_copy(update={"periods": [y1, dropped]}))
    assert any(v.rule == "8 terms" and "within a term" in v.message for v in report.violations)
    # another objective than the periods' weighted sum
    report = check(instance, result.model_copy(update={"objective": result.objective + 100}))
    assert [v.rule for v in report.violations] == ["8 objective"]
    # year 2 priced without the clients of B moving (their transfer left out)
    ends = with_horizon(region([A, B], policy={"transfer_cost": 1}),
                        [{"id": "y1", "demand_factor": 1.5},
                         {"id": "y2", "term": "2", "demand_factor": 0.2}])  # fmt: skip
    solved = solve(ends)
    assert solved.periods[1].ended, "the case must end a contract"
    cheaper = solved.periods[1].model_copy(update={"moved": [], "objective": 0.0})
    report = check(ends, solved.model_copy(update={"periods": [solved.periods[0], cheaper]}))
    assert "3 objective" in {v.rule for v in report.violations}  # the transfer is counted


def test_bad_horizon_input_names_every_path(tmp_path) -> None:
    from typer.testing import CliRunner

    from solver.cli import app

    raw = dump_instance(load_instance(REPO / "instances" / "tiny.json"))
    raw["horizon"] = {"periods": [
        {"id": "y1", "demand_factor": {"nope": 1.1, "crisis": 0}},
        {"id": "y1", "term": "2", "price_factor": -1},
        {"id": "y3", "term": "1", "colour": "red"},
    ]}  # fmt: skip
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw))
    done = CliRunner().invoke(app, ["solve", str(path)], env={"COLUMNS": "200"})
    assert done.exit_code == 2
    for where in ("horizon.periods[0].demand_factor.crisis",
                  "horizon.periods[0].demand_factor.nope", "horizon.periods[1].id",
                  "horizon.periods[1].price_factor", "horizon.periods[2].term",
                  "horizon.periods[2].colour"):  # fmt: skip
        assert where in done.output, where


def test_fix_contracts_keeps_the_plan_and_names_the_shortfall() -> None:
    tiny = load_instance(REPO / "instances" / "tiny.json")
    plan = solve(tiny)
    again = solve(tiny, fixed=plan.contracts)
    assert again.objective == pytest.approx(plan.objective, rel=1e-9)
    assert {c.unit for c in again.contracts} <= {c.unit for c in plan.contracts}
    raw = dump_instance(tiny)
    for d in raw["demand"]:
        d["clients"] = round(d["clients"] * 1.3)
    grown = parse_instance(raw)
    assert solve(grown).status is Status.OPTIMAL  # the bids can carry it, the plan cannot
    fixed = solve(grown, fixed=plan.contracts)
    assert fixed.status is Status.INFEASIBLE
    assert any("at most" in line and "can be served" in line for line in fixed.explanation)


def test_sweep_growth_with_fixed_contracts_from_the_cli(tmp_path) -> None:
    from typer.testing import CliRunner

    from solver.cli import app

    tiny = load_instance(REPO / "instances" / "tiny.json")
    horizon = with_horizon(tiny, [{"id": "y1"}, {"id": "y2"}, {"id": "y3", "term": "2"}])
    path, plan, out = tmp_path / "h.json", tmp_path / "plan.json", tmp_path / "sweep.json"
    path.write_text(json.dumps(dump_instance(horizon)))
    runner = CliRunner()
    assert runner.invoke(app, ["solve", str(path), "--out", str(plan)]).exit_code == 0
    done = runner.invoke(app, ["sweep", str(path), "--growth", "0:0.3:0.15", "--fix-contracts",
                               str(plan), "--workers", "1", "--out", str(out)],
                         env={"COLUMNS": "200"})  # fmt: skip
    assert done.exit_code == 0, done.output
    rows = json.loads(out.read_text())
    assert [r["settings"]["horizon.growth"] for r in rows] == [0, 0.15, 0.3]
    assert rows[0]["status"] == "optimal" and rows[-1]["status"] == "infeasible"
    assert "the landscape holds up to" in done.output
    year = tmp_path / "year.json"
    year.write_text(json.dumps(dump_instance(tiny)))
    bad = runner.invoke(app, ["sweep", str(year), "--growth", "0:0.1:0.05"],
                        env={"COLUMNS": "200"})  # fmt: skip
    assert bad.exit_code == 2 and "needs an instance with a horizon" in bad.output


def test_a_final_run_without_a_plan_falls_back_to_the_start(monkeypatch) -> None:
    """When time runs out before HiGHS takes the start, the start itself is the (checked) plan."""
    import solver.horizon.solve as horizon_solve
    from solver.backends.outcome import BackendOutcome

    real = horizon_solve.solve_highs

    def out_of_time(model, options, on_progress, start=None):  # type: ignore[no-untyped-def]
        if start is None:
            return real(model, options, on_progress)
        return BackendOutcome(Status.NO_SOLUTION, None, None, "highs", ["time limit"])

    monkeypatch.setattr(horizon_solve, "solve_highs", out_of_time)
    instance, optimum = CASES["growth_in_the_term"]
    result = solve(instance, options=SolveOptions(time_limit_s=30))
    assert result.status is Status.FEASIBLE
    assert any("the start from the peak year" in n for n in result.notes)
    assert result.objective is not None and result.objective >= optimum - 1e-6
    assert check(instance, result).ok
