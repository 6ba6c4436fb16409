"""The LP-guided large-model path: reduced-cost fixing keeps the optimum; the path is exact."""

from __future__ import annotations

import functools
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.backends.highs.backend import solve_highs
from solver.backends.highs.decomposition.lazy_lp import solve_lazy_lp
from solver.backends.highs.decomposition.lp_path import solve_by_lp
from solver.backends.highs.reduced_costs import fix_by_reduced_cost, safe_bound
from solver.generate.region import generate_region
from solver.instance import parse_instance
from solver.model.data import build_data
from solver.model.formulation import build_model
from solver.options import SolveOptions
from solver.result import Status

OPTIONS = SolveOptions(time_limit_s=60, gap=1e-9)
PLAIN = functools.partial(solve_highs, large=False)


def _region(providers: int, municipalities: int, seed: int):
    raw = generate_region(providers=providers, municipalities=municipalities, seed=seed)
    return build_model(build_data(parse_instance(raw)))


@settings(max_examples=8, deadline=None)
@given(st.integers(30, 70), st.integers(3, 5), st.integers(0, 1000), st.floats(0.0, 0.02))
def test_reduced_cost_fixing_keeps_every_plan_up_to_u(providers, municipalities, seed, above):
    model = _region(providers, municipalities, seed)
    plain = PLAIN(model, OPTIONS, None)
    assert plain.status is Status.OPTIMAL and plain.values is not None
    point = np.rint(plain.values)
    optimum = float(model.cost @ point)
    lp = solve_lazy_lp(model, time.monotonic() + 60)
    assert lp is not None
    bound, reduced = safe_bound(model, lp.row_dual)
    assert bound <= optimum + 1e-6 * abs(optimum)
    # U at the optimum or above it: the optimal plan must survive either way
    lo, hi = fix_by_reduced_cost(model, bound, reduced, optimum * (1 + above))
    assert np.all(point >= lo - 1e-9) and np.all(point <= hi + 1e-9)
    assert np.all(lo >= model.col_lo) and np.all(hi <= model.col_hi)


@pytest.mark.parametrize("seed", [2, 5])
def test_lp_path_reaches_the_plain_optimum(seed):
    model = _region(60, 5, seed)
    plain = PLAIN(model, OPTIONS, None)
    found = solve_by_lp(model, OPTIONS)
    assert found is not None and found.status is Status.OPTIMAL and found.values is not None
    assert plain.values is not None
    want = float(model.cost @ plain.values)
    assert float(model.cost @ found.values) == pytest.approx(want, rel=1e-6)
    assert found.bound is not None and found.bound <= want + 1e-6 * abs(want)
