"""Run one benchmark case in a fresh process and print its measurements as one JSON line.

`python -m benchmarks.run KEY RUNNER [SECONDS]` with KEY `suite/name` (see `benchmarks.cases`),
RUNNER a dekkend backend (`highs`, `cpsat`, `pulp`) or a baseline (`pulp-cbc`, `scipy-milp`,
`highs-before-21`), and SECONDS a time limit other than the case's. A fresh
process per run gives a clean peak memory (`ru_maxrss`) and lets the caller enforce a wall-clock
watchdog (CBC overruns its time limit). `measure` runs it that way; `run_case` runs it in-process.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from benchmarks.baselines import before_frontier, pulp_baseline, scipy_baseline
from benchmarks.cases import Case, find
from solver.instance import parse_instance
from solver.options import SolveOptions
from solver.solve import solve

BEFORE_FRONTIER = "highs-before-21"  # our HiGHS backend without issue 21's strategies
BASELINES = ("pulp-cbc", "scipy-milp", BEFORE_FRONTIER)


@dataclass
class Measurement:
    """What one run of one case gave. Times in seconds, memory in MB."""

    case: str
    runner: str
    status: str
    objective: float | None = None
    known: float | None = None
    gap: float | None = None
    seconds: float = 0.0  # end to end: validate + build + solve + check
    build_s: float | None = None  # validate + index + diagnose + model
    solve_s: float | None = None  # the backend
    peak_mb: float | None = None
    error: str | None = None
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def rel_error(self) -> float | None:
        """Relative distance of the objective from the known optimum."""
        if self.objective is None or self.known is None:
            return None
        return abs(self.objective - self.known) / max(1.0, abs(self.known))


class _Phases(logging.Handler):
    """Catches the phase timings `solver.solve` logs."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.phases: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        phases = getattr(record, "phases", None)
        if phases:
            self.phases = dict(phases)


def run_case(case: Case, runner: str) -> Measurement:
    """Run `case` with `runner` in this process."""
    raw = case.make()
    started = time.perf_counter()
    inst = parse_instance(raw)
    validated = time.perf_counter() - started
    if runner == BEFORE_FRONTIER:
        with before_frontier():
            found = run_case(case, "highs")
        return dataclasses.replace(found, runner=runner)
    if runner in BASELINES:
        run = pulp_baseline if runner == "pulp-cbc" else scipy_baseline
        base = run(inst, time_limit_s=case.time_limit_s, gap=case.gap)
        return Measurement(case.key, runner, base.status, base.objective, case.known,
                           seconds=validated + base.seconds)  # fmt: skip
    handler = _Phases()
    logger = logging.getLogger("solver.solve")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        options = SolveOptions(backend=runner, time_limit_s=case.time_limit_s, gap=case.gap)
        result = solve(inst, options=options)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    seconds = time.perf_counter() - started
    p = handler.phases
    build = validated + p.get("data", 0.0) + p.get("diagnose", 0.0) + p.get("model", 0.0)
    return Measurement(
        case.key,
        runner,
        result.status.value,
        result.objective,
        case.known,
        gap=result.gap,
        seconds=seconds,
        build_s=build,
        solve_s=p.get("backend"),
        phases={"validate": validated, **p},
    )


def measure(case: Case, runner: str, *, watchdog_s: float | None = None) -> Measurement:
    """Run `case` with `runner` in a fresh process; a run past the watchdog is killed."""
    limit = watchdog_s or 2 * case.time_limit_s + 120
    cmd = [sys.executable, "-m", "benchmarks.run", case.key, runner]
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        seconds = time.perf_counter() - started
        return Measurement(case.key, runner, "killed", known=case.known, seconds=seconds,
                           error=f"killed by the {limit:.0f} s watchdog")  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Measurement(case.key, runner, "error", known=case.known, error=tail)
    fields: dict[str, Any] = json.loads(lines[-1])
    return Measurement(**fields)


def main(argv: list[str]) -> int:
    """Entry point of `python -m benchmarks.run KEY RUNNER [SECONDS]` (SECONDS: another limit)."""
    key, runner, *limit = argv
    case = find(key)
    if limit:
        case = dataclasses.replace(case, time_limit_s=float(limit[0]))
    found = run_case(case, runner)
    found.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    sys.stdout.write(json.dumps(asdict(found)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
