"""The backends by name: `highs` (default), `cpsat`, `pulp` and `pulp:SOLVER`.

A backend is a function `(MatrixModel, SolveOptions, ProgressCallback | None) -> BackendOutcome`.
CP-SAT and PuLP are imported on first use, so a HiGHS solve never pays for loading OR-Tools' or
PuLP's Python layers.
"""

from __future__ import annotations

import importlib

from solver.backends.outcome import Backend
from solver.errors import UnknownBackend

# name -> (module, function): imported when first asked for
_BACKENDS = {
    "highs": ("solver.backends.highs.backend", "solve_highs"),
    "cpsat": ("solver.backends.cpsat", "solve_cpsat"),
    "pulp": ("solver.backends.pulp.backend", "solve_pulp"),
}


def get_backend(name: str) -> Backend:
    """The backend function for `highs`, `cpsat`, `pulp` or `pulp:SOLVER`."""
    kind = name.split(":", 1)[0]
    if kind not in _BACKENDS:
        raise UnknownBackend(f"unknown backend {name!r}: choose highs, cpsat or pulp[:SOLVER]")
    module, function = _BACKENDS[kind]
    backend: Backend = getattr(importlib.import_module(module), function)
    return backend
