"""The large-model path of the HiGHS backend: bound, plan, fixing, then HiGHS on what is left.

HiGHS alone spends most of a minute in the root LP of a 100,000-flow facility model (one row
x ≤ b·y per flow). This path never builds that LP:

1. a Lagrangian bound (`lagrangian`, subgradient steps on the demand prices);
2. a plan: HiGHS on the model restricted to the units the Lagrangian subproblem contracts and the
   next cheapest ones (and per demand row the flows of lowest reduced cost), widened until it has
   a plan; a restriction's plan is a plan of the model;
3. Lagrangian reduced-cost fixing against that plan's cost U (`fixing`);
4. HiGHS on the reduced model, with the implied aggregate capacity rows, started from the plan.

Where no capacity can bind and the swap search's unit table is the model's exact cost (p-median,
uncapacitated facility location), steps 3–4 are replaced by `benders`: a branch-and-cut over the
units from the swap search's plan, whose bound holds for the model (`benders.applies`).

Exactness: the bound reported is max(L, min(U, bound of the reduced model)) — L is valid for any
prices, and every plan cheaper than U lies in the reduced model (see `fixing`), so the optimum is
min(U, optimum of the reduced model). `optimal` is only reported when that bound proves the
requested gap for the best plan. Every step stops at the solve's deadline.
"""

from __future__ import annotations

import dataclasses
import logging
import time

import numpy as np

from solver.backends.highs.deadline import remaining
from solver.backends.highs.decomposition import benders
from solver.backends.highs.decomposition.fixing import cheapest_units, fix
from solver.backends.highs.decomposition.lagrangian import Evaluation, Lagrangian
from solver.backends.highs.decomposition.lagrangian_plan import plan_for_units, plan_from
from solver.backends.highs.decomposition.lp_path import solve_by_lp
from solver.backends.highs.decomposition.probing import probe
from solver.backends.highs.decomposition.reduced_model import (
    Reduced,
    restrict,
    with_aggregate_capacity,
)
from solver.backends.highs.decomposition.set_cover_projection import solve_projected
from solver.backends.highs.decomposition.skeleton import facility_structure, is_pure
from solver.backends.highs.decomposition.swap_search import SwapSearch
from solver.backends.outcome import BackendOutcome, gap_closed, relative_gap
from solver.i18n.messages import E_
from solver.model.matrix import MatrixModel
from solver.options import Progress, ProgressCallback, SolveOptions
from solver.result import Status

log = logging.getLogger(__name__)

# Models with rules beyond facility location take the LP-guided path (lp_path)
# from this many columns: 5,000 x 342 (150k columns) is solved by HiGHS alone in 16 s,
# 20,000 x 342 (606k) gets no plan from it in 300 s.
LP_PATH_MODEL = 300_000

_FIRST_STEPS = 300  # subgradient steps before a plan is known
_MORE_STEPS = 1500  # steps once the plan's cost is the target
_PLAN_SHARE = 0.3  # at most this share of the time left goes to finding the first plan
_PROBE_SHARE = 0.25  # at most this share of the time left goes to probing units
_FLOWS_PER_ROW = 8  # flows of lowest reduced cost kept per demand row in the plan's model
_RESERVE = 0.03  # share of the time limit kept for stopping HiGHS and the result
_TOO_BIG = 0.5  # a reduced model with this share of the columns is too big to solve at once
_RESTART_GAIN = 0.5  # a plan this share of the gap better than the last stops HiGHS to fix again


@dataclasses.dataclass
class _Best:
    """The best plan so far (original columns) and its cost."""

    values: np.ndarray | None = None
    cost: float = float("inf")

    def offer(self, model: MatrixModel, values: np.ndarray | None) -> None:
        if values is not None and float(model.cost @ values) < self.cost:
            self.values, self.cost = values, float(model.cost @ values)


