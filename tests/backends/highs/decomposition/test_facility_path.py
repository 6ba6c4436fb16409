"""The large-model path of the HiGHS backend is exact: same optima, valid bounds, kept optima.

Small facility-location, p-median and set-cover instances are generated (hypothesis), converted
with the OR-Library converters, and solved by the plain HiGHS path and by the large-model path
forced on them (it normally starts at 20,000 columns).
"""

from __future__ import annotations

import functools
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.backends.highs.backend import solve_highs
from solver.backends.highs.decomposition.facility_path import solve_large
from solver.backends.highs.decomposition.fixing import fix
from solver.backends.highs.decomposition.lagrangian import Lagrangian
from solver.backends.highs.decomposition.probing import probe
from solver.backends.highs.decomposition.reduced_model import restrict, with_aggregate_capacity
from solver.backends.highs.decomposition.set_cover_projection import project, solve_projected
from solver.backends.highs.decomposition.skeleton import facility_structure, is_pure
from solver.instance import parse_instance
from solver.model.data import build_data
from solver.model.formulation import build_model
from solver.options import SolveOptions
from solver.result import Status
from solver.solve import solve
from tests.facility_instances import generated_cap, generated_pmed, generated_scp

OPTIONS = SolveOptions(time_limit_s=30, gap=1e-9)
PLAIN = functools.partial(solve_highs, large=False)
REL = 1e-6
_EXAMPLES = int(os.environ.get("LARGE_EXAMPLES", "40"))  # more: LARGE_EXAMPLES=300 pytest ...


def _model(raw: dict):
    return build_model(build_data(parse_instance(raw)))


def _instances():
    seeds = st.integers(0, 10_000)
    return st.one_of(
        st.builds(
            generated_cap,
            seeds,
            st.integers(3, 10),
            st.integers(4, 25),
            st.sampled_from([1.3, 2.0]),
        ),
        st.builds(generated_pmed, seeds, st.integers(5, 20), st.integers(1, 5)),
        st.builds(generated_scp, seeds, st.integers(4, 20), st.integers(3, 15)),
    )


@settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_instances())
def test_large_path_reaches_the_plain_optimum(raw):
    model = _model(raw)
    plain = PLAIN(model, OPTIONS, None)
    large = solve_large(model, OPTIONS, None)
    assert large is not None and plain.status is Status.OPTIMAL
    assert large.status is Status.OPTIMAL
    assert large.values is not None and plain.values is not None
    want = float(model.cost @ plain.values)
    assert float(model.cost @ large.values) == pytest.approx(want, rel=REL, abs=1e-6)
    assert large.bound is not None and large.bound <= want + 1e-6 * max(1.0, abs(want))


@settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_instances(), st.integers(0, 2**31))
def test_fixing_and_probing_keep_every_optimal_plan(raw, seed):
    # with U = the optimum, fixing keeps every plan of cost ≤ U: the optimal plan found lies inside
    model = _model(raw)
    plain = PLAIN(model, OPTIONS, None)
    assert plain.values is not None
    upper = float(model.cost @ plain.values)
    lag = Lagrangian(model, facility_structure(model))
    start = lag.start() * np.random.default_rng(seed).uniform(0.5, 1.5, lag.s.n_rows)
    ev = lag.maximise(start, upper, deadline=float("inf"), iterations=200)
    fixed = fix(lag, ev, upper)
    point = np.rint(plain.values)
    assert np.all(point >= fixed.col_lo - 1e-9) and np.all(point <= fixed.col_hi + 1e-9)
    probed = probe(lag, ev, fixed.col_lo, fixed.col_hi, point, upper, float("inf"))
    assert np.all(point >= probed.col_lo - 1e-9) and np.all(point <= probed.col_hi + 1e-9)
    reduced = restrict(with_aggregate_capacity(model, lag.s), probed.col_lo, probed.col_hi)
    assert reduced.model is not None
    again = PLAIN(reduced.model, OPTIONS, None)
    assert again.values is not None
    assert float(model.cost @ reduced.expand(again.values)) == pytest.approx(upper, rel=REL)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(_instances(), st.integers(0, 2**31))
