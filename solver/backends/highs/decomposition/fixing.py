"""Reduced-cost fixing: columns that cannot be nonzero in a plan cheaper than U.

`fix` works from the Lagrangian of `decomposition.lagrangian` (the facility path); fixing from
LP duals is `solver.backends.highs.reduced_costs`.

Why it is exact. Let L = L(π) be the Lagrangian bound of `decomposition.lagrangian` and U the cost
of a plan already found. For a unit u, let Δ_u be how much the subproblem's optimum rises when u is
forced to be contracted. Every plan contracting u is a point of the relaxation with z_u = 1, so it
costs at least L + Δ_u. When L + Δ_u > U, no plan contracting u is cheaper than U: z_u = 0 (and
with it every option and flow of u) loses no plan that could improve on U. The same holds for

- an option y (forced on: its unit is on and the option's own gain counts in full),
- a flow x forced to carry at least one client: x is integer in the SPEC model, so x ≠ 0 means
  x ≥ 1, which forces its option and unit on and displaces one unit of its member's knapsack (the
  marginal reduced cost, or nothing when the capacity is slack). This uses the integrality of x:
  in the model with flows relaxed to continuous (how `solver.backends.highs.flows` solves first)
  a flow could be 0.001 and the penalty would not apply, so fixings are only ever applied to the
  integer model, and the plans found afterwards are checked as integer plans;
- a unit forced out (Δ = the rise when z_u = 0): when L + Δ > U it is contracted in every
  better plan.

The reduced model keeps every plan of cost ≤ U, so min(U, any bound of the reduced model) is a bound
of the original model; a margin of 1e-7·|U| (far above the rounding of L, a sum of float64 terms)
makes the test `L + Δ > U + margin`, which fixes a little less, never more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.backends.highs.decomposition import unit_coupling
from solver.backends.highs.decomposition.lagrangian import Evaluation, Lagrangian
from solver.backends.highs.reduced_costs import MARGIN
from solver.model.data import FloatArray

INF = float("inf")


@dataclass(frozen=True, eq=False)
class Fixing:
    """New column bounds for the original model, and how many columns each part removed."""

    col_lo: FloatArray
    col_hi: FloatArray
    units_out: int
    units_in: int
    options_out: int
    flows_out: int


def fix(lag: Lagrangian, ev: Evaluation, upper: float) -> Fixing:
    """Bounds that keep every plan of cost ≤ `upper` (see the module docstring)."""
    s, model = lag.s, lag.model
    slack = upper - ev.bound + MARGIN * max(1.0, abs(upper))  # fix only when L + Δ > U + margin
    value = ev.unit_value
    open_cost = unit_coupling.open_costs(lag.rule, value, lag.z_forced, lag.z_allowed)
    close_cost = unit_coupling.close_costs(lag.rule, value, lag.z_forced, lag.z_allowed)
    unit_of_y = s.y_z
    # unit value when the option is forced on, with `extra` added to its gain
    without = ev.unit_raw[unit_of_y] - np.where(ev.option_on, ev.option_gain, 0.0)
    finite = np.isfinite(value[unit_of_y]) & np.isfinite(ev.option_gain)

    def forced_on(extra: FloatArray, of_y: np.ndarray) -> FloatArray:
        rise = open_cost[unit_of_y[of_y]] + (
            without[of_y] + ev.option_gain[of_y] + extra - value[unit_of_y[of_y]]
        )
        return np.where(finite[of_y] & np.isfinite(extra), rise, INF)

    y_all = np.arange(len(s.y))
    option_rise = forced_on(np.zeros(len(s.y)), y_all)
    x_y = s.member_y[s.x_member]
    possible = (s.member_cap[s.x_member] >= 1) & (lag.x_ub >= 1)
    displaced = np.maximum(ev.reduced - ev.margin[s.x_member], 0.0)
    knap_rise = np.where(ev.amount >= 1, 0.0, np.where(possible, displaced, INF))
    flow_rise = forced_on(knap_rise, x_y)

    lo, hi = model.col_lo.copy(), model.col_hi.copy()
    unit_out = (open_cost > slack) & ~lag.z_forced
    unit_in = (close_cost > slack) & ~unit_out & lag.z_allowed
    option_out = (option_rise > slack) | unit_out[unit_of_y]
    option_out &= ~lag.y_forced
    flow_out = (flow_rise > slack) | option_out[x_y]
    hi[s.z[unit_out]] = 0.0
    lo[s.z[unit_in]] = 1.0
    hi[s.y[option_out]] = 0.0
    hi[s.x[flow_out]] = 0.0
    return Fixing(
        col_lo=lo,
        col_hi=hi,
        units_out=int(unit_out.sum()),
        units_in=int(unit_in.sum()),
        options_out=int(option_out.sum()),
        flows_out=int(flow_out.sum()),
    )


def cheapest_units(lag: Lagrangian, ev: Evaluation, extra: int) -> np.ndarray:
    """The units of the subproblem's optimum and the `extra` next ones by forcing cost."""
    open_cost = unit_coupling.open_costs(lag.rule, ev.unit_value, lag.z_forced, lag.z_allowed)
    others = np.flatnonzero(~ev.unit_on & np.isfinite(open_cost))
    ranked = others[np.lexsort((others, open_cost[others]))][:extra]
    chosen = ev.unit_on.copy()
    chosen[ranked] = True
    return chosen
