"""One HiGHS run: the one place a `highspy.Highs` is created and configured.

`new_highs` makes every HiGHS object dekkend uses (threads, log, hard deadline); `run_model` runs a
`MatrixModel` as a MIP and maps every HiGHS model status; `lp_duals` solves an LP relaxation with
its duals; `to_highs_lp` passes a model as column-wise arrays. Strategies (`flows`, `guided_start`,
`decomposition/`) only ever reach HiGHS through these.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping

import highspy
import numpy as np

from solver.backends.highs import parameters
from solver.backends.highs.deadline import stop_at
from solver.model.matrix import MatrixModel
from solver.options import Progress, ProgressCallback, SolveOptions
from solver.result import Status

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

_PROGRESS_EVERY_S = 0.5

# HiGHS keeps one thread pool per process, sized by the first run; a later run asking for another
# size fails unless the pool is reset first.
_pool_threads: int | None = None


def _use_threads(threads: int) -> None:
    global _pool_threads
    if _pool_threads is not None and _pool_threads != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _pool_threads = threads


def new_highs(
    *, threads: int, log: bool = False, deadline: float | None = None
) -> tuple[highspy.Highs, Callable[[], bool]]:
    """A HiGHS object with its thread count and log set, stopped at `deadline` (monotonic).

    Returns it and `fired()`: whether the deadline interrupted its run (always False without one).
    """
    _use_threads(int(threads))
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(log))
    h.setOptionValue("threads", int(threads))
    fired = stop_at(h, deadline) if deadline is not None else (lambda: False)
    return h, fired


@dataclasses.dataclass
class Run:
    """What one HiGHS run gave: mapped status, point (None without one), its dual bound."""

    status: Status
    native: object
    values: np.ndarray | None
    bound: float | None
    note: str | None


def run_model(
    model: MatrixModel,
    integer: np.ndarray,
    options: SolveOptions,
    deadline: float,
    on_progress: ProgressCallback | None,
    start: np.ndarray | None = None,
    *,
    tuning: Mapping[str, parameters.HighsValue],
) -> Run:
    """One HiGHS run of `model` with the given integer columns and options, until `deadline`."""
    # HiGHS's own limit is not checked in a long root LP: the deadline interrupts it
    h, deadline_fired = new_highs(threads=options.threads, log=options.log, deadline=deadline)
    h.setOptionValue("mip_rel_gap", float(options.gap))
    h.setOptionValue("random_seed", int(options.seed))
    h.setOptionValue("mip_feasibility_tolerance", parameters.MIP_FEASIBILITY_TOLERANCE)
    for key, value in tuning.items():
        h.setOptionValue(key, value)
    if model.n_cols > parameters.HUGE_MODEL:
        for key, value in parameters.HUGE.items():
            h.setOptionValue(key, value)
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
        return Run(final, status, point, float(model.cost @ point), None)
    values = np.asarray(h.getSolution().col_value, dtype=np.float64) if has_point else None
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    return Run(final, status, values, bound, _stop_note(h, status, deadline_fired()))


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

    `integer` all False gives the plain LP relaxation (as `lp_duals` uses).
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


@dataclasses.dataclass(frozen=True)
class LpDuals:
    """The LP optimum, its point, and the dual value of every row (∂ objective / ∂ row bound)."""

    objective: float
    values: np.ndarray
    row_dual: np.ndarray


def lp_duals(
    model: MatrixModel,
    fixed: dict[str, np.ndarray] | None = None,
    *,
    deadline: float | None = None,
    threads: int = 1,
) -> LpDuals | None:
    """Solve the LP relaxation, with the named variable blocks fixed at the given values.

    Returns None when that LP is infeasible (it cannot be when the fixed values come from a
    feasible plan, up to rounding), or when it is not solved by `deadline` (`time.monotonic()`).
    """
    col_lo, col_hi = model.col_lo.copy(), model.col_hi.copy()
    for name, values in (fixed or {}).items():
        block = model.blocks[name]
        col_lo[block] = values
        col_hi[block] = values
    relaxed = dataclasses.replace(model, col_lo=col_lo, col_hi=col_hi)
    h, _ = new_highs(threads=threads, deadline=deadline)
    h.passModel(to_highs_lp(relaxed, integer=np.zeros(model.n_cols, dtype=np.bool_)))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = h.getSolution()
    return LpDuals(
        objective=float(h.getInfo().objective_function_value),
        values=np.asarray(solution.col_value, dtype=np.float64),
        row_dual=np.asarray(solution.row_dual, dtype=np.float64),
    )
