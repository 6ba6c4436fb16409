"""The large-model path for models with more rules than facility location: LP-guided.

For a national region (20,000 providers × 342 municipalities: 600k columns, 670k rows) the root LP
of HiGHS does not finish in five minutes. This path:

1. solves the LP relaxation with the per-flow rows added lazily (`lazy_lp`), a few
   seconds per round, for at most `_LP_ROUNDS` rounds, and turns its duals into a bound valid for
   any duals (`safe_bound`);
2. finds a plan: HiGHS on the model restricted to the units the LP contracts at all (and the
   next ones by reduced cost), with every option and flow of those units; when HiGHS solves (or
   rules out) a restriction before the deadline, a wider one is solved from the best plan. A
   restriction's plan is a plan of the model; its own bound is not a bound of the model and is
   never reported;
3. fixes by reduced cost against that plan's cost U: every column is integer in the SPEC model,
   and a plan costs at least L + d_j·(x_j − lo_j) for a column with reduced cost d_j > 0 (all other
   terms of the Lagrangian bound are ≥ 0), so x_j ≤ lo_j + ⌊(U + margin − L) / d_j⌋ in every plan
   of cost ≤ U (and symmetrically for d_j < 0); with flows relaxed to continuous this would not
   hold for the relaxed model, so it is only applied to the integer one;
4. once fixing removes at least half of the columns, solves that reduced model with HiGHS,
   started from the plan, until the deadline. (On 20,000 × 342 fixing removes nothing at a 1 %
   gap: the best plan of the restrictions is returned with the LP bound.)

The bound reported is max(L, min(U, the reduced model's bound)), as in `facility_path`.
"""

from __future__ import annotations

import dataclasses
import logging
import time

import numpy as np

from solver.backends.highs import parameters
from solver.backends.highs.deadline import remaining
from solver.backends.highs.decomposition.lazy_lp import solve_lazy_lp
from solver.backends.highs.decomposition.reduced_model import restrict
from solver.backends.highs.decomposition.skeleton import FacilityStructure, facility_structure
from solver.backends.highs.flows import solve_model
from solver.backends.highs.reduced_costs import fix_by_reduced_cost, safe_bound
from solver.backends.outcome import BackendOutcome, gap_closed
from solver.i18n.messages import E_
from solver.model.data import FloatArray
from solver.model.families import MOVED_UNLESS_CONTRACTED
from solver.model.matrix import MatrixModel
from solver.model.variants import drop_families
from solver.options import SolveOptions
from solver.result import Status

log = logging.getLogger(__name__)

_LP_SHARE = 0.2  # at most this share of the time limit goes to the lazy LP
# The lazy LP stops after this many rounds (or at its time share, whichever comes first). It used
# to stop on time alone, so the rounds it reached (24-30 in 15 runs of 20,000 x 342) decided the
# LP and the first restriction, and runs differed (1.40-1.51 % gaps, and no plan at all after
# 26 rounds before `parameters.RESTRICTION`). At 24 rounds (47-49 s, two runs at once on this
# machine) two runs gave the same plan, bound and gap (1.51 %), the first plan after 123-125 s.
_LP_ROUNDS = 24
_RESERVE = 0.03  # share of the time limit kept for the end (repair, result)
_IN_LP = 1e-6  # a unit contracted this much in the LP is in the plan's restriction
_FIX_ENOUGH = 0.5  # the reduced model is solved once fixing removes this share of the columns

# Rows the formulation adds only to tighten the relaxation (implied at whole contracts, see
# `Formulation._add_transfers`). Here they cost more than they give: 20,000 × 342 with them ends
# its 300 s at a 21 % gap, without them at 1.4 % (same run, one core each).
_TIGHTENING_ONLY = (MOVED_UNLESS_CONTRACTED,)


