"""Rows the formulation adds only to tighten the relaxation: same optimum, stronger LP bound."""

from __future__ import annotations

from solver.backends.highs.backend import run_mip
from solver.backends.highs.run import lp_duals
from solver.model.data import build_data
from solver.model.formulation import build_model
from solver.model.variants import drop_families
from solver.options import SolveOptions
from tests.test_solve_rules import offer, provider, region

# A holds 4 incumbent clients; moving them costs 500 each. Whole: A alone 1000 + 10 × 100 = 2000,
# B alone 10 × 100 + 4 × 500 = 3000, so 2000. The LP without `moved_unless_contracted` keeps the 4
# at A with A 0.4 contracted: 400 + 1000 = 1400. With it, moved ≥ 4·(1 − y_A) makes every
# fraction of A cost as much as it saves: 3000 − 1000·y_A, so the LP is 2000 too.
KEEP_OR_MOVE = region(
    [
        provider("A", 1000, {"c": offer(100, 100)},
                 incumbent=[{"municipality": "m1", "care_type": "c", "clients": 4}]),
        provider("B", 0, {"c": offer(10, 100)}),
    ],
    policy={"transfer_cost": 500},
)  # fmt: skip


def test_moved_unless_contracted_tightens_the_lp_and_keeps_the_optimum():
    model = build_model(build_data(KEEP_OR_MOVE))
    weaker = drop_families(model, ["moved_unless_contracted"])
    assert len(model.families) == len(weaker.families) + 1
    strong_lp, weak_lp = lp_duals(model), lp_duals(weaker)
    assert strong_lp is not None and weak_lp is not None
    assert abs(weak_lp.objective - 1400.0) < 1e-6
    assert abs(strong_lp.objective - 2000.0) < 1e-6
    for m in (model, weaker):
        outcome = run_mip(m, SolveOptions())
        assert outcome.values is not None
        assert abs(float(m.cost @ outcome.values) - 2000.0) < 1e-6
