"""A solve's time limit holds within a few seconds: plain HiGHS, the large paths, and a bare LP."""

from __future__ import annotations

import time

import highspy
import numpy as np

from solver.backends.highs.backend import solve_highs
from solver.backends.highs.deadline import remaining, stop_at
from solver.backends.highs.run import to_highs_lp
from solver.generate.region import generate_region
from solver.instance import parse_instance
from solver.model.data import build_data
from solver.model.formulation import build_model
from solver.options import SolveOptions
from solver.result import Status
from tests.facility_instances import generated_cap

SLACK_S = 3.0  # interrupts are polled every few iterations; model passing and repair add a little


def _model(raw: dict):
    return build_model(build_data(parse_instance(raw)))


def _timed(model, limit: float):
    started = time.monotonic()
    outcome = solve_highs(model, SolveOptions(time_limit_s=limit), None)
    return outcome, time.monotonic() - started


def test_plain_highs_stops_at_the_limit():
    model = _model(generate_region(providers=1000, municipalities=40, seed=0))  # ~11 s to optimal
    outcome, seconds = _timed(model, 1.0)
    assert seconds <= 1.0 + SLACK_S
    assert outcome.status in (Status.FEASIBLE, Status.NO_SOLUTION, Status.OPTIMAL)
    if outcome.status is Status.FEASIBLE:
        assert outcome.values is not None and outcome.bound is not None


def test_large_path_stops_at_the_limit_with_a_plan_or_none():
    model = _model(generated_cap(4, 50, 500, 1.2))  # 25,000 flows: the large-model path
    assert model.n_cols >= 20_000
    outcome, seconds = _timed(model, 1.0)  # about half of what it needs to prove the optimum
    assert seconds <= 1.0 + SLACK_S
    assert outcome.status in (Status.FEASIBLE, Status.NO_SOLUTION, Status.OPTIMAL)
    if outcome.values is not None:
        assert outcome.bound is not None
        assert outcome.bound <= float(model.cost @ outcome.values) + 1e-6


def test_stop_at_interrupts_a_long_lp():
    model = _model(generated_cap(5, 60, 800, 1.2))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(to_highs_lp(model, np.zeros(model.n_cols, dtype=np.bool_)))
    deadline = time.monotonic() + 0.3
    stop_at(h, deadline)
    h.run()
    assert time.monotonic() - deadline <= 1.0
    assert remaining(deadline) == 0.0
    assert h.getModelStatus() in (
        highspy.HighsModelStatus.kInterrupt,
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kOptimal,  # a fast machine may simply finish
    )


def test_a_stop_at_the_deadline_says_the_time_limit_was_reached():
    model = _model(generate_region(providers=300, municipalities=20, seed=0))  # ~3 s to optimal
    outcome, _ = _timed(model, 0.3)
    assert outcome.status is not Status.OPTIMAL
    # HiGHS itself calls every interrupt "Interrupted by user"
    assert outcome.notes == ["HiGHS stopped at the time limit"]


def test_a_stop_asked_by_the_progress_callback_says_so():
    model = _model(generate_region(providers=300, municipalities=20, seed=0))
    outcome = solve_highs(model, SolveOptions(time_limit_s=60.0), lambda progress: True)
    assert outcome.status is not Status.OPTIMAL
    assert outcome.notes == ["HiGHS stopped on request"]
