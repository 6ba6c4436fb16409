"""Backends: each turns a `MatrixModel` into a `BackendOutcome`; looked up by name.

Every backend maps every native status of its solver explicitly; an unknown one raises (a bug that
names itself). No solver object leaves its module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from solver.errors import UnknownBackend
from solver.formulation import MatrixModel
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


def get_backend(name: str) -> Backend:
    """The backend function for `highs`, `cpsat`, `pulp` or `pulp:SOLVER`."""
    kind = name.split(":", 1)[0]
    if kind == "highs":
        from solver.backends.highs import solve_highs

        return solve_highs
    if kind == "cpsat":
        from solver.backends.cpsat import solve_cpsat

        return solve_cpsat
    if kind == "pulp":
        from solver.backends.pulp import solve_pulp

        return solve_pulp
    raise UnknownBackend(f"unknown backend {name!r}: choose highs, cpsat or pulp[:SOLVER]")
