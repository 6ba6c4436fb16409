"""The lazy-row LP reaches the full LP's bound; its safe bound and reduced costs are valid."""

from __future__ import annotations

import time

import highspy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.backends.highs.decomposition.lazy_lp import lazy_rows, solve_lazy_lp
from solver.backends.highs.reduced_costs import safe_bound
from solver.backends.highs.run import to_highs_lp
from solver.generate.region import generate_region
from solver.instance import parse_instance
from solver.model.data import build_data
from solver.model.formulation import build_model


def _region(providers: int, municipalities: int, seed: int):
    raw = generate_region(providers=providers, municipalities=municipalities, seed=seed)
    return build_model(build_data(parse_instance(raw)))


def _full_lp(model) -> float:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(to_highs_lp(model, np.zeros(model.n_cols, dtype=np.bool_)))
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getInfo().objective_function_value)


@settings(max_examples=8, deadline=None)
@given(st.integers(30, 80), st.integers(3, 6), st.integers(0, 1000))
def test_lazy_lp_bound_equals_the_full_lp_bound(providers, municipalities, seed):
    model = _region(providers, municipalities, seed)
    lp = solve_lazy_lp(model, time.monotonic() + 60)
    assert lp is not None and lp.converged
    full = _full_lp(model)
    assert lp.objective == pytest.approx(full, rel=1e-7)
    lazy = lazy_rows(model)
    assert lazy.any() and (lp.in_lp & lazy).sum() < lazy.sum()  # some rows were never needed
    # the float64 bound from the duals is valid and (up to tolerances) the LP bound itself
    bound, reduced = safe_bound(model, lp.row_dual)
    assert bound <= full + 1e-6 * abs(full)
    assert bound == pytest.approx(full, rel=1e-6)
    assert reduced.shape == (model.n_cols,)


def test_safe_bound_is_valid_for_any_duals():
    model = _region(40, 4, 3)
    full = _full_lp(model)
    rng = np.random.default_rng(0)
    for _ in range(20):
        bound, _ = safe_bound(model, rng.normal(0, 1e4, model.n_rows))
        assert bound <= full + 1e-6 * abs(full)


def test_lazy_lp_stops_at_the_deadline_with_what_it_has():
    model = _region(60, 5, 1)
    assert solve_lazy_lp(model, time.monotonic() - 1) is None  # no time: not even one LP


def test_lazy_lp_stops_after_its_round_cap_with_the_same_lp_every_time():
    model = _region(60, 5, 1)
    full = solve_lazy_lp(model, time.monotonic() + 60)
    assert full is not None and full.converged and full.rounds > 2
    capped = [solve_lazy_lp(model, time.monotonic() + 60, max_rounds=2) for _ in range(2)]
    assert all(lp is not None and lp.rounds == 2 and not lp.converged for lp in capped)
    first, again = capped
    assert first.objective == again.objective and np.array_equal(first.values, again.values)
    assert first.objective <= full.objective + 1e-6 * abs(full.objective)  # a relaxation
