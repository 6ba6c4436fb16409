"""Exact Shapley + core on the bundled regions (targets: Achterhoek ≤ 5 s, Groningen ≤ 60 s).

Not part of `make test`: run with
    .venv/bin/python -m pytest benchmarks/test_shapley_bench.py --benchmark-only -s
Each run asserts quality too: every coalition proven optimal, Σ amounts = regional cost (cents).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.engine import LocalEngine
from solver.fair_split import run_split
from solver.instance import load_instance

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "conformance"

CASES = {
    "achterhoek": REPO / "instances" / "achterhoek.json",
    "c11-achterhoek-scale": SHARED / "c11-achterhoek-scale.json",
    "groningen": REPO / "instances" / "groningen.json",
    "c12-twelve-municipalities": SHARED / "c12-twelve-municipalities.json",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_exact_shapley_and_core(benchmark, name: str) -> None:
    path = CASES[name]
    if not path.exists():
        pytest.skip(f"{path} is absent")
    instance = load_instance(path)
    result = benchmark.pedantic(
        lambda: run_split(instance, rule="shapley", engine=LocalEngine(workers=2)),
        rounds=1,
        iterations=1,
    )
    split = result.cost_split
    assert split is not None, result.notes
    cents = sum(round(a.amount * 100) for a in split.amounts)
    assert cents == round(result.regional_cost * 100)
    assert split.core["unproven_count"] == 0
