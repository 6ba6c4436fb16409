"""The HiGHS backend's relaxed-flow solve: exact whether or not the relaxed flows are integral."""

from __future__ import annotations

import numpy as np

from solver.backends.highs.backend import solve_highs
from solver.model.data import build_data
from solver.model.formulation import build_model
from solver.options import SolveOptions
from solver.result import Status
from solver.solve import solve
from tests.test_solve_rules import offer, provider, region

# A gives 100 of quality bonus net per client (price 100, quality 1, quality_weight 200), B costs
# nothing; the lot's care budget is 50. With fractional clients the best is ½ at A, ½ at B
# (objective −50); in whole clients A's one client costs 100 > 50, so B takes it: objective 0.
FRACTIONAL = region(
    [
        provider("A", 0, {"c": offer(1, 100, quality=1.0)}),
        provider("B", 0, {"c": offer(1, 0, quality=0.0)}),
    ],
    lot={"budget_cap": 50},
    demand={("m1", "c"): 1},
    policy={"quality_weight": 200},
)


def test_fractional_relaxed_flows_are_repaired_to_the_integer_optimum():
    result = solve(FRACTIONAL)
    assert result.status is Status.OPTIMAL
    assert abs(result.objective) < 1e-9
    assert [(a.provider, a.clients) for a in result.assignments] == [("B", 1)]


def test_repair_proves_the_integer_bound_not_the_relaxed_one():
    model = build_model(build_data(FRACTIONAL))
    outcome = solve_highs(model, SolveOptions(), None)
    assert outcome.status is Status.OPTIMAL
    assert outcome.values is not None
    x = outcome.values[model.blocks["x"]]
    assert np.array_equal(x, np.rint(x))
    # the proven bound is the integer optimum, not the relaxed −50
    assert outcome.bound is not None and abs(outcome.bound) < 1e-6


def test_integral_relaxed_flows_give_the_integer_optimum_at_once():
    # the rule instances' hand-computed optima (tests/test_solve_rules.py) all come this way
    inst = region(
        [provider("A", 50, {"c": offer(6, 100)}), provider("C", 100, {"c": offer(4, 80)}),
         provider("B", 200, {"c": offer(10, 90)})]
    )  # fmt: skip
    result = solve(inst)
    assert result.status is Status.OPTIMAL
    assert abs(result.objective - 1070.0) < 1e-9
    assert all(isinstance(a.clients, int) for a in result.assignments)


def test_a_model_without_rows_sits_at_the_bounds_its_costs_prefer():
    import scipy.sparse as sp

    from solver.model.matrix import MatrixModel

    model = MatrixModel(
        cost=np.array([1.0, -1.0, 0.0]),
        col_lo=np.array([0.0, 0.0, 2.0]),
        col_hi=np.array([5.0, 5.0, 4.0]),
        matrix=sp.csr_matrix((0, 3)),
        row_lo=np.zeros(0),
        row_hi=np.zeros(0),
        blocks={"y": slice(0, 3)},
        families=[],
        money_rows=np.zeros(0, dtype=np.bool_),
    )
    outcome = solve_highs(model, SolveOptions(), None)
    assert outcome.status is Status.OPTIMAL
    assert outcome.values is not None and list(outcome.values) == [0.0, 5.0, 2.0]
    assert outcome.bound == -5.0
