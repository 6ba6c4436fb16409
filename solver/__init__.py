"""dekkend: youth-care procurement optimisation — instance in, plan out.

The public face: `load_instance` / `parse_instance` read and validate an instance (SPEC §1),
`solve` finds, prices, splits and checks its plan (SPEC §2–§7) under `SolveOptions`, and `check`
judges any `Result` independently. Everything else is reached by its package (see README, "How
the code is laid out").

    from solver import SolveOptions, load_instance, solve
    instance = load_instance("instances/achterhoek.json")
    result = solve(instance, options=SolveOptions(time_limit_s=60))

`solver.solve` and `solver.check` are these functions; their modules are imported by full path
(`from solver.check import CheckReport`).
"""

from solver.check import CheckReport, check
from solver.errors import CheckFailed, DekkendError, InvalidInput, NotSupported, UnknownBackend
from solver.instance import Instance, load_instance, parse_instance
from solver.options import SolveOptions
from solver.result import Result, Status
from solver.solve import solve
from solver.split.game.play import GameSettings

__all__ = [
    "CheckFailed",
    "CheckReport",
    "DekkendError",
    "GameSettings",
    "Instance",
    "InvalidInput",
    "NotSupported",
    "Result",
    "SolveOptions",
    "Status",
    "UnknownBackend",
    "check",
    "load_instance",
    "parse_instance",
    "solve",
]
