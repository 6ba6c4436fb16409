"""Stress and robustness of the Achterhoek plan, each against one full solve per item (same run).

Not part of `make test`: run with
    .venv/bin/python -m pytest benchmarks/test_defensible_bench.py --benchmark-only -s
Target (issue "Defensible plans"): ≤ 20 s each on a 2-core machine. The baseline is the plain
answer to each question: one full `solve` per item (a unit lost, a contract forced), estimated
from one solve timed in this run times the number of items. Quality is asserted too: one loss
per contract, the plans that make a contract open pass the checker (inside `robustness`), and
the stress report is the same on one worker and on two.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from solver.analysis.robustness import FIRM_IN, OPEN, robustness
from solver.analysis.stress import stress
from solver.instance import load_instance
from solver.options import SolveOptions
from solver.solve import solve

REPO = Path(__file__).resolve().parents[1]
ACHTERHOEK = REPO / "instances" / "achterhoek.json"


def _one_solve_s(instance) -> tuple[float, object]:
    started = time.perf_counter()
    result = solve(instance)
    return time.perf_counter() - started, result


@pytest.mark.parametrize("workers", [1, 2])
def test_stress_of_the_achterhoek_plan(benchmark, workers: int) -> None:
    instance = load_instance(ACHTERHOEK)
    solve_s, plan = _one_solve_s(instance)
    report = benchmark.pedantic(
        lambda: stress(instance, plan, workers=workers), rounds=1, iterations=1
    )
    assert len(report.losses) == len(plan.contracts)
    assert report.to_dict() == stress(instance, plan).to_dict()  # engine-independent
    took = benchmark.stats.stats.total
    baseline = solve_s * len(plan.contracts)
    benchmark.extra_info.update({"items": len(plan.contracts), "one_solve_s": round(solve_s, 3),
                                 "ratio_to_solves": round(took / baseline, 4)})  # fmt: skip
    print(f"\nstress ({workers} worker(s)): {took:.2f} s for {len(plan.contracts)} units; "
          f"one solve {solve_s:.2f} s; ratio to a solve per unit {took / baseline:.4f}; "
          f"absorbed {sum(x.absorbed for x in report.losses)}")  # fmt: skip


@pytest.mark.parametrize("workers", [1, 2])
def test_robustness_of_the_achterhoek_plan(benchmark, workers: int) -> None:
    instance = load_instance(ACHTERHOEK)
    solve_s, plan = _one_solve_s(instance)
    found = benchmark.pedantic(
        lambda: robustness(
            instance, plan, margin=0.001, options=SolveOptions(), workers=workers
        ),  # fmt: skip
        rounds=1,
        iterations=1,
    )
    assert len(found.decisions) == len(plan.contracts)
    assert {d.verdict for d in found.decisions} <= {FIRM_IN, OPEN}
    took = benchmark.stats.stats.total
    baseline = solve_s * len(plan.contracts)
    counts = {v: len(found.group(v)) for v in (FIRM_IN, OPEN)}
    ratio = took / baseline
    benchmark.extra_info.update(
        {"items": len(plan.contracts), "one_solve_s": round(solve_s, 3),
         "ratio_to_solves": round(ratio, 3), **counts}
    )  # fmt: skip
    print(f"\nrobustness 0.1% ({workers} worker(s)): {took:.2f} s for {len(plan.contracts)} "
          f"contracts; one solve {solve_s:.2f} s; ratio {ratio:.2f}; {counts}")  # fmt: skip
