"""Exact Shapley + core on the bundled regions (targets: Achterhoek ≤ 5 s, Groningen ≤ 60 s).

Not part of `make test`: run with
    .venv/bin/python -m pytest benchmarks/test_shapley_bench.py --benchmark-only -s
Each run asserts quality too: every coalition proven optimal, Σ amounts = regional cost (cents).
The baseline (same run) is the reference definition of c(S): each coalition's instance
restricted and solved by `solve` from scratch, on a sample of coalitions.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from solver.analysis.split_by_rule import run_split
from solver.instance import load_instance
from solver.options import SolveOptions
from solver.solve import solve
from solver.split.game.coalitions import GAME_GAP, CoalitionSolver
from solver.split.game.engines import LocalEngine
from solver.split.game.play import GameSettings
from solver.split.game.restrict import members_of, restrict

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
        lambda: run_split(
            instance, rule="shapley", game=GameSettings(engine=LocalEngine(workers=2))
        ),
        rounds=1,
        iterations=1,
    )
    split = result.cost_split
    assert split is not None, result.notes
    cents = sum(round(a.amount * 100) for a in split.amounts)
    assert cents == round(result.regional_cost * 100)
    assert split.core["unproven_count"] == 0


BASELINE_SAMPLE = 24  # coalitions timed both ways (~0.25 s each)


def test_coalition_path_against_the_reference_definition(benchmark) -> None:
    """The coalition path (one model, re-bounded) against `solve(restrict(instance, S))`.

    Both in this process, one core, on the same random Achterhoek coalitions to the game's gap;
    the values must agree. `extra_info` keeps both times and their ratio (< 1: ours is faster).
    """
    instance = load_instance(CASES["achterhoek"])
    ids = [m.id for m in instance.municipalities]
    masks = random.Random(5).sample(range(1, 1 << len(ids)), BASELINE_SAMPLE)
    solver = CoalitionSolver(instance)
    ours = benchmark.pedantic(
        lambda: {mask: solver.solve(mask)[0] for mask in masks}, rounds=1, iterations=1
    )
    started = time.perf_counter()
    reference = {
        mask: solve(restrict(instance, members_of(mask, ids)), options=SolveOptions(gap=GAME_GAP))
        for mask in masks
    }
    reference_s = time.perf_counter() - started
    for mask in masks:
        assert ours[mask].status == reference[mask].status == "optimal"
        assert ours[mask].cost == pytest.approx(reference[mask].objective, rel=1e-9)
    ours_s = benchmark.stats.stats.total
    benchmark.extra_info.update(
        {"reference_s": round(reference_s, 2), "ratio": round(ours_s / reference_s, 2)}
    )
    print(f"\n{BASELINE_SAMPLE} coalitions: ours {ours_s:.2f} s, reference {reference_s:.2f} s, "
          f"ratio {ours_s / reference_s:.2f}")  # fmt: skip
