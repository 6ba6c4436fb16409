"""A first plan from the LP relaxation's support, for the single solve of a region.

Left to itself, HiGHS spends most of a region's solve finding its plan: the optimum of Achterhoek
comes from RINS after four restarts (1.0 s); from the optimal plan as a start the proof takes
0.3 s. The support of the LP relaxation holds a plan close to the optimum (Achterhoek: 0.016 %
above it, in 0.03 s), and from there HiGHS's tree finds the optimum while it proves it. So:

1. solve the LP relaxation of the model (every column continuous);
2. switch off every switch column (a contract y, z, w or v: every integer column except the
   client flows) the LP leaves at 0, and solve that restricted model to 0.01 %. Its plan is a plan
   of the model: it only has fewer columns to choose from;
3. solve the model from that plan, without the implied rows x ≤ b·y (`assignment_bound`: the
   capacity rows and column bounds imply them, so the integer points are the same) and without
   restarts and RINS, which re-run presolve and search for plans the start already gives.

Step 3 is the model itself, so its status and bound are the model's: `optimal` is only reported
when it proves the gap. Measured one core each, same run (ms, the model's HiGHS time): Achterhoek
1,040 → 630, Eemland 1,000 → 540, Groningen 1,040 → 670, four generated 221 × 8 regions
2,770/2,160/730/730 → 1,600/570/540/360; the pure facility models of OR-Library lose (cap41 10 →
40) and keep the plain path, see `applies`.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from solver.backends import BackendOutcome
from solver.backends.deadline import remaining
from solver.backends.facility import is_pure
from solver.formulation import MatrixModel
from solver.model_ops import drop_families, lp_duals
from solver.options import SolveOptions

log = logging.getLogger(__name__)

Inner = Callable[..., BackendOutcome]  # solve_highs without this path (it imports this module)

# Rows the final run leaves out: implied by the capacity rows and the column bounds.
_IMPLIED_FAMILIES = ("assignment_bound",)

# HiGHS options of the final run, on top of the caller's.
GUIDED_TUNING: dict[str, bool] = {"mip_allow_restart": False, "mip_heuristic_run_rins": False}

_IN_LP = 1e-6  # a switch this much on in the LP stays free in the restricted model
_PLAN_GAP = 1e-4  # the restricted model is solved to this relative gap: a start, not the answer
_PLAN_SHARE = 0.2  # at most this share of the time left goes to the plan


def applies(model: MatrixModel) -> bool:
    """Whether the model has rules beyond facility location (the regions of the SPEC)."""
    return not is_pure(model)


@dataclass(frozen=True, eq=False)
class Guide:
    """What the LP gave: its bound (None when it did not solve) and the plan (None: none found)."""

    bound: float | None
    plan: np.ndarray | None


def support_plan(
    model: MatrixModel,
    switches: np.ndarray,
    options: SolveOptions,
    deadline: float,
    inner: Inner,
) -> Guide:
    """The LP relaxation's bound and a plan from its support (steps 1–2).

    `switches` marks the columns a zero in the LP switches off.
    """
    started = time.monotonic()
    lp = lp_duals(model, deadline=started + _PLAN_SHARE * remaining(deadline),
                  threads=int(options.threads))  # fmt: skip
    if lp is None:
        return Guide(None, None)  # infeasible, or out of time: the plain path says which
    bound = lp.objective
    off = switches & (lp.values <= _IN_LP) & (model.col_lo <= 0)
    restricted = dataclasses.replace(model, col_hi=np.where(off, 0.0, model.col_hi))
    budget = max(_PLAN_SHARE * remaining(deadline), 1e-3)
    found = inner(
        restricted,
        dataclasses.replace(options, gap=max(options.gap, _PLAN_GAP), time_limit_s=budget),
        None,
        tuning=GUIDED_TUNING,
    )
    if found.values is None:
        return Guide(bound, None)
    log.info(
        "guided: plan %.6g from %d of %d switches in %.2f s",
        float(model.cost @ found.values),
        int(switches.sum() - off.sum()),
        int(switches.sum()),
        time.monotonic() - started,
    )
    return Guide(bound, found.values)


def without_implied_rows(model: MatrixModel) -> MatrixModel:
    """The model the final run solves (step 3): same columns, same integer points."""
    return drop_families(model, _IMPLIED_FAMILIES)
