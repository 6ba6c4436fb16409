"""The default backend: HiGHS through highspy, and the choice of how to solve a model with it.

Every strategy ends in `flows.solve_model` (HiGHS with the client flows relaxed first, then made
whole). Which strategy runs is decided here, by the model's size and structure, all measured
(`benchmarks/RESULTS.md`):

- from `LARGE_MODEL` columns, models with the facility structure take the decomposition path
  (`decomposition.facility_path`, or `decomposition.lp_path` for huge models with more rules);
- below it, models with rules beyond facility location take the LP-guided start
  (`guided_start`): a plan from the LP relaxation's support, then HiGHS proves the optimum from it;
- everything else goes to HiGHS directly.

`run_mip` is the solve the analyses and explanations use for their model variants.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping

import numpy as np

from solver.backends.highs import guided_start, parameters
from solver.backends.highs.decomposition.facility_path import solve_large
from solver.backends.highs.flows import max_bound, solve_model, switch_columns
from solver.backends.outcome import BackendOutcome, proof_holds
from solver.model.matrix import MatrixModel
from solver.options import ProgressCallback, SolveOptions
from solver.result import Status

# From this many columns on, models with the facility structure take the decomposition path
# (`decomposition.facility_path`); measured, see benchmarks/RESULTS.md. The guided start stops
# here too: 5,000 x 342 (150k columns) took 28.9 s with it, 16.3 s without (same run).
LARGE_MODEL = 20_000


def solve_highs(
    model: MatrixModel,
    options: SolveOptions,
    on_progress: ProgressCallback | None,
    *,
    start: np.ndarray | None = None,
    large: bool = True,
    guided: bool = True,
    tuning: Mapping[str, parameters.HighsValue] | None = None,
) -> BackendOutcome:
    """Solve with HiGHS; `optimal` only when HiGHS proves the requested relative gap.

    `start` is a plan to begin from; `large=False` keeps models of any size off the
    decomposition path; `guided=False` keeps a model without a start off the LP-guided start;
    `tuning` are HiGHS options set on top of `parameters.BASE`, for a caller that measured its own.
    """
    if model.n_cols == 0:
        return BackendOutcome(Status.OPTIMAL, np.zeros(0), 0.0, "highs")
    if large and model.n_cols >= LARGE_MODEL:
        found = solve_large(model, options, on_progress)
        if found is not None:
            return found
    if not (guided and start is None and model.n_cols < LARGE_MODEL):
        return solve_model(model, options, on_progress, start=start, tuning=tuning)
    if not guided_start.applies(model):
        return solve_model(model, options, on_progress, tuning=tuning)
    deadline = time.monotonic() + float(options.time_limit_s)
    integer = switch_columns(model)
    guide = guided_start.support_plan(model, integer, options, deadline)
    final, tuned = model, dict(tuning or {})
    if guide.plan is not None:
        final = guided_start.final_model(model, integer, guide)
        tuned = {**tuned, **parameters.GUIDED}
    outcome = solve_model(final, options, on_progress, start=guide.plan, tuning=tuned,
                          deadline=deadline)  # fmt: skip
    return _at_least(outcome, guide.bound, final)


def _at_least(outcome: BackendOutcome, bound: float | None, model: MatrixModel) -> BackendOutcome:
    """The outcome with its bound raised to `bound` (an LP bound), never above its plan's cost.

    A run stopped at its start plan (a progress callback, the deadline) has no bound of its own.
    """
    if bound is None or outcome.status is Status.INFEASIBLE:
        return outcome
    best = max_bound(outcome.bound, bound)
    if outcome.values is not None and best is not None:
        best = min(best, float(model.cost @ outcome.values))
    return dataclasses.replace(outcome, bound=best)


def run_mip(model: MatrixModel, options: SolveOptions) -> BackendOutcome:
    """Solve a model variant with HiGHS, whatever the solve's backend; its proof checked.

    The analyses (minimum contracts, rule costs, alternatives) and the infeasibility
    explanations ask their questions of the one formulation this way.
    """
    outcome = solve_highs(model, dataclasses.replace(options, backend="highs", log=False), None)
    return proof_holds(outcome, model, options.gap)
