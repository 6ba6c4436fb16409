"""The default backend: HiGHS through highspy, the model passed as column-wise arrays.

Clients (`x`) and moved clients (`moved`) are integer in the model, but HiGHS is first asked for
the model with them continuous: with the contracts fixed, what is left is close to a transportation
problem whose simplex vertices are integral, and HiGHS spends far less time in cuts and heuristics
on integer flows it does not have to branch on (Achterhoek 1.9 s → 0.5 s; a national 5,000 × 342
region from no solution in 80 s to 0.01 % in 14 s). The answer stays exact:

- the relaxed model's bound is a bound of the integer model (it has more solutions);
- a relaxed solution whose flows are integral (and still satisfy every row once rounded) is a
  solution of the integer model with the same objective;
- otherwise the contracts are kept and the flows re-solved as integers (a small MIP), and when the
  gap that gives is above the requested one, the full integer model is solved, warm-started from
  it. `optimal` is only ever reported when the requested gap is proven.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
from collections.abc import Mapping

import highspy
import numpy as np

from solver.backends.highs.deadline import stop_at
from solver.backends.outcome import BackendOutcome
from solver.model.formulation import MatrixModel
from solver.model.matrix import rows_hold
from solver.options import Progress, ProgressCallback, SolveOptions
from solver.result import Status

log = logging.getLogger(__name__)

_MS = highspy.HighsModelStatus

# Every HiGHS model status, mapped. "solution" = the status when a feasible point exists.
_STATUS: dict[object, tuple[Status, Status] | None] = {
    _MS.kOptimal: (Status.OPTIMAL, Status.OPTIMAL),
    _MS.kInfeasible: (Status.INFEASIBLE, Status.INFEASIBLE),
    # every variable is bounded, so "unbounded or infeasible" can only be infeasible
    _MS.kUnboundedOrInfeasible: (Status.INFEASIBLE, Status.INFEASIBLE),
    _MS.kTimeLimit: (Status.NO_SOLUTION, Status.FEASIBLE),
    _MS.kInterrupt: (Status.NO_SOLUTION, Status.FEASIBLE),
    _MS.kHighsInterrupt: (Status.NO_SOLUTION, Status.FEASIBLE),
    _MS.kIterationLimit: (Status.NO_SOLUTION, Status.FEASIBLE),
    _MS.kSolutionLimit: (Status.NO_SOLUTION, Status.FEASIBLE),
    _MS.kMemoryLimit: (Status.NO_SOLUTION, Status.FEASIBLE),
    _MS.kObjectiveBound: (Status.NO_SOLUTION, Status.FEASIBLE),
    _MS.kObjectiveTarget: (Status.NO_SOLUTION, Status.FEASIBLE),
    # errors and impossible states: a bug or a broken model, never a result
    _MS.kNotset: None,
    _MS.kLoadError: None,
    _MS.kModelError: None,
    _MS.kPresolveError: None,
    _MS.kSolveError: None,
    _MS.kPostsolveError: None,
    _MS.kUnbounded: None,
    _MS.kUnknown: (Status.NO_SOLUTION, Status.FEASIBLE),
    _MS.kModelEmpty: (Status.OPTIMAL, Status.OPTIMAL),
}

# Blocks that are integer in the model but solved continuous first (see the module docstring).
RELAXED_BLOCKS = ("x", "moved")

# Measured on the bundled regions and the scale ladder: the root reduced-cost heuristic and the
# feasibility jump cost more than they find once the flows are continuous (Achterhoek 1.05 s →
# 0.5 s, 1,000 × 40 12 s → 9 s); RINS at the root then finds the plans. RENS, too, costs more than
# it finds here: six regions (bundled + conformance c05/c10/c11) 2.93 s → 2.29 s in all,
# Groningen 1.09 → 0.59 s, Achterhoek 0.71 → 0.57 s; 1,000 × 40 unchanged (11.1 vs 11.7 s).
HighsValue = bool | int | float | str  # the value of one HiGHS option

_TUNING: dict[str, HighsValue] = {
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rens": False,
}

# Above this many columns feasibility jump is switched back on. Measured: p-median pmed26 (361k
# columns) gave no plan in 60 s without it and a plan with it (13,936; optimum 9,917); the tuned
# cases above (5,000 x 342 is 150k columns) stay below the line.
_HUGE_MODEL = 200_000

# From this many columns on, models with the facility structure take the large-model path
# (solver.backends.large); measured, see benchmarks/RESULTS.md.
LARGE_MODEL = 20_000

_REPAIR_GRACE_S = 2.0  # time the flow repair may take past the deadline
_INTEGRAL_TOL = 1e-6  # a relaxed flow this close to a whole number is that number
_ROW_TOL = 1e-6  # relative slack when re-checking rows after rounding

_PROGRESS_EVERY_S = 0.5

# HiGHS keeps one thread pool per process, sized by the first run; a later run asking for another
# size fails unless the pool is reset first.
_pool_threads: int | None = None


def _use_threads(threads: int) -> None:
    global _pool_threads
    if _pool_threads is not None and _pool_threads != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _pool_threads = threads


@dataclasses.dataclass
class _Run:
    """What one HiGHS run gave: mapped status, point (None without one), its dual bound."""

    status: Status
    native: object
    values: np.ndarray | None
    bound: float | None
    note: str | None


def solve_highs(
    model: MatrixModel,
    options: SolveOptions,
    on_progress: ProgressCallback | None,
    *,
    start: np.ndarray | None = None,
    large: bool = True,
    guided: bool = True,
    tuning: Mapping[str, HighsValue] | None = None,
) -> BackendOutcome:
    """Solve with HiGHS; `optimal` only when HiGHS proves the requested relative gap.

    `start` is a plan to begin from; `large=False` keeps models of any size off the large-model
    path (`solver.backends.large`, which calls back here for its smaller models); `guided=False`
    keeps a model without a start off the LP-guided start (`solver.backends.guided`); `tuning`
    are HiGHS options set on top of `_TUNING`, for a caller that measured its own.
    """
    _use_threads(int(options.threads))
    if model.n_cols == 0:
        return BackendOutcome(Status.OPTIMAL, np.zeros(0), 0.0, "highs")
    if large and model.n_cols >= LARGE_MODEL:
        from solver.backends.highs.decomposition.facility_path import solve_large

        inner = functools.partial(solve_highs, large=False, guided=False)
        found = solve_large(model, options, on_progress, inner)
        if found is not None:
            return found
    deadline = time.monotonic() + float(options.time_limit_s)
    integer = switch_columns(model)
    tuned = {**_TUNING, **(tuning or {})}
    lp_bound: float | None = None
    # not above LARGE_MODEL: 5,000 x 342 (150k columns) took 28.9 s with the guided start, 16.3 s
    # without (same run)
    if guided and start is None and model.n_cols < LARGE_MODEL:
        from solver.backends.highs import guided_start as lp_guided  # it calls back here

        if lp_guided.applies(model):
            inner = functools.partial(solve_highs, large=False, guided=False)
            guide = lp_guided.support_plan(model, integer, options, deadline, inner)
            lp_bound = guide.bound
            if guide.plan is not None:
                start = guide.plan
                model = lp_guided.final_model(model, integer, guide)
                tuned = {**tuned, **lp_guided.GUIDED_TUNING}
    outcome = _solve(model, integer, options, deadline, on_progress, start, tuned)
    return _at_least(outcome, lp_bound, model)


def switch_columns(model: MatrixModel) -> np.ndarray:
    """(n_cols,) bool: the columns kept integer in the first run, all but `RELAXED_BLOCKS`."""
    integer = np.ones(model.n_cols, dtype=np.bool_)
    for name in RELAXED_BLOCKS:
        if name in model.blocks:
            integer[model.blocks[name]] = False
    return integer


def _solve(
    model: MatrixModel,
    integer: np.ndarray,
    options: SolveOptions,
    deadline: float,
    on_progress: ProgressCallback | None,
    start: np.ndarray | None,
    tuning: Mapping[str, HighsValue],
) -> BackendOutcome:
    """HiGHS with the flows relaxed, then the flows rounded or repaired (module docstring)."""
    first = _run(model, integer, options, deadline, on_progress, start=start, tuning=tuning)
    if integer.all() or first.values is None:
        return _outcome(first)
    rounded = _round_flows(model, first.values, ~integer)
    if rounded is not None:
        return _outcome(dataclasses.replace(first, values=rounded))
    return _repair(model, first, integer, options, deadline, on_progress, tuning)


def _at_least(outcome: BackendOutcome, bound: float | None, model: MatrixModel) -> BackendOutcome:
    """The outcome with its bound raised to `bound` (an LP bound), never above its plan's cost.

    A run stopped at its start plan (a progress callback, the deadline) has no bound of its own.
    """
    if bound is None or outcome.status is Status.INFEASIBLE:
        return outcome
    best = _max_bound(outcome.bound, bound)
    if outcome.values is not None and best is not None:
        best = min(best, float(model.cost @ outcome.values))
    return dataclasses.replace(outcome, bound=best)


def _repair(
    model: MatrixModel,
    first: _Run,
    integer: np.ndarray,
    options: SolveOptions,
    deadline: float,
    on_progress: ProgressCallback | None,
    tuning: Mapping[str, HighsValue],
) -> BackendOutcome:
    """Fractional flows: integer flows for the same contracts, else the full integer model.

    The full model is only solved when the first plan's gap is wider than the one requested; it
    starts from that plan.
    """
    assert first.values is not None
    log.info("HiGHS: relaxed flows are fractional; re-solving them as integers")
    fixed = dataclasses.replace(
        model,
        col_lo=np.where(integer, np.rint(first.values), model.col_lo),
        col_hi=np.where(integer, np.rint(first.values), model.col_hi),
    )
    all_integer = np.ones(model.n_cols, dtype=np.bool_)
    # the contracts are fixed, so this is quick; a little grace past the deadline keeps the plan
    grace = max(deadline, time.monotonic() + _REPAIR_GRACE_S)
    flows = _run(fixed, all_integer, options, grace, None, tuning=tuning)
    start = flows.values
    best = first.bound
    if start is not None and best is not None:
        objective = float(model.cost @ start)
        if first.status is Status.OPTIMAL and objective - best <= options.gap * max(
            abs(objective), 1e-9
        ):
            return BackendOutcome(Status.OPTIMAL, start, best, "highs")
    if start is not None and time.monotonic() >= deadline:
        note = "HiGHS stopped at the time limit; flows repaired to whole clients"
        return BackendOutcome(Status.FEASIBLE, start, best, "highs", [note])
    full = _run(model, all_integer, options, deadline, on_progress, start=start, tuning=tuning)
    bound = _max_bound(first.bound, full.bound)
    if full.values is None and start is not None:
        note = "HiGHS stopped before improving the plan with integer flows"
        return BackendOutcome(Status.FEASIBLE, start, bound, "highs", [note])
    return _outcome(dataclasses.replace(full, bound=bound))


def _max_bound(a: float | None, b: float | None) -> float | None:
    values = [v for v in (a, b) if v is not None]
    return max(values) if values else None


def _outcome(run: _Run) -> BackendOutcome:
    # a proof (optimal, infeasible) needs no word on why HiGHS stopped
    proved = run.status in (Status.OPTIMAL, Status.INFEASIBLE)
    notes = [] if proved or run.note is None else [run.note]
    values = run.values if run.status.has_solution else None
    return BackendOutcome(run.status, values, run.bound, "highs", notes)


def _round_flows(model: MatrixModel, values: np.ndarray, relaxed: np.ndarray) -> np.ndarray | None:
    """The point with its relaxed columns rounded; None when they are not whole or break a row."""
    flows = values[relaxed]
    whole = np.rint(flows)
    if len(flows) and np.abs(flows - whole).max() > _INTEGRAL_TOL:
        return None
    point = values.copy()
    point[relaxed] = whole
    if not rows_hold(model, model.matrix @ point, tol=_ROW_TOL):
        return None
    return point


def _run(
    model: MatrixModel,
    integer: np.ndarray,
    options: SolveOptions,
    deadline: float,
    on_progress: ProgressCallback | None,
    start: np.ndarray | None = None,
    *,
    tuning: Mapping[str, HighsValue],
) -> _Run:
    """One HiGHS run of `model` with the given integer columns and options, until `deadline`."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", options.log)
    deadline_fired = stop_at(h, deadline)  # HiGHS's own limit is not checked in a long root LP
    h.setOptionValue("mip_rel_gap", float(options.gap))
    h.setOptionValue("random_seed", int(options.seed))
    h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("mip_feasibility_tolerance", 1e-7)
    for key, value in tuning.items():
        h.setOptionValue(key, value)
    if model.n_cols > _HUGE_MODEL:
        # the root LP of such a model can take the whole time limit; feasibility jump runs
        # before it and is then the only source of a plan (see _HUGE_MODEL)
        h.setOptionValue("mip_heuristic_run_feasibility_jump", True)
    h.passModel(to_highs_lp(model, integer))
    if start is not None:
        given = highspy.HighsSolution()
        given.col_value = list(start)
        given.value_valid = True
        h.setSolution(given)
    if on_progress is not None:
        _attach_progress(h, on_progress, time.monotonic())
    if h.run() == highspy.HighsStatus.kError:
        raise RuntimeError(f"HiGHS failed to run: {h.modelStatusToString(h.getModelStatus())}")
    status = h.getModelStatus()
    if status not in _STATUS:
        raise RuntimeError(f"HiGHS returned a model status dekkend does not know: {status}")
    mapped = _STATUS[status]
    if mapped is None:
        raise RuntimeError(f"HiGHS failed: {h.modelStatusToString(status)}")
    info = h.getInfo()
    has_point = info.primal_solution_status == 2  # kSolutionStatusFeasible
    final = mapped[1] if has_point else mapped[0]
    if status == _MS.kModelEmpty:  # highspy enum values are not singletons: ==, never `is`
        # no rows: each column sits at the bound its cost prefers
        point = np.where(model.cost < 0, model.col_hi, model.col_lo)
        return _Run(final, status, point, float(model.cost @ point), None)
    values = np.asarray(h.getSolution().col_value, dtype=np.float64) if has_point else None
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    return _Run(final, status, values, bound, _stop_note(h, status, deadline_fired()))


