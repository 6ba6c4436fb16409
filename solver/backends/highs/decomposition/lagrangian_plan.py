"""Plans read off the Lagrangian subproblem: contract its units, send each demand to the cheapest.

At a subgradient step the subproblem names the units worth contracting. When no capacity binds
(p-median, set cover, uncapacitated facility location) a plan follows at once: every demand row
sends its clients to its cheapest flow at a contracted unit, options are on where clients go, and
units without clients are dropped. The point is then checked against EVERY row of the model (and
the column bounds); anything that breaks a row is discarded, so only plans of the model are kept.
Cheap (one pass over the flows), so it runs every few steps and the best plan is kept.
"""

from __future__ import annotations

import numpy as np

from solver.backends.highs.decomposition.lagrangian import Evaluation, Lagrangian
from solver.model.data import BoolArray
from solver.model.matrix import rows_hold

_ROW_TOL = 1e-9


def plan_from(lag: Lagrangian, ev: Evaluation) -> np.ndarray | None:
    """A plan of the model from the subproblem's units at `ev`, or None when it breaks a row."""
    return plan_for_units(lag, ev.unit_on)


def plan_for_units(lag: Lagrangian, unit_on: BoolArray) -> np.ndarray | None:
    """The plan sending every row to its cheapest flow at a unit of `unit_on`; None if none."""
    s, model = lag.s, lag.model
    unit_of_flow = s.y_z[s.member_y[s.x_member]]
    usable = unit_on[unit_of_flow] & (lag.x_ub > 0)
    idx = np.flatnonzero(usable)
    if len(idx) == 0:
        return None
    cost = model.cost[s.x]
    order = idx[np.lexsort((idx, cost[idx], s.x_row[idx]))]
    rows = s.x_row[order]
    first = np.ones(len(order), dtype=np.bool_)
    first[1:] = rows[1:] != rows[:-1]
    chosen, served = order[first], rows[first]
    if len(served) != s.n_rows or np.any(lag.x_ub[chosen] < s.need[served]):
        return None  # a demand row without a contracted unit, or one flow cannot carry it
    point = np.where(model.cost >= 0, model.col_lo, model.col_hi).astype(np.float64)
    point[s.x] = 0.0
    point[s.x[chosen]] = s.need[served]
    options_on = np.zeros(len(s.y), dtype=np.bool_)
    options_on[s.member_y[s.x_member[chosen]]] = True
    options_on |= lag.y_forced
    units_on = np.zeros(len(s.z), dtype=np.bool_)
    units_on[s.y_z[options_on]] = True
    units_on |= lag.z_forced
    point[s.y] = np.maximum(model.col_lo[s.y], options_on.astype(np.float64))
    point[s.z] = np.maximum(model.col_lo[s.z], units_on.astype(np.float64))
    if np.any(point < model.col_lo) or np.any(point > model.col_hi):
        return None
    if not rows_hold(model, model.matrix @ point, tol=_ROW_TOL):
        return None
    return point
