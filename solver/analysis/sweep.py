"""Scenario sweeps: the grid of all combinations of `--set` values, solved in parallel.

Each scenario is solved by `solve()` (so checked like any plan) in a pool of worker processes;
rows come back in grid order whatever order the workers finish in, so the same sweep gives the
same files. A row holds the scenario's settings, status, objective, regional cost, contracts,
clients moved and gap; `write_sweep` writes them as JSON and as CSV beside it.
"""

from __future__ import annotations

import csv
import itertools
import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from solver.analysis.scenario import Setting, scenario, validate_settings
from solver.errors import FieldError, InvalidInput
from solver.instance import Instance, read_json
from solver.options import SolveOptions
from solver.solve import solve

FIELDS = ("status", "objective", "regional_cost", "contracts", "moved_clients", "gap", "runtime_s")

Row = dict[str, Any]


def grid(base: Instance, settings: list[Setting]) -> list[tuple[dict[str, Any], Instance]]:
    """Every combination of the settings' values as (settings dict, validated instance)."""
    raw = base.model_dump(mode="json")
    validate_settings(raw, settings)
    out = []
    for values in itertools.product(*(s.values for s in settings)):
        chosen = {s.path: v for s, v in zip(settings, values, strict=True)}
        out.append((chosen, scenario(raw, settings, values)))
    return out


def solve_row(job: tuple[Any, ...]) -> Row:
    """Solve one scenario and summarise it as a row (runs in a worker process).

    A job is (settings, instance, options) or, to keep a plan's contracts (`--fix-contracts`),
    (settings, instance, options, contracts).
    """
    chosen, instance, options = job[:3]
    fixed = job[3] if len(job) > 3 else None
    result = solve(instance, options=options, fixed=fixed)
    row: Row = {"settings": chosen, "status": result.status.value}
    row["objective"] = result.objective
    row["regional_cost"] = result.regional_cost
    row["contracts"] = len(result.contracts) if result.status.has_solution else None
    row["moved_clients"] = result.costs.moved_clients if result.costs is not None else None
    row["gap"] = result.gap
    row["runtime_s"] = round(result.runtime_s, 3)
    row["explanation"] = list(result.explanation)
    return row


def run_parallel(
    fn: Callable[[Any], Any],
    jobs: list[Any],
    *,
    workers: int = 2,
    on_done: Callable[[int, Any], None] | None = None,
) -> list[Any]:
    """`[fn(job) for job in jobs]` over a process pool, results in job order.

    `on_done(index, result)` is called in this process as each job finishes (for progress bars).
    With one worker or one job everything runs here, without a pool.
    """
    results: list[Any] = [None] * len(jobs)
    if workers <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            results[i] = fn(job)
            if on_done is not None:
                on_done(i, results[i])
        return results
    # spawn, not fork: the parent may hold solver or progress-bar threads
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(fn, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            if on_done is not None:
                on_done(i, results[i])
    return results


def sweep(
    base: Instance,
    settings: list[Setting],
    *,
    options: SolveOptions,
    workers: int = 2,
    on_done: Callable[[int, Row], None] | None = None,
) -> list[Row]:
    """Solve every scenario of the grid; one row per scenario, in grid order."""
    jobs = [(chosen, instance, options) for chosen, instance in grid(base, settings)]
    return run_parallel(solve_row, jobs, workers=workers, on_done=on_done)


def write_sweep(rows: list[Row], out: Path) -> Path:
    """Write `out` (JSON rows) and the CSV beside it; return the CSV path."""
    out.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths = list(dict.fromkeys(p for row in rows for p in row["settings"]))
    csv_path = out.with_suffix(".csv")
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*paths, *FIELDS])
        for row in rows:
            writer.writerow(
                [_cell(row["settings"].get(p)) for p in paths] + [_cell(row.get(f)) for f in FIELDS]
            )
    return csv_path


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value) if isinstance(value, dict | list) else str(value)


def read_sweep(path: Path) -> list[Row]:
    """The rows of a sweep JSON file written by `write_sweep`; `InvalidInput` when it is not one."""
    rows = read_json(path, "sweep file")
    if not isinstance(rows, list):
        raise InvalidInput([FieldError("", "must be a JSON list of rows")], "sweep file")
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("settings"), dict):
            raise InvalidInput([FieldError(f"[{i}]", "must be a row with settings")], "sweep file")
    return rows