def solve_by_lp(model: MatrixModel, options: SolveOptions) -> BackendOutcome | None:
    """LP bound, plans of ever wider restrictions, fixing; None when the path does not apply."""
    started = time.monotonic()
    deadline = started + float(options.time_limit_s)
    model = drop_families(model, _TIGHTENING_ONLY)  # same columns: plans are the model's
    structure = facility_structure(model)
    if structure is None:
        return None
    lp = solve_lazy_lp(model, started + _LP_SHARE * float(options.time_limit_s), _LP_ROUNDS)
    if lp is None:
        return None
    bound, reduced = safe_bound(model, lp.row_dual)
    log.info("LP path: bound %.6g (LP %.6g) after %.1f s", bound, lp.objective,
             time.monotonic() - started)  # fmt: skip
    s = structure
    units = lp.values[s.z] > _IN_LP
    extra = max(int(units.sum()) // 4, 10)
    plan: np.ndarray | None = None
    while remaining(deadline) > _RESERVE * float(options.time_limit_s):
        allowed = units | _lowest_units(reduced[s.z], extra)
        if plan is not None:
            allowed |= plan[s.z] > 0.5  # the plan stays inside, as the start
        found, status = _restricted(model, s, allowed, plan, options, deadline)
        if found is not None and (plan is None or model.cost @ found < model.cost @ plan):
            plan = found
        if plan is not None:
            log.info("LP path: plan %.6g from %d of %d units after %.1f s", model.cost @ plan,
                     int(allowed.sum()), len(s.z), time.monotonic() - started)  # fmt: skip
            if allowed.all() and status is Status.OPTIMAL:
                return BackendOutcome(Status.OPTIMAL, plan, float(model.cost @ plan), "highs")
            if gap_closed(float(model.cost @ plan), bound, options.gap):
                return BackendOutcome(Status.OPTIMAL, plan, bound, "highs")
        if status not in (Status.OPTIMAL, Status.INFEASIBLE) or allowed.all():
            break  # out of time, or nothing left to widen
        if plan is not None:
            lo, hi = fix_by_reduced_cost(model, bound, reduced, float(model.cost @ plan))
            if np.count_nonzero((hi == 0) & (model.col_hi > 0)) >= _FIX_ENOUGH * model.n_cols:
                return _reduced_solve(model, plan, bound, lo, hi, options, deadline)
        extra *= 4
    if plan is None:
        note = E_("LP path: no plan before the time limit")
        return BackendOutcome(Status.NO_SOLUTION, None, bound, "highs", [note])
    note = E_("LP path: best plan of restrictions to the LP's units; the bound is the LP's")
    return BackendOutcome(Status.FEASIBLE, plan, min(bound, float(model.cost @ plan)), "highs",
                          [note])  # fmt: skip


def _reduced_solve(
    model: MatrixModel,
    plan: np.ndarray,
    bound: float,
    lo: FloatArray,
    hi: FloatArray,
    options: SolveOptions,
    deadline: float,
) -> BackendOutcome:
    """HiGHS on the model fixed by reduced cost, from the plan; bound max(L, min(U, its bound))."""
    upper = float(model.cost @ plan)
    reduced_model = restrict(model, lo, hi)
    best = plan
    if reduced_model.model is None:
        bound = max(bound, upper)
    else:
        limit = dataclasses.replace(options, time_limit_s=max(remaining(deadline), 1e-3))
        outcome = solve_model(reduced_model.model, limit, None, start=reduced_model.shrink(plan))
        if outcome.values is not None:
            found = reduced_model.expand(outcome.values)
            if float(model.cost @ found) < upper:
                best = found
        if outcome.status is Status.INFEASIBLE:
            bound = max(bound, upper)
        elif outcome.bound is not None:
            bound = max(bound, min(upper, outcome.bound))
    cost = float(model.cost @ best)
    if gap_closed(cost, bound, options.gap):
        return BackendOutcome(Status.OPTIMAL, best, min(bound, cost), "highs")
    note = E_("LP path: stopped at the time limit with the gap reported")
    return BackendOutcome(Status.FEASIBLE, best, min(bound, cost), "highs", [note])


def _restricted(
    model: MatrixModel,
    s: FacilityStructure,
    allowed: np.ndarray,
    start: np.ndarray | None,
    options: SolveOptions,
    deadline: float,
) -> tuple[np.ndarray | None, Status]:
    """HiGHS on the model with only the `allowed` units (every option and flow of theirs).

    Restricting flows instead (the cheapest per demand row) breaks the rules that tie clients to
    units (min_clients, units per municipality): on 20,000 × 342 no such restriction had a plan.
    The restriction's status is returned; its bound is not a bound of the model.
    """
    closed = ~allowed
    hi = model.col_hi.copy()
    hi[s.z[closed]] = 0.0
    hi[s.y[closed[s.y_z]]] = 0.0
    hi[s.x[closed[s.y_z[s.member_y[s.x_member]]]]] = 0.0
    restricted = restrict(model, model.col_lo, hi)
    if restricted.model is None:
        return None, Status.INFEASIBLE
    budget = max(remaining(deadline) - _RESERVE * float(options.time_limit_s), 1e-3)
    first = None if start is None else restricted.shrink(start)
    found = solve_model(restricted.model, dataclasses.replace(options, time_limit_s=budget), None,
                  start=first, tuning=parameters.RESTRICTION)  # fmt: skip
    values = None if found.values is None else restricted.expand(found.values)
    return values, found.status


def _lowest_units(value: FloatArray, k: int) -> np.ndarray:
    """The `k` units of lowest value (lowest index on ties)."""
    order = np.lexsort((np.arange(len(value)), value))
    chosen = np.zeros(len(value), dtype=np.bool_)
    chosen[order[:k]] = True
    return chosen
