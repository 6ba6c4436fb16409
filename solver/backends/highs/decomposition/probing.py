"""Lagrangian probing: close (or open) one unit at a time when the bound proves it may.

For a unit u not in the best plan, the Lagrangian bound of the model with z_u forced to 1 is a
valid bound for every plan that contracts u (it is the bound of that restricted model, computed the
same way; see `lagrangian`). A few subgradient steps from the current prices often
lift it above U, the best plan's cost; then no plan contracting u beats U and u is closed, with all
its options and flows. Symmetrically, a unit of the best plan whose forced-out bound exceeds U stays
contracted in every better plan. Each fix tightens the next probe. Stops after a fixed amount of
work (or at `until`, whichever comes first).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from solver.backends.highs.decomposition.fixing import MARGIN
from solver.backends.highs.decomposition.lagrangian import Evaluation, Lagrangian
from solver.backends.highs.decomposition.skeleton import FacilityStructure
from solver.model.data import FloatArray
from solver.model.matrix import MatrixModel

_STEPS = 40  # subgradient steps per probe
# Work per call, in flows evaluated (about 10 s on the 2-core benchmark machine): a fixed amount
# of work keeps the result independent of the machine's speed; `until` only guards the deadline.
_WORK = 3e8


@dataclasses.dataclass
class Probed:
    """Tightened bounds and how many units each direction fixed."""

    col_lo: FloatArray
    col_hi: FloatArray
    closed: int = 0
    opened: int = 0


def probe(
    lag: Lagrangian,
    ev: Evaluation,
    col_lo: FloatArray,
    col_hi: FloatArray,
    plan: np.ndarray,
    upper: float,
    until: float,
) -> Probed:
    """Probe the undecided units, those outside the plan first (see the module docstring)."""
    s, model = lag.s, lag.model
    out = Probed(col_lo.copy(), col_hi.copy())
    undecided = (out.col_hi[s.z] >= 1) & (out.col_lo[s.z] < 1)
    in_plan = plan[s.z] > 0.5
    # outside the plan: most expensive to open first (the likeliest to close)
    candidates = np.flatnonzero(undecided & ~in_plan)
    order = candidates[np.argsort(-ev.unit_value[candidates], kind="stable")]
    tasks = [(int(u), True) for u in order]
    tasks += [(int(u), False) for u in np.flatnonzero(undecided & in_plan)]
    threshold = upper + MARGIN * max(1.0, abs(upper))
    budget = int(_WORK // max(_STEPS * len(s.x), 1))
    for unit, force_open in tasks[:budget]:
        if time.monotonic() >= until:
            break
        lo, hi = out.col_lo.copy(), out.col_hi.copy()
        if force_open:
            lo[s.z[unit]] = 1.0
        else:
            _close(s, hi, unit)
        trial = Lagrangian(_with_bounds(model, lo, hi), s)
        found = trial.maximise(ev.pi, upper, deadline=until, iterations=_STEPS)
        if found.bound > threshold:
            if force_open:
                _close(s, out.col_hi, unit)
                out.closed += 1
            else:
                out.col_lo[s.z[unit]] = 1.0
                out.opened += 1
    return out


def _close(s: FacilityStructure, hi: FloatArray, unit: int) -> None:
    """Bounds of a closed unit: its contract, options and flows at 0."""
    hi[s.z[unit]] = 0.0
    options = s.y_z == unit
    hi[s.y[options]] = 0.0
    hi[s.x[options[s.member_y[s.x_member]]]] = 0.0


def _with_bounds(model: MatrixModel, lo: FloatArray, hi: FloatArray) -> MatrixModel:
    return dataclasses.replace(model, col_lo=lo, col_hi=hi)
