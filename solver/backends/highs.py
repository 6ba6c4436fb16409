"""The default backend: HiGHS through highspy, the model passed as column-wise arrays."""

from __future__ import annotations

import logging
import time

import highspy
import numpy as np

from solver.backends import BackendOutcome
from solver.formulation import MatrixModel
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


_PROGRESS_EVERY_S = 0.5

# HiGHS keeps one thread pool per process, sized by the first run; a later run asking for another
# size fails unless the pool is reset first.
_pool_threads: int | None = None


def _use_threads(threads: int) -> None:
    global _pool_threads
    if _pool_threads is not None and _pool_threads != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _pool_threads = threads


def solve_highs(
    model: MatrixModel, options: SolveOptions, on_progress: ProgressCallback | None
) -> BackendOutcome:
    """Solve with HiGHS; `optimal` only when HiGHS proves the requested relative gap."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", options.log)
    h.setOptionValue("time_limit", float(options.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(options.gap))
    h.setOptionValue("random_seed", int(options.seed))
    _use_threads(int(options.threads))
    h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("mip_feasibility_tolerance", 1e-7)
    if model.n_cols == 0:
        return BackendOutcome(Status.OPTIMAL, np.zeros(0), 0.0, "highs")
    h.passModel(_to_lp(model))
    started = time.monotonic()
    if on_progress is not None:
        _attach_progress(h, on_progress, started)
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
    if final is Status.OPTIMAL and status is _MS.kModelEmpty:
        return BackendOutcome(Status.OPTIMAL, np.zeros(model.n_cols), 0.0, "highs")
    values = np.asarray(h.getSolution().col_value, dtype=np.float64) if has_point else None
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    notes = [] if final is Status.OPTIMAL else [f"HiGHS stopped: {h.modelStatusToString(status)}"]
    return BackendOutcome(final, values if final.has_solution else None, bound, "highs", notes)


def _to_lp(model: MatrixModel) -> highspy.HighsLp:
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
    lp.integrality_ = [highspy.HighsVarType.kInteger] * model.n_cols
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