def solve_large(
    model: MatrixModel,
    options: SolveOptions,
    on_progress: ProgressCallback | None,
) -> BackendOutcome | None:
    """Solve `model` by the large-model path; None when its structure does not fit the path."""
    started = time.monotonic()
    deadline = started + float(options.time_limit_s)
    if not is_pure(model):
        if model.n_cols < LP_PATH_MODEL:
            return None  # HiGHS alone does well below this size (5,000 x 342: 16 s)
        return solve_by_lp(model, options)
    structure = facility_structure(model)
    if structure is None:
        return None
    lag = Lagrangian(model, structure)
    first = lag.evaluate(lag.start())
    if not np.isfinite(first.bound):
        return None  # the skeleton alone is infeasible: let HiGHS say why
    best = _Best()

    def visit(at: Evaluation) -> None:
        best.offer(model, plan_from(lag, at))

    ev = lag.maximise(first.pi, None, deadline=deadline, iterations=_FIRST_STEPS, best=first,
                      visit=visit)  # fmt: skip
    log.info("large path: Lagrangian bound %.6g after %.2f s, plan %.6g", ev.bound,
             time.monotonic() - started, best.cost)  # fmt: skip
    swaps = SwapSearch.of(lag)
    if swaps is not None and best.values is not None:
        # no capacity binds: a swap search on the units beats a restricted HiGHS solve
        until = time.monotonic() + _PLAN_SHARE * remaining(deadline)
        units = swaps.search(best.values[lag.s.z] > 0.5, until, int(options.seed))
        best.offer(model, plan_for_units(lag, units))
        if benders.applies(lag, swaps):
            done = _by_benders(model, lag, swaps, ev.bound, best, options, deadline, on_progress,
                               started)  # fmt: skip
            if done is not None:
                return done
    else:
        best.offer(model, _first_plan(model, lag, ev, best, options, deadline))
    stop = _report(on_progress, best, ev.bound, started)
    if best.values is None:
        return BackendOutcome(Status.NO_SOLUTION, None, ev.bound, "highs",
                              [E_("large-model path: no plan before the time limit")])  # fmt: skip
    if stop and not gap_closed(best.cost, ev.bound, options.gap):
        note = E_("large-model path: stopped on request with the gap reported")
        return BackendOutcome(Status.FEASIBLE, best.values, min(ev.bound, best.cost), "highs",
                              [note])  # fmt: skip
    ev = lag.maximise(ev.pi, best.cost, deadline=deadline, iterations=_MORE_STEPS, best=ev,
                      visit=visit)  # fmt: skip
    log.info("large path: plan %.6g, bound %.6g", best.cost, ev.bound)
    if gap_closed(best.cost, ev.bound, options.gap):
        return BackendOutcome(Status.OPTIMAL, best.values, min(ev.bound, best.cost), "highs")
    return _finish(model, lag, ev, best, options, deadline, on_progress, started)


def _by_benders(
    model: MatrixModel,
    lag: Lagrangian,
    table: SwapSearch,
    bound: float,
    best: _Best,
    options: SolveOptions,
    deadline: float,
    on_progress: ProgressCallback | None,
    started: float,
) -> BackendOutcome | None:
    """Benders branch-and-cut over the units (`benders`), from the swap search's plan.

    None when the search ended but its best unit set is no plan of the model (a rule beyond the
    unit table, such as two providers per cell, breaks): the caller goes on by fixing.
    """
    assert best.values is not None
    s = lag.s
    incumbent = np.zeros(len(s.z), dtype=np.bool_)
    incumbent[s.y_z[s.member_y[s.x_member[best.values[s.x] > 0]]]] = True
    incumbent |= table.forced

    def report(cost: float, at_least: float) -> bool:
        if on_progress is None:
            return False
        lower = max(bound, at_least)
        elapsed = time.monotonic() - started
        return bool(on_progress(Progress(cost, lower, relative_gap(cost, lower), elapsed)))

    found = benders.solve(table, incumbent, deadline, options.gap, options.threads, report)
    plan = plan_for_units(lag, found.units)
    if plan is None and not found.stopped:
        return None
    best.offer(model, plan)
    # the plan of the set may drop units without clients: its cost is at most the set's
    bound = max(bound, min(found.bound, best.cost))
    _report(on_progress, best, bound, started)
    if gap_closed(best.cost, bound, options.gap):
        return BackendOutcome(Status.OPTIMAL, best.values, min(bound, best.cost), "highs")
    note = E_("large-model path: stopped at the time limit with the gap reported")
    if found.stopped and remaining(deadline) > 0:
        note = E_("large-model path: stopped on request with the gap reported")
    return BackendOutcome(Status.FEASIBLE, best.values, min(bound, best.cost), "highs", [note])


