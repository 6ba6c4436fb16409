"""The 7-period Achterhoek (3 + 2 + 2 years) against its 7 single years, in the same run.

Not part of `make test`: run with
    .venv/bin/python -m pytest benchmarks/test_horizon_bench.py --benchmark-only -s
Target (issue "A tender over several years"): ≤ 3× the time of the 7 single-year solves. Each
run is proven optimal and passes the checker (inside `solve`); the horizon's first period costs
at least its single year (the contracts must also carry the later years).
"""

from __future__ import annotations

import time
from pathlib import Path

from solver.horizon.periods import period_instance
from solver.instance import load_instance
from solver.result import Status
from solver.solve import solve

REPO = Path(__file__).resolve().parents[1]


def test_seven_year_achterhoek_against_seven_single_years(benchmark) -> None:
    instance = load_instance(REPO / "instances" / "achterhoek-horizon.json")
    assert instance.horizon is not None
    years = [period_instance(instance, p, first=t == 0)
             for t, p in enumerate(instance.horizon.periods)]  # fmt: skip
    started = time.perf_counter()
    singles = [solve(year) for year in years]
    singles_s = time.perf_counter() - started
    assert all(r.status is Status.OPTIMAL for r in singles)
    result = benchmark.pedantic(lambda: solve(instance), rounds=1, iterations=1)
    assert result.status is Status.OPTIMAL
    assert result.periods[0].objective >= singles[0].objective - 1e-6
    took = benchmark.stats.stats.total
    benchmark.extra_info.update(
        {"singles_s": round(singles_s, 2), "ratio": round(took / singles_s, 2)}
    )
    print(f"\n7-period Achterhoek {took:.1f} s; 7 single years {singles_s:.1f} s; "
          f"ratio {took / singles_s:.2f}; objective {result.objective:,.2f}")  # fmt: skip
