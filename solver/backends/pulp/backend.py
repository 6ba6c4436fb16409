"""PuLP backend: the portable path to CBC (default) and to any solver PuLP knows by name.

`pulp` uses CBC; `pulp:NAME` uses `pulp.getSolver(NAME)` (e.g. `pulp:GUROBI_CMD`, `pulp:HiGHS`) for
users who own another solver. PuLP can report "Optimal" after a time limit, so the status is
derived here from PuLP's solution status and the time used, never taken at its word.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pulp

from solver.backends.outcome import BackendOutcome
from solver.backends.pulp.watchdog import run_guarded
from solver.errors import UnknownBackend
from solver.model.matrix import MatrixModel
from solver.options import ProgressCallback, SolveOptions
from solver.result import Status

# A run that used this share of its time limit may have been cut off: not proven optimal.
_TIME_LIMIT_SHARE = 0.98


def solve_pulp(
    model: MatrixModel, options: SolveOptions, on_progress: ProgressCallback | None
) -> BackendOutcome:
    """Solve with PuLP and the named solver; progress is not reported through PuLP."""
    solver, name = _solver(options)
    prob = _problem(model)
    started = time.monotonic()
    try:
        # CBC (and other command-line solvers) can overrun their time limit: see watchdog
        guarded = run_guarded(
            lambda: prob.solve(solver),
            time_limit_s=float(options.time_limit_s),
            solver_path=getattr(solver, "path", None),
        )
    except pulp.PulpSolverError as exc:
        raise RuntimeError(f"PuLP solver {name} failed: {exc}") from None
    elapsed = time.monotonic() - started
    if guarded.stopped is not None and guarded.value is None:
        return BackendOutcome(Status.NO_SOLUTION, None, None, f"pulp:{name}", [guarded.stopped])
    status = _status(prob, elapsed, options.time_limit_s)
    notes = [] if status is Status.OPTIMAL else [f"{name}: {pulp.LpStatus[prob.status]}"]
    if guarded.stopped is not None:
        status = Status.FEASIBLE if status.has_solution else Status.NO_SOLUTION
        notes.append(guarded.stopped)
    if not status.has_solution:
        return BackendOutcome(status, None, None, f"pulp:{name}", notes)
    variables = prob.variablesDict()
    values = np.array(
        [variables[f"v{i}"].varValue or 0.0 if f"v{i}" in variables else 0.0
         for i in range(model.n_cols)],
        dtype=np.float64,
    )  # fmt: skip
    return BackendOutcome(status, values, None, f"pulp:{name}", notes)


def _solver(options: SolveOptions) -> tuple[pulp.LpSolver, str]:
    """The PuLP solver object for `pulp` or `pulp:NAME`, configured from the options."""
    name = options.backend.split(":", 1)[1] if ":" in options.backend else "PULP_CBC_CMD"
    common = {
        "msg": options.log,
        "timeLimit": options.time_limit_s,
        "gapRel": options.gap,
        "threads": options.threads,
    }
    if name in ("PULP_CBC_CMD", "CBC"):
        name = "PULP_CBC_CMD"
        solver = pulp.PULP_CBC_CMD(**common, options=[f"randomCbcSeed {options.seed + 1}"])
    else:
        try:
            solver = pulp.getSolver(name, **common)
        except pulp.PulpSolverError:
            known = ", ".join(pulp.listSolvers())
            raise UnknownBackend(f"PuLP knows no solver {name!r}; it knows {known}") from None
    if not solver.available():
        here = ", ".join(pulp.listSolvers(onlyAvailable=True))
        raise UnknownBackend(f"PuLP solver {name} is not installed here; available: {here}")
    return solver, name


def _problem(model: MatrixModel) -> pulp.LpProblem:
    """The shared model as PuLP objects (this is PuLP's slow path by nature)."""
    prob = pulp.LpProblem("dekkend", pulp.LpMinimize)
    xs = [
        prob.add_variable(
            f"v{i}",
            lowBound=None if math.isinf(lo) else lo,
            upBound=None if math.isinf(hi) else hi,
            cat=pulp.LpInteger,
        )
        for i, (lo, hi) in enumerate(zip(model.col_lo, model.col_hi, strict=True))
    ]
    nz = np.flatnonzero(model.cost)
    prob += pulp.LpAffineExpression([(xs[i], float(model.cost[i])) for i in nz])
    csr = model.matrix
    for r in range(model.n_rows):
        start, end = csr.indptr[r], csr.indptr[r + 1]
        expr = pulp.LpAffineExpression(
            [(xs[c], float(v)) for c, v in zip(csr.indices[start:end], csr.data[start:end],
                                               strict=True)]
        )  # fmt: skip
        lo, hi = float(model.row_lo[r]), float(model.row_hi[r])
        if lo == hi:
            prob += expr == lo, f"r{r}"
            continue
        if not math.isinf(lo):
            prob += expr >= lo, f"r{r}_lo"
        if not math.isinf(hi):
            prob += expr <= hi, f"r{r}_hi"
    return prob


def _status(prob: pulp.LpProblem, elapsed: float, time_limit: float) -> Status:
    """Derive the status from PuLP's solution status, distrusting "Optimal" at the time limit."""
    sol = prob.sol_status
    if sol == pulp.LpSolutionOptimal:
        timed_out = elapsed >= _TIME_LIMIT_SHARE * time_limit
        return Status.FEASIBLE if timed_out else Status.OPTIMAL
    if sol == pulp.LpSolutionIntegerFeasible:
        return Status.FEASIBLE
    if sol == pulp.LpSolutionInfeasible:
        return Status.INFEASIBLE
    if sol == pulp.LpSolutionNoSolutionFound:
        return Status.NO_SOLUTION
    if sol == pulp.LpSolutionUnbounded:
        raise RuntimeError("PuLP reports the model unbounded; every variable is bounded (a bug)")
    raise RuntimeError(f"PuLP returned a solution status dekkend does not know: {sol}")
