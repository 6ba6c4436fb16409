"""No contract without a reason: care-type contracts that carry no client and no rule are dropped.

A unit's contract for a care type (`y` in `formulation`) costs nothing by itself: the
contract cost is paid per unit (SPEC §3). So where a contracted unit is also switched on for a care
type it gets no clients of, and no rule needs that (coverage, a lot's units per municipality, ...),
the plan with the switch off costs exactly the same, and a solver may return either. A procurement
team reads every listed contract as a decision; Achterhoek's optimum came back with 14 such
contracts, 3 of them in a lot where one unit serves every municipality.

`drop_idle_options` switches those off, one at a time in option order (deterministic), keeping each
change only when every row of the model still holds. The unit's own contract is never dropped (a
unit with no other care type keeps this one: `contract_needs_care_type` says so), so the contract
cost and the objective stay the same. Payouts only move where SPEC §4 shares by contract: a
population-based lot's amount for a municipality without its clients goes to fewer units (the
lot's total is the same). The plan is re-priced and checked as always.
"""

from __future__ import annotations

import numpy as np

from solver.model.data import ModelData
from solver.model.families import X, Y
from solver.model.matrix import MatrixModel, rows_hold

_ROW_TOL = 1e-6  # relative slack when re-checking a row, as for rounded flows


def drop_idle_options(data: ModelData, model: MatrixModel, values: np.ndarray) -> np.ndarray:
    """`values` with every care-type contract switched off that has no clients and no rule."""
    ys = model.blocks[Y]
    x = np.rint(values[model.blocks[X]])
    served = np.bincount(data.row_option, weights=x, minlength=ys.stop - ys.start) > 0
    free = model.cost[ys] == 0  # so dropping one never changes the objective
    idle = np.flatnonzero((values[ys] > 0.5) & ~served & free)
    if len(idle) == 0:
        return values
    point = values.copy()
    activity = model.matrix @ point
    columns = model.matrix.tocsc()
    for j in idle + ys.start:
        rows = columns.indices[columns.indptr[j] : columns.indptr[j + 1]]
        after = activity[rows] - columns.data[columns.indptr[j] : columns.indptr[j + 1]] * point[j]
        if rows_hold(model, after, rows, tol=_ROW_TOL):
            activity[rows] = after
            point[j] = 0.0
    return point
