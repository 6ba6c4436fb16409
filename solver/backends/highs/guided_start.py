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
   restarts and RINS, which re-run presolve and search for plans the start already gives; with
   every switch fixed that step 1's duals price out of any plan cheaper than step 2's
   (`final_model`: reduced-cost fixing, which keeps every such plan).

Step 3 is the model less only plans dearer than its start, so its status and bound are the
model's: `optimal` is only reported when it proves the gap. Measured one core each, same run (ms,
the model's HiGHS time): Achterhoek 1,040 → 630, Eemland 1,000 → 540, Groningen 1,040 → 670, four
generated 221 × 8 regions 2,770/2,160/730/730 → 1,600/570/540/360; the pure facility models of
OR-Library lose (cap41 10 → 40) and keep the plain path, see `applies`. The fixing of step 3 (307
of Achterhoek's 979 switches) took its final run 0.40 → 0.25 s, and `solve` end to end (two runs
each, at once): 23 regions 8.4/8.2 → 7.8/7.6 s, 12 more generated ones 29.3 → 23.9 s, 1,000 × 40
15.5 → 8.6 s; single regions vary both ways (600 × 20 seed 0: 1.8 → 2.2 s).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass

import numpy as np

from solver.backends.highs import parameters
from solver.backends.highs.deadline import remaining
from solver.backends.highs.decomposition.skeleton import is_pure
from solver.backends.highs.flows import solve_model
from solver.backends.highs.reduced_costs import fix_by_reduced_cost, safe_bound
from solver.backends.highs.run import lp_duals
from solver.model.families import ASSIGNMENT_BOUND
from solver.model.matrix import MatrixModel
from solver.model.variants import drop_families
from solver.options import SolveOptions

log = logging.getLogger(__name__)

# Rows the final run leaves out: implied by the capacity rows and the column bounds.
_IMPLIED_FAMILIES = (ASSIGNMENT_BOUND,)

_IN_LP = 1e-6  # a switch this much on in the LP stays free in the restricted model
_PLAN_GAP = 1e-4  # the restricted model is solved to this relative gap: a start, not the answer
_PLAN_SHARE = 0.2  # at most this share of the time left goes to the plan


def applies(model: MatrixModel) -> bool:
    """Whether the model has rules beyond facility location (the regions of the SPEC)."""
    return not is_pure(model)


@dataclass(frozen=True, eq=False)
class Guide:
    """What the LP gave: its bound, the plan from its support, and its row duals.

    bound and row_dual are None when the LP did not solve; plan is None when none was found.
    """

    bound: float | None
    plan: np.ndarray | None
    row_dual: np.ndarray | None = None


def support_plan(
    model: MatrixModel,
    switches: np.ndarray,
    options: SolveOptions,
    deadline: float,
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
    found = solve_model(
        restricted,
        dataclasses.replace(options, gap=max(options.gap, _PLAN_GAP), time_limit_s=budget),
        None,
        tuning=parameters.GUIDED,
    )
    if found.values is None:
        return Guide(bound, None, lp.row_dual)
    log.info(
        "guided: plan %.6g from %d of %d switches in %.2f s",
        float(model.cost @ found.values),
        int(switches.sum() - off.sum()),
        int(switches.sum()),
        time.monotonic() - started,
    )
    return Guide(bound, found.values, lp.row_dual)


def without_implied_rows(model: MatrixModel) -> MatrixModel:
    """The model without x ≤ b·y: same columns, same integer points."""
    return drop_families(model, _IMPLIED_FAMILIES)


def final_model(model: MatrixModel, switches: np.ndarray, guide: Guide) -> MatrixModel:
    """The model the final run solves (step 3): without x ≤ b·y, switches fixed by reduced cost.

    A switch is fixed where the LP's duals show that every plan with it moved off its bound
    costs more than the plan (`reduced_costs.fix_by_reduced_cost`, U = the plan's cost). Switches
    are integer in every run, which that rule needs; flows are left alone (they are continuous
    in the first run). Every plan at most as costly as the guide's plan is kept, so the final
    run's optimum and bound are the model's.
    """
    final = without_implied_rows(model)
    if guide.plan is None or guide.row_dual is None:
        return final
    lower, reduced = safe_bound(model, guide.row_dual)
    lo, hi = fix_by_reduced_cost(model, lower, reduced, float(model.cost @ guide.plan))
    col_lo = np.where(switches, lo, model.col_lo)
    col_hi = np.where(switches, hi, model.col_hi)
    log.info("guided: %d of %d switches fixed by reduced cost",
             int(np.count_nonzero((col_lo > model.col_lo) | (col_hi < model.col_hi))),
             int(switches.sum()))  # fmt: skip
    return dataclasses.replace(final, col_lo=col_lo, col_hi=col_hi)
