"""How to solve: backend, limits and determinism (keyword-only, frozen)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

BACKENDS = ("highs", "cpsat", "pulp")


@dataclass(frozen=True, kw_only=True, slots=True)
class SolveOptions:
    """Options of one solve.

    `backend` is `highs` (default), `cpsat`, `pulp` (CBC) or `pulp:NAME` for any solver PuLP knows
    (`pulp:GUROBI_CMD`, `pulp:HiGHS_CMD`, ...). `gap` is the relative gap at which a solution counts
    as optimal. The same instance, seed and thread count give the same result.
    """

    backend: str = "highs"
    time_limit_s: float = 120.0
    gap: float = 1e-6
    threads: int = 1
    seed: int = 0
    log: bool = False

    def __post_init__(self) -> None:
        name = self.backend.split(":", 1)[0]
        if name not in BACKENDS:
            raise ValueError(
                f"backend must be one of {', '.join(BACKENDS)} (or pulp:SOLVER), "
                f"not {self.backend!r}"
            )
        if ":" in self.backend and name != "pulp":
            raise ValueError(f"only the pulp backend takes a solver name, not {self.backend!r}")
        if not self.time_limit_s > 0:
            raise ValueError(f"time limit must be > 0 seconds, not {self.time_limit_s}")
        if not 0 <= self.gap < 1:
            raise ValueError(f"gap must be in [0, 1), not {self.gap}")
        if self.threads < 1:
            raise ValueError(f"threads must be ≥ 1, not {self.threads}")
        if self.seed < 0:
            raise ValueError(f"seed must be ≥ 0, not {self.seed}")


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot during a solve: best objective so far, best bound, their gap, time used."""

    objective: float | None
    bound: float | None
    gap: float | None
    elapsed_s: float


# A progress callback may return True to ask the solve to stop; the best solution so far is kept.
ProgressCallback = Callable[[Progress], bool | None]
