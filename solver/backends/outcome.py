"""Backends: each turns a `MatrixModel` into a `BackendOutcome`; looked up by name.

Every backend maps every native status of its solver explicitly; an unknown one raises (a bug that
names itself). No solver object leaves its module.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from solver.errors import UnknownBackend
from solver.model.formulation import MatrixModel
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

# How far a proof may seem to miss the requested gap before it is not believed, relative to the
# objective: solvers measure gaps against other denominators, and CP-SAT proves its bound on
# costs rounded to cents (up to half a cent per client). HiGHS also stops at an absolute 1e-6.
_ROUNDING = 1e-5
_ABS_GAP = 1e-6


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
    left = objective - outcome.bound
    if left <= max((gap + _ROUNDING) * max(abs(objective), 1.0), _ABS_GAP):
        return outcome
    note = (
        f"{outcome.backend} said optimal, but its bound {outcome.bound:,.2f} leaves a gap of "
        f"{left / max(abs(objective), 1e-9):.2e} (requested {gap:g}): reported as feasible"
    )
    return dataclasses.replace(outcome, status=Status.FEASIBLE, notes=[*outcome.notes, note])


def get_backend(name: str) -> Backend:
    """The backend function for `highs`, `cpsat`, `pulp` or `pulp:SOLVER`."""
    kind = name.split(":", 1)[0]
    if kind == "highs":
        from solver.backends.highs.backend import solve_highs

        return solve_highs
    if kind == "cpsat":
        from solver.backends.cpsat import solve_cpsat

        return solve_cpsat
    if kind == "pulp":
        from solver.backends.pulp.backend import solve_pulp

        return solve_pulp
    raise UnknownBackend(f"unknown backend {name!r}: choose highs, cpsat or pulp[:SOLVER]")