def _finish(
    model: MatrixModel,
    lag: Lagrangian,
    ev: Evaluation,
    best: _Best,
    options: SolveOptions,
    deadline: float,
    on_progress: ProgressCallback | None,
    started: float,
) -> BackendOutcome:
    """Fix against the plan, solve the reduced model; again when HiGHS finds a much better plan."""
    bound = ev.bound
    notes: list[str] = []
    widen = 2  # restrictions tried before a reduced model too big for HiGHS
    while True:
        upper = best.cost  # the reduced model holds every plan of cost ≤ upper
        reduced = _reduce(model, lag, ev, best, deadline)
        if reduced.model is None:
            bound = max(bound, upper)  # no plan cheaper than the best one exists
            break
        if remaining(deadline) <= 0:
            break
        if reduced.model.n_cols > _TOO_BIG * model.n_cols and widen <= 8:
            # fixing left most of the model: a better plan from a wider restriction first
            found = _first_plan(model, lag, ev, best, options, deadline, widen)
            widen *= 2
            if found is not None and float(model.cost @ found) < best.cost:
                best.offer(model, found)
                log.info("large path: plan %.6g from a wider restriction", best.cost)
                ev = lag.maximise(ev.pi, best.cost, deadline=deadline,
                                  iterations=_MORE_STEPS // 3, best=ev)  # fmt: skip
                bound = max(bound, ev.bound)
                if gap_closed(best.cost, bound, options.gap):
                    break
                continue
        watch = _Watch(on_progress, upper - _RESTART_GAIN * (upper - bound), bound, started)
        outcome = _run(reduced, best, options, deadline, watch)
        if outcome.values is not None:
            best.offer(model, reduced.expand(outcome.values))
        if outcome.status is Status.INFEASIBLE:
            bound = max(bound, upper)
        elif outcome.bound is not None:
            bound = max(bound, min(upper, outcome.bound))
        notes = list(outcome.notes)
        if gap_closed(best.cost, bound, options.gap) or not watch.stopped:
            break
        if remaining(deadline) <= 0:
            break
        # a much better plan: prices towards it, then fix and probe again
        log.info("large path: better plan %.6g; fixing again", best.cost)
        ev = lag.maximise(ev.pi, best.cost, deadline=deadline, iterations=_MORE_STEPS // 3, best=ev)
        bound = max(bound, ev.bound)
    _report(on_progress, best, bound, started)
    if gap_closed(best.cost, bound, options.gap):
        return BackendOutcome(Status.OPTIMAL, best.values, min(bound, best.cost), "highs")
    notes.append(E_("large-model path: stopped at the time limit with the gap reported"))
    return BackendOutcome(Status.FEASIBLE, best.values, min(bound, best.cost), "highs", notes)


def _reduce(
    model: MatrixModel, lag: Lagrangian, ev: Evaluation, best: _Best, deadline: float
) -> Reduced:
    """The model without what fixing and probing against the best plan remove."""
    assert best.values is not None
    fixing = fix(lag, ev, best.cost)
    log.info(
        "large path: fixed %d units out, %d in, %d options, %d flows of %d",
        fixing.units_out, fixing.units_in, fixing.options_out, fixing.flows_out, len(lag.s.x),
    )  # fmt: skip
    until = time.monotonic() + _PROBE_SHARE * remaining(deadline)
    probed = probe(lag, ev, fixing.col_lo, fixing.col_hi, best.values, best.cost, until)
    log.info("large path: probing closed %d units, opened %d", probed.closed, probed.opened)
    return restrict(with_aggregate_capacity(model, lag.s), probed.col_lo, probed.col_hi)


class _Watch:
    """Progress of a reduced solve: passed on (bounds made valid), stops at a much better plan."""

    def __init__(
        self, outer: ProgressCallback | None, target: float, bound: float, started: float
    ) -> None:
        self.outer, self.target, self.bound, self.started = outer, target, bound, started
        self.stopped = False

    def __call__(self, snapshot: Progress) -> bool:
        if snapshot.objective is not None and snapshot.objective <= self.target:
            self.stopped = True
        if self.outer is not None:
            bound = self.bound
            if snapshot.bound is not None and snapshot.objective is not None:
                bound = max(bound, min(snapshot.bound, snapshot.objective))
            gap = snapshot.gap
            if snapshot.objective is not None:
                gap = relative_gap(snapshot.objective, bound)
            elapsed = time.monotonic() - self.started
            if self.outer(Progress(snapshot.objective, bound, gap, elapsed)):
                self.stopped = False  # the caller asked to stop: no further round
                return True
        return self.stopped


def _run(
    reduced: Reduced,
    best: _Best,
    options: SolveOptions,
    deadline: float,
    on_progress: ProgressCallback | None,
) -> BackendOutcome:
    """HiGHS on a reduced model until the deadline, started from the best plan."""
    assert reduced.model is not None
    # HiGHS takes a moment past its limit to stop and repair flows: stop it a little early
    budget = remaining(deadline) - _RESERVE * float(options.time_limit_s)
    limit = dataclasses.replace(options, time_limit_s=max(budget, 1e-3))
    start = reduced.shrink(best.values) if best.values is not None else None
    return solve_projected(reduced.model, limit, on_progress, start=start)


def _first_plan(
    model: MatrixModel,
    lag: Lagrangian,
    ev: Evaluation,
    best: _Best,
    options: SolveOptions,
    until: float,
    scale: int = 1,
) -> np.ndarray | None:
    """A plan of a restriction: the subproblem's units and the next ones, widened on failure.

    Each attempt may use `_PLAN_SHARE` of the time left, so a slow one leaves time to widen.
    """
    s = lag.s
    extra, per_row = scale * max(10, 2 * int(ev.unit_on.sum())), scale * _FLOWS_PER_ROW
    while remaining(until) > 0:
        units = cheapest_units(lag, ev, extra)
        if best.values is not None:  # the best plan so far stays inside, as the start
            units |= best.values[s.z] > 0.5
        hi = model.col_hi.copy()
        hi[s.z[~units]] = 0.0
        hi[s.y[~units[s.y_z]]] = 0.0
        flow_ok = units[s.y_z[s.member_y[s.x_member]]]
        keep = _cheapest_flows(s.x_row, ev.reduced, flow_ok, per_row) | (ev.amount > 0) & flow_ok
        if best.values is not None:
            keep |= best.values[s.x] > 0
        hi[s.x[~keep]] = 0.0
        reduced = restrict(with_aggregate_capacity(model, s), model.col_lo, hi)
        if reduced.model is not None:
            budget = max(_PLAN_SHARE * remaining(until), 1e-3)
            limit = dataclasses.replace(options, time_limit_s=budget)
            start = None if best.values is None else reduced.shrink(best.values)
            found = solve_projected(reduced.model, limit, None, start=start)
            if found.values is not None:
                return reduced.expand(found.values)
        if units.all() and keep[flow_ok].all():
            break
        extra, per_row = 2 * extra, 2 * per_row
    return None


def _cheapest_flows(
    row: np.ndarray, reduced: np.ndarray, allowed: np.ndarray, k: int
) -> np.ndarray:
    """The `k` allowed flows of lowest reduced cost in every demand row."""
    idx = np.flatnonzero(allowed)
    order = idx[np.lexsort((idx, reduced[idx], row[idx]))]
    rows = row[order]
    rank = np.arange(len(order)) - np.searchsorted(rows, rows)
    keep = np.zeros(len(row), dtype=np.bool_)
    keep[order[rank < k]] = True
    return keep


def _report(
    on_progress: ProgressCallback | None, best: _Best, bound: float, started: float
) -> bool:
    """Tell the caller where the solve stands; True when it asks to stop."""
    if on_progress is None:
        return False
    objective = best.cost if best.values is not None else None
    gap = None if objective is None else relative_gap(objective, bound)
    return bool(on_progress(Progress(objective, bound, gap, time.monotonic() - started)))
