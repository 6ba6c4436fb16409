"""Benders branch-and-cut over units: the optimum by hand and by brute force, bounds that hold.

Small p-median and uncapacitated facility-location instances are converted with the OR-Library
converters; every unit set is enumerated to know the optimum.
"""

from __future__ import annotations

import itertools
import logging
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from solver.backends.highs.backend import solve_highs
from solver.backends.highs.decomposition import benders, facility_path
from solver.backends.highs.decomposition.facility_path import solve_large
from solver.backends.highs.decomposition.lagrangian import Lagrangian
from solver.backends.highs.decomposition.skeleton import facility_structure
from solver.backends.highs.decomposition.swap_search import SwapSearch
from solver.instance import parse_instance
from solver.io.orlib import CapProblem, PmedProblem, cap_instance, pmed_instance
from solver.model.data import build_data
from solver.model.formulation import build_model
from solver.options import SolveOptions
from solver.result import Status
from tests.facility_instances import (
    generated_cap,
    generated_pmed,
    generated_ufl,
    uncapacitated_instances,
)


def _table(raw: dict) -> tuple[Lagrangian, SwapSearch]:
    model = build_model(build_data(parse_instance(raw)))
    lag = Lagrangian(model, facility_structure(model))
    table = SwapSearch.of(lag)
    assert table is not None
    assert benders.applies(lag, table)
    return lag, table


def _line(points: list[int], p: int) -> dict:
    """Vertices at these positions on a line, distances |a − b|."""
    at = np.asarray(points, dtype=np.float64)
    problem = PmedProblem(name="line", p=p, distance=np.abs(at[:, None] - at[None, :]))
    return pmed_instance(problem)


def test_the_optimum_of_two_facilities_and_two_customers():
    # A costs 10 to open and 1 per customer, B 3 and 5 / 9: A alone 12, B alone 17, both 15
    problem = CapProblem(
        name="two",
        path=Path("hand"),
        capacity=np.array([10.0, 10.0]),
        fixed_cost=np.array([10.0, 3.0]),
        demand=np.array([1.0, 1.0]),
        alloc_cost=np.array([[1.0, 1.0], [5.0, 9.0]]),
        placeholder=False,
    )
    _, table = _table(cap_instance(problem, capacitated=False))
    found = benders.solve(table, np.array([False, True]), time.monotonic() + 30, 1e-9, 1)
    assert (found.cost, found.bound) == (12.0, 12.0)
    assert found.units.tolist() == [True, False]


def _brute_force(table: SwapSearch) -> float:
    n = len(table.fixed)
    sizes = range(1, (table.limit or n) + 1)
    best = np.inf
    for k in sizes:
        for chosen in itertools.combinations(np.flatnonzero(table.allowed), k):
            on = np.zeros(n, dtype=np.bool_)
            on[list(chosen)] = True
            best = min(best, table.total(on))
    return best


def _far_away(table: SwapSearch) -> np.ndarray:
    """A poor start: the most expensive single unit."""
    on = np.zeros(len(table.fixed), dtype=np.bool_)
    on[int(np.argmax(table.cost.sum(axis=1) + table.fixed))] = True
    return on


@pytest.mark.parametrize(("p", "optimum"), [(1, 20.0), (2, 2.0), (4, 0.0)])
def test_the_optimum_of_four_points_on_a_line(p, optimum):
    # positions 0, 1, 10, 11: one median serves all at 1 + 0 + 9 + 10 = 20 (from 1 or 10);
    # two medians, one per pair: 1 + 1 = 2; four: 0
    _, table = _table(_line([0, 1, 10, 11], p))
    found = benders.solve(table, _far_away(table), time.monotonic() + 30, 1e-9, 1)
    assert found.cost == optimum
    assert found.bound == optimum
    assert not found.stopped
    assert int(found.units.sum()) <= p


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uncapacitated_instances(11, 8))
def test_the_optimum_is_the_brute_force_optimum(raw):
    _, table = _table(raw)
    optimum = _brute_force(table)
    found = benders.solve(table, _far_away(table), time.monotonic() + 30, 1e-9, 1)
    assert not found.stopped
    assert found.cost == pytest.approx(optimum, rel=1e-9, abs=1e-9)
    assert table.total(found.units) == pytest.approx(found.cost)
    assert found.bound <= optimum + 1e-9 * max(1.0, optimum)
    assert found.bound >= optimum - 1e-6 * max(1.0, optimum)  # proven within the gap