def _stop_note(h: highspy.Highs, status: object, at_deadline: bool) -> str:
    """Why HiGHS stopped short of its proof, in words (its own: "Interrupted by user")."""
    # highspy enum values are not singletons: compare with ==, never `is`
    if status == _MS.kTimeLimit or (status == _MS.kInterrupt and at_deadline):
        return "HiGHS stopped at the time limit"
    if status == _MS.kInterrupt:
        return "HiGHS stopped on request"  # a progress callback asked (the API's DELETE)
    return f"HiGHS stopped: {h.modelStatusToString(status)}"


def to_highs_lp(model: MatrixModel, integer: np.ndarray | None = None) -> highspy.HighsLp:
    """The model as a HiGHS LP with integrality; every column integer unless `integer` says.

    `integer` all False gives the plain LP relaxation (as `model_ops.lp_duals` uses).
    """
    csc = model.matrix.tocsc()
    lp = highspy.HighsLp()
    lp.num_col_ = model.n_cols
    lp.num_row_ = model.n_rows
    lp.col_cost_ = model.cost
    lp.col_lower_ = model.col_lo
    lp.col_upper_ = np.where(np.isinf(model.col_hi), highspy.kHighsInf, model.col_hi)
    lp.row_lower_ = np.where(np.isinf(model.row_lo), -highspy.kHighsInf, model.row_lo)
    lp.row_upper_ = np.where(np.isinf(model.row_hi), highspy.kHighsInf, model.row_hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data
    kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
    if integer is None:
        lp.integrality_ = [kinds[1]] * model.n_cols
    else:
        lp.integrality_ = [kinds[int(flag)] for flag in integer]
    return lp


def _attach_progress(h: highspy.Highs, on_progress: ProgressCallback, started: float) -> None:
    """Report improving solutions, and the bound now and then; stop when the callback asks."""
    state = {"stop": False, "last": 0.0}

    def report(event: object) -> None:
        out = event.data_out  # type: ignore[attr-defined]
        objective, bound = float(out.mip_primal_bound), float(out.mip_dual_bound)
        gap = float(out.mip_gap)
        state["last"] = time.monotonic()
        snapshot = Progress(
            objective if np.isfinite(objective) else None,
            bound if np.isfinite(bound) else None,
            gap if np.isfinite(gap) and np.isfinite(objective) else None,
            state["last"] - started,
        )
        if on_progress(snapshot):
            state["stop"] = True

    def poll(event: object) -> None:
        # HiGHS polls very often; report the moving bound at most twice a second
        if time.monotonic() - state["last"] >= _PROGRESS_EVERY_S:
            report(event)
        if state["stop"]:
            event.interrupt()  # type: ignore[attr-defined]

    h.cbMipImprovingSolution += report
    h.cbMipInterrupt += poll
