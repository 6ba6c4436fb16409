"""OR-Tools CP-SAT backend: the shared model with money scaled to integer cents.

CP-SAT works on integers. This module is the one place where money is scaled: every euro amount
(objective coefficients, budget rows) is multiplied by `CENTS_PER_EURO` and rounded, so the
resolution is one cent per client-year. Input money with at most two decimals (as every bid is
written) scales exactly; anything finer is rounded and said in the result's notes. Right-hand
sides of ≤ rows are rounded down, so a scaled plan never breaks an unscaled budget by more than
the rounding of its coefficients; the independent checker verifies the real one in float64.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from solver.backends.outcome import BackendOutcome, gap_closed, relative_gap
from solver.i18n.messages import E_
from solver.model.matrix import MatrixModel
from solver.options import Progress, ProgressCallback, SolveOptions
from solver.result import Status

CENTS_PER_EURO = 100
# CP-SAT proves bounds far better with several workers, even on two cores (STYLE, measured).
MIN_WORKERS = 8
_EXACT = 1e-6


def solve_cpsat(
    model: MatrixModel, options: SolveOptions, on_progress: ProgressCallback | None
) -> BackendOutcome:
    """Solve with CP-SAT; `optimal` only when CP-SAT proves the requested relative gap."""
    notes: list[str] = []
    cp = cp_model.CpModel()
    lo = np.ceil(model.col_lo - _EXACT).astype(np.int64)
    hi = np.floor(model.col_hi + _EXACT).astype(np.int64)
    xs = [
        cp.new_int_var(int(a), int(b), f"v{i}") for i, (a, b) in enumerate(zip(lo, hi, strict=True))
    ]
    _add_rows(cp, model, xs, notes)
    cost, exact = _scale(model.cost)
    if not exact:
        notes.append(E_("objective coefficients rounded to whole cents for CP-SAT"))
    nz = np.flatnonzero(cost)
    cp.minimize(cp_model.LinearExpr.weighted_sum([xs[i] for i in nz], cost[nz].tolist()))

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = float(options.time_limit_s)
    params.relative_gap_limit = float(options.gap)
    params.random_seed = int(options.seed)
    params.num_workers = max(MIN_WORKERS, int(options.threads))
    # interleaved search makes a multi-worker run deterministic for a given seed and workers
    params.interleave_search = True
    params.log_search_progress = options.log
    callback = _ProgressRelay(on_progress) if on_progress else None
    code = solver.solve(cp, callback) if callback else solver.solve(cp)

    status = _status(solver, code, options.gap)
    if status in (Status.INFEASIBLE, Status.NO_SOLUTION):
        return BackendOutcome(status, None, None, "cpsat", notes)
    values = np.array([solver.value(v) for v in xs], dtype=np.float64)
    bound = solver.best_objective_bound / CENTS_PER_EURO
    return BackendOutcome(status, values, bound, "cpsat", notes)


def _status(solver: cp_model.CpSolver, code: Any, gap: float) -> Status:
    """Map every CP-SAT status; FEASIBLE within the requested gap is optimal by definition."""
    if code == cp_model.OPTIMAL:
        return Status.OPTIMAL
    if code == cp_model.FEASIBLE:
        objective = solver.objective_value / CENTS_PER_EURO
        bound = solver.best_objective_bound / CENTS_PER_EURO
        return Status.OPTIMAL if gap_closed(objective, bound, gap) else Status.FEASIBLE
    if code == cp_model.INFEASIBLE:
        return Status.INFEASIBLE
    if code == cp_model.UNKNOWN:
        return Status.NO_SOLUTION
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError("CP-SAT rejected the model as invalid (a bug in dekkend)")
    raise RuntimeError(f"CP-SAT returned a status dekkend does not know: {code}")


def _integral(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """Round to integers; whether they already were (within float noise)."""
    rounded = np.rint(values)
    return rounded.astype(np.int64), bool(np.all(np.abs(values - rounded) <= _EXACT))


def _scale(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """Euros -> integer cents; whether the scaling was exact."""
    return _integral(values * CENTS_PER_EURO)


def _add_rows(
    cp: cp_model.CpModel, model: MatrixModel, xs: list[cp_model.IntVar], notes: list[str]
) -> None:
    """Each row lo ≤ a·x ≤ hi as an integer constraint, money rows in cents."""
    csr = model.matrix
    inexact = False
    for r in range(model.n_rows):
        start, end = csr.indptr[r], csr.indptr[r + 1]
        cols, vals = csr.indices[start:end], csr.data[start:end]
        factor = CENTS_PER_EURO if model.money_rows[r] else 1
        coefs, exact = _integral(vals * factor)
        inexact |= not exact
        lo = model.row_lo[r] * factor
        hi = model.row_hi[r] * factor
        lb = cp_model.INT_MIN if math.isinf(lo) else math.ceil(lo - _EXACT)
        ub = cp_model.INT_MAX if math.isinf(hi) else math.floor(hi + _EXACT)
        expr = cp_model.LinearExpr.weighted_sum([xs[c] for c in cols], coefs.tolist())
        cp.add_linear_constraint(expr, lb, ub)
    if inexact:
        notes.append(E_("budget coefficients rounded to whole cents for CP-SAT"))


class _ProgressRelay(cp_model.CpSolverSolutionCallback):
    """Passes each improving solution to the progress callback; stops when it asks."""

    def __init__(self, on_progress: ProgressCallback) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.started = time.monotonic()

    def on_solution_callback(self) -> None:
        """Report objective, bound and gap in euros."""
        objective = self.objective_value / CENTS_PER_EURO
        bound = self.best_objective_bound / CENTS_PER_EURO
        gap = abs(relative_gap(objective, bound))
        if self.on_progress(Progress(objective, bound, gap, time.monotonic() - self.started)):
            self.stop_search()
