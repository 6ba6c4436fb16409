"""What every backend returns, and the one test of whether a bound proves a gap.

`BackendOutcome` is a backend's answer on a `MatrixModel`; `gap_closed` and `relative_gap` are the
one measure of a gap that every backend, strategy and result uses; `proof_holds` turns an
`optimal` that its own bound does not support into `feasible`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from solver.i18n.messages import E_
from solver.model.matrix import MatrixModel
from solver.options import ProgressCallback, SolveOptions
from solver.result import Status


@dataclass(frozen=True, eq=False)
class BackendOutcome:
    """What a backend found: status, the variable values (None without a solution), its bound."""

    status: Status
    values: np.ndarray | None
    bound: float | None
    backend: str
    notes: list[str] = field(default_factory=list)


Backend = Callable[[MatrixModel, SolveOptions, ProgressCallback | None], BackendOutcome]

# HiGHS also calls a run optimal at an absolute gap of 1e-6 (its `mip_abs_gap`).
ABS_GAP = 1e-6
# How far a proof may seem to miss the requested gap before it is not believed, relative to the
# objective: solvers measure gaps against other denominators, and CP-SAT proves its bound on
# costs rounded to cents (up to half a cent per client).
_ROUNDING = 1e-5


def relative_gap(objective: float, bound: float) -> float:
    """(objective − bound) / max(|objective|, 1): the gap of a plan against a bound, in one measure.

    The floor of one euro keeps the gap of a (near-)zero objective finite.
    """
    return (objective - bound) / max(abs(objective), 1.0)


def gap_closed(objective: float, bound: float, gap: float, *, slack: float = 0.0) -> bool:
    """Whether `bound` proves `objective` within the relative `gap` (+ `slack`), or within 1e-6."""
    return objective - bound <= max((gap + slack) * max(abs(objective), 1.0), ABS_GAP)


def proof_holds(outcome: BackendOutcome, model: MatrixModel, gap: float) -> BackendOutcome:
    """`outcome`, but `feasible` instead of `optimal` when its own bound leaves more than `gap`.

    A backend's status is its word and its bound the evidence. They disagree only through a bug
    (in a solver, or in a reduction of ours such as reduced-cost fixing); the honest status is
    then `feasible`, and a note says why. Seen with highspy 1.16 (dekkend pins 1.12): HiGHS
    said optimal from a start plan while its own dual bound was 0.18 % lower.
    """
    if outcome.status is not Status.OPTIMAL or outcome.values is None or outcome.bound is None:
        return outcome
    objective = float(model.cost @ outcome.values)
    if gap_closed(objective, outcome.bound, gap, slack=_ROUNDING):
        return outcome
    note = E_(
        "{backend} said optimal, but its bound {bound} leaves a gap of {left} (requested "
        "{gap}): reported as feasible"
    ).format(
        backend=outcome.backend,
        bound=f"{outcome.bound:,.2f}",
        left=f"{relative_gap(objective, outcome.bound):.2e}",
        gap=f"{gap:g}",
    )
    return dataclasses.replace(outcome, status=Status.FEASIBLE, notes=[*outcome.notes, note])