def test_a_cut_loop_cut_short_at_every_node_still_proves_only_the_optimum(monkeypatch):
    # one cut round per node: LP points often stay cut short, also at whole unit sets, which
    # must then be cut further, never taken as leaves (that once proved pmed19 at 2,846, not 2,845)
    monkeypatch.setattr(benders, "_ROOT_ROUNDS", 1)
    monkeypatch.setattr(benders, "_NODE_ROUNDS", 1)
    for seed in range(120):
        if seed % 2:
            raw = generated_pmed(seed, 9 + seed % 3, 1 + seed % 4)
        else:
            raw = generated_ufl(seed, 7, 12)
        _, table = _table(raw)
        optimum = _brute_force(table)
        found = benders.solve(table, _far_away(table), time.monotonic() + 30, 1e-9, 1)
        assert found.cost == pytest.approx(optimum, rel=1e-9, abs=1e-9), seed
        assert found.bound <= optimum + 1e-9 * max(1.0, optimum), seed


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uncapacitated_instances(11, 8))
def test_a_search_stopped_at_once_keeps_a_valid_bound(raw):
    _, table = _table(raw)
    optimum = _brute_force(table)
    start = _far_away(table)
    found = benders.solve(table, start, time.monotonic() - 1.0, 1e-9, 1)
    assert found.stopped
    assert found.bound <= optimum + 1e-9 * max(1.0, optimum)
    assert found.cost == table.total(found.units) <= table.total(start)


@pytest.mark.parametrize(
    "raw",
    [generated_pmed(2, 60, 5), generated_ufl(1, 25, 60), generated_ufl(5, 25, 60)],
    ids=["pmed-60-5", "ufl-25x60-a", "ufl-25x60-b"],
)  # fmt: skip
def test_a_search_that_branches_finds_the_optimum_highs_proves(raw):
    # too many unit sets to enumerate; these need 20, 5 and 9 nodes
    model = build_model(build_data(parse_instance(raw)))
    plain = solve_highs(model, SolveOptions(time_limit_s=60, gap=1e-9), None, large=False)
    assert plain.status is Status.OPTIMAL
    _, table = _table(raw)
    found = benders.solve(table, _far_away(table), time.monotonic() + 60, 1e-9, 1)
    assert found.nodes > 1
    assert found.cost == pytest.approx(float(model.cost @ plain.values), rel=1e-9)
    assert found.bound == pytest.approx(float(model.cost @ plain.values), rel=1e-9)


def test_a_caller_can_stop_the_search():
    _, table = _table(generated_pmed(3, 40, 4))
    asked = []

    def report(cost: float, bound: float) -> bool:
        asked.append((cost, bound))
        return True

    found = benders.solve(table, _far_away(table), time.monotonic() + 30, 1e-9, 1, report)
    if asked:  # the root alone may prove it before the first report is due
        assert found.stopped
        assert all(bound <= cost for cost, bound in asked)


def test_the_large_path_proves_a_pmedian_by_benders(caplog):
    raw = _line([0, 1, 2, 10, 11, 12, 30, 31, 32, 33], 3)
    model = build_model(build_data(parse_instance(raw)))
    with caplog.at_level(logging.INFO, logger="solver.backends.highs.decomposition.benders"):
        found = solve_large(model, SolveOptions(time_limit_s=30, gap=1e-9), None)
    assert found is not None
    assert found.status is Status.OPTIMAL
    # one median per cluster: 1 + 0 + 1, twice, and 1 + 0 + 1 + 2 from 31 or 32
    assert float(model.cost @ found.values) == pytest.approx(8.0)
    assert any("benders" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("seed", [22, 32, 84])
def test_a_unit_set_that_breaks_another_rule_goes_on_by_fixing(seed, monkeypatch):
    # two providers per cell: the cheapest unit set opens one facility, which is no plan; the
    # large path then goes on as before Benders and proves what HiGHS proves
    raw = generated_ufl(seed, 4, 6)
    raw["lots"][0]["min_providers"] = 2
    model = build_model(build_data(parse_instance(raw)))
    fell_back = []
    by_benders = facility_path._by_benders

    def spy(*args):
        done = by_benders(*args)
        fell_back.append(done is None)
        return done

    monkeypatch.setattr(facility_path, "_by_benders", spy)
    options = SolveOptions(time_limit_s=30, gap=1e-9)
    found = solve_large(model, options, None)
    plain = solve_highs(model, options, None, large=False)
    assert fell_back == [True]
    assert found is not None and found.status is plain.status is Status.OPTIMAL
    assert float(model.cost @ found.values) == pytest.approx(float(model.cost @ plain.values))


def test_benders_does_not_claim_a_capacitated_model():
    model = build_model(build_data(parse_instance(generated_cap(1, 5, 12, 1.3))))
    lag = Lagrangian(model, facility_structure(model))
    assert SwapSearch.of(lag) is None  # a capacity can bind: no unit table, no Benders
