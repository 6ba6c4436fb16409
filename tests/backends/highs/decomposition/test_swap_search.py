"""The swap search of uncapacitated facility models: exact move costs, local optima, real plans.

Small p-median and uncapacitated facility-location instances are generated and converted with the
OR-Library converters; every move the search takes is compared with a brute-force recount.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.backends.highs.decomposition.lagrangian import Lagrangian
from solver.backends.highs.decomposition.lagrangian_plan import plan_for_units
from solver.backends.highs.decomposition.skeleton import facility_structure
from solver.backends.highs.decomposition.swap_search import SwapSearch
from solver.instance import parse_instance
from solver.model.data import build_data
from solver.model.formulation import build_model
from tests.facility_instances import (
    generated_cap,
    generated_pmed,
    generated_scp,
    uncapacitated_instances,
)


def _search(raw: dict) -> tuple[Lagrangian, SwapSearch]:
    model = build_model(build_data(parse_instance(raw)))
    lag = Lagrangian(model, facility_structure(model))
    search = SwapSearch.of(lag)
    assert search is not None
    return lag, search


def _neighbours(on: np.ndarray, limit: int | None):
    """Every unit set one open, close or swap away from `on`."""
    opened, closed = np.flatnonzero(on), np.flatnonzero(~on)
    if limit is None or len(opened) < limit:
        for i in closed:
            yield np.where(np.arange(len(on)) == i, True, on)
    if len(opened) >= 2:
        for u in opened:
            yield np.where(np.arange(len(on)) == u, False, on)
    for i, u in itertools.product(closed, opened):
        out = on.copy()
        out[i], out[u] = True, False
        yield out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uncapacitated_instances(), st.integers(0, 2**31))
def test_the_best_move_is_the_best_neighbour(raw, seed):
    lag, search = _search(raw)
    rng = np.random.default_rng(seed)
    n = len(search.fixed)
    on = np.zeros(n, dtype=np.bool_)
    size = int(rng.integers(1, (search.limit or n) + 1))
    on[rng.choice(n, min(size, n), replace=False)] = True
    now = search.total(on)
    best = min(search.total(other) for other in _neighbours(on, search.limit))
    move = search.best_move(on)
    if best >= now - 1e-9 * max(1.0, abs(now)):
        assert move is None
        return
    assert move is not None
    after = on.copy()
    opened, closed = move
    if opened >= 0:
        after[opened] = True
    if closed >= 0:
        after[closed] = False
    assert search.total(after) == pytest.approx(best, rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uncapacitated_instances(), st.integers(0, 2**31))
def test_search_ends_in_a_local_optimum_whose_plan_costs_what_it_says(raw, seed):
    lag, search = _search(raw)
    model = lag.model
    start = np.zeros(len(search.fixed), dtype=np.bool_)
    start[seed % len(start)] = True
    found = search.search(start, float("inf"), seed)
    assert search.limit is None or found.sum() <= search.limit
    total = search.total(found)
    assert all(search.total(o) >= total - 1e-9 * total for o in _neighbours(found, search.limit))
    plan = plan_for_units(lag, found)
    assert plan is not None  # plan_for_units checks every row of the model
    assert float(model.cost @ plan) == pytest.approx(total, rel=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_search_finds_the_brute_force_optimum_of_small_p_median(seed):
    lag, search = _search(generated_pmed(seed, 12, 3))
    optimum = min(
        search.total(np.isin(np.arange(12), chosen))
        for chosen in itertools.combinations(range(12), 3)
    )
    start = np.zeros(12, dtype=np.bool_)
    start[:3] = True
    assert search.total(search.search(start, float("inf"), seed)) == pytest.approx(optimum)


def test_search_is_deterministic_for_a_seed():
    lag, search = _search(generated_pmed(7, 40, 4))
    start = np.zeros(40, dtype=np.bool_)
    start[:4] = True
    runs = [search.search(start, float("inf"), 3) for _ in range(2)]
    assert np.array_equal(runs[0], runs[1])


def test_no_search_where_a_capacity_can_bind_or_flows_cost_nothing():
    for raw in (generated_cap(1, 6, 20, 1.0), generated_scp(1, 5, 4)):
        model = build_model(build_data(parse_instance(raw)))
        assert SwapSearch.of(Lagrangian(model, facility_structure(model))) is None