def test_lagrangian_bound_is_valid_for_any_prices(raw, seed):
    model = _model(raw)
    plain = PLAIN(model, OPTIONS, None)
    assert plain.values is not None
    optimum = float(model.cost @ plain.values)
    lag = Lagrangian(model, facility_structure(model))
    rng = np.random.default_rng(seed)
    for scale in (0.0, 1.0, 3.0):
        pi = lag.start() * rng.uniform(0, 2, lag.s.n_rows) * scale + rng.normal(0, 5, lag.s.n_rows)
        assert lag.evaluate(pi).bound <= optimum + 1e-6 * max(1.0, abs(optimum))


def test_ladder_models_are_not_pure_facility_models():
    from solver.generate.region import generate_region

    raw = generate_region(providers=60, municipalities=6, seed=1)
    model = _model(raw)
    assert facility_structure(model) is not None  # the skeleton is there ...
    assert not is_pure(model)  # ... but the path is kept for OR-Library-like models


def test_aggregate_capacity_row_is_implied():
    model = _model(generated_cap(7, 5, 10, 1.3))
    s = facility_structure(model)
    stronger = with_aggregate_capacity(model, s)
    assert stronger.n_rows == model.n_rows + 1  # one care type, every customer reaches every site
    assert stronger.row_lo[-1] == pytest.approx(float(s.need.sum()))
    plain = PLAIN(model, OPTIONS, None)
    again = PLAIN(stronger, OPTIONS, None)
    assert float(model.cost @ again.values) == pytest.approx(float(model.cost @ plain.values))


def test_restrict_maps_back_and_detects_empty_rows():
    model = _model(generated_cap(3, 4, 6, 2.0))
    lo, hi = model.col_lo.copy(), model.col_hi.copy()
    hi[model.blocks["x"]] = 0.0  # no flow at all: the demand rows cannot be met
    assert restrict(model, lo, hi).model is None
    hi = model.col_hi.copy()
    hi[model.blocks["z"].start] = 0.0
    reduced = restrict(model, lo, hi)
    assert reduced.model is not None and reduced.model.n_cols == model.n_cols - 1
    point = np.arange(reduced.model.n_cols, dtype=float)
    assert np.array_equal(reduced.shrink(reduced.expand(point)), point)
    assert set(reduced.model.blocks) == set(model.blocks)


def test_solve_checks_a_large_path_plan():
    # through the product's front door: the plan passes the independent checker
    raw = generated_cap(11, 6, 12, 1.3)
    inst = parse_instance(raw)
    plain = solve(inst, options=OPTIONS)
    model = _model(raw)
    large = solve_large(model, OPTIONS, None)
    assert large is not None and large.values is not None
    assert float(model.cost @ large.values) == pytest.approx(plain.objective, rel=REL)


@settings(max_examples=_EXAMPLES, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 12), st.integers(3, 10))
def test_set_cover_without_its_free_flows_has_the_same_optimum(seed, rows, cols):
    model = _model(generated_scp(seed, rows, cols))
    projected = project(model)
    assert projected is not None
    assert projected.model.n_cols == model.n_cols - len(range(*model.blocks["x"].indices(10**9)))
    plain = PLAIN(model, OPTIONS, None)
    found = solve_projected(model, OPTIONS, None)
    assert found.status is Status.OPTIMAL and found.values is not None
    point = found.values
    activity = model.matrix @ point
    assert np.all(activity >= model.row_lo - 1e-9) and np.all(activity <= model.row_hi + 1e-9)
    assert float(model.cost @ point) == pytest.approx(float(model.cost @ plain.values))


def test_flows_with_a_cost_or_a_binding_capacity_are_kept():
    assert project(_model(generated_pmed(1, 8, 2))) is None  # distances cost
    assert project(_model(generated_cap(1, 4, 8, 1.3))) is None  # capacities bind


def test_progress_reports_valid_bounds_and_can_stop_the_solve():
    model = _model(generated_cap(21, 10, 40, 1.3))
    seen = []

    def listen(snapshot):
        seen.append(snapshot)
        return True  # stop at the first chance

    found = solve_large(model, OPTIONS, listen)
    assert found is not None and found.values is not None  # stopping keeps the plan
    assert found.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert len(seen) == 1  # the first report asked to stop
    for snap in seen:
        if snap.objective is not None and snap.bound is not None:
            assert snap.bound <= snap.objective + 1e-6 * max(1.0, abs(snap.objective))
