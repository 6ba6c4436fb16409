"""Benchmark results: kept in results.json (merged run after run), rendered to RESULTS.md.

Runs of different suites accumulate: each (case, runner) keeps its latest measurement, so the
table can be rebuilt from suites run on different occasions. RESULTS.md is shared with other
benchmarks (Shapley, API load): only the part between the two markers below is rewritten.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.run import BASELINES, Measurement

HERE = Path(__file__).resolve().parent
STORE = HERE / "results.json"
REPORT = HERE / "RESULTS.md"
BEGIN = "<!-- solver benchmarks (make bench): begin -->"
END = "<!-- solver benchmarks (make bench): end -->"


def merge(found: list[Measurement], store: Path = STORE) -> list[Measurement]:
    """Stored measurements updated with `found`; saved back to `store`."""
    rows: dict[tuple[str, str], dict] = {}
    if store.is_file():
        for row in json.loads(store.read_text(encoding="utf-8")):
            rows[row["case"], row["runner"]] = row
    stamp = time.strftime("%Y-%m-%d %H:%M")
    for m in found:
        rows[m.case, m.runner] = {**asdict(m), "when": stamp}
    ordered = [rows[k] for k in sorted(rows)]
    store.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")
    return [Measurement(**{k: v for k, v in row.items() if k != "when"}) for row in ordered]


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _sec(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _ratio(ours: Measurement, base: Measurement | None) -> str:
    if base is None:
        return ""
    proven = base.status == "optimal"
    text = f"{base.seconds:.2f}" if proven else f"≥{base.seconds:.0f} ({base.status})"
    if ours.seconds and base.seconds:
        ratio = ours.seconds / base.seconds
        text += f" / {'≤' if not proven else ''}{ratio:.2f}×"
    return text


def render(rows: list[Measurement]) -> str:
    """RESULTS.md: one table per suite, baselines joined to our rows of the same case."""
    base = {(m.case, m.runner): m for m in rows if m.runner in BASELINES}
    ours = [m for m in rows if m.runner not in BASELINES]
    lines = [
        "# Solver benchmarks: regions, scale ladder, OR-Library (`make bench`)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; written by `make bench` (`benchmarks/`), "
        f"{time.strftime('%Y-%m-%d %H:%M')}. Every run is a fresh process (peak memory = its "
        "ru_maxrss). Seconds are end to end (validate + build + solve + check); build = validate + "
        "index + diagnose + model; solve = the backend. Baseline columns: seconds / our time as a "
        "ratio of theirs (< 1 = we are faster); `≥T (feasible)` = the baseline hit its time limit "
        "without proving optimality, so the ratio is an upper bound. The machine is shared: "
        "timings are noisy, ratios were measured in the same run.",
        "",
    ]
    suites = sorted({m.case.split("/")[0] for m in ours})
    for suite in suites:
        lines += [
            f"## {suite}",
            "",
            "| instance | backend | status | objective | known optimum | rel. error | gap | "
            "build s | solve s | total s | PuLP+CBC s / ratio | scipy.milp s / ratio | peak MB |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for m in (m for m in ours if m.case.startswith(suite + "/")):
            err = m.rel_error
            lines.append(
                f"| {m.case.split('/', 1)[1]} | {m.runner} | {m.status} | {_num(m.objective)} | "
                f"{_num(m.known)} | {'' if err is None else f'{err:.1e}'} | "
                f"{'' if m.gap is None else f'{m.gap:.1e}'} | {_sec(m.build_s)} | "
                f"{_sec(m.solve_s)} | {_sec(m.seconds)} | "
                f"{_ratio(m, base.get((m.case, 'pulp-cbc')))} | "
                f"{_ratio(m, base.get((m.case, 'scipy-milp')))} | {_num(m.peak_mb, 0)} |"
            )
        lines.append("")
    return "\n".join(lines)


def write(found: list[Measurement], report: Path = REPORT, store: Path = STORE) -> Path:
    """Merge `found` into the store and rewrite this module's part of RESULTS.md."""
    part = f"{BEGIN}\n{render(merge(found, store))}\n{END}"
    text = report.read_text(encoding="utf-8") if report.is_file() else ""
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        text = head + part + rest.partition(END)[2]
    else:
        text = f"{part}\n\n{text}" if text else part + "\n"
    report.write_text(text, encoding="utf-8")
    return report
