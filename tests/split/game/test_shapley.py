"""SPEC §5 `shapley`: hand-computed values, the Shapley axioms, sampling, engines, refusal."""

from __future__ import annotations

import numpy as np
import pytest

from solver.analysis.split_by_rule import run_split, with_rule
from solver.check import check
from solver.solve import solve
from solver.split.game.coalitions import CoalitionSolver, solve_batch
from solver.split.game.engines import DaskEngine, LocalEngine
from solver.split.game.play import (
    GameRefused,
    GameSettings,
    permutations,
    prefix_masks,
    usable_costs,
)
from solver.split.game.shapley import shapley_exact, shapley_sampled
from tests.game_instances import (
    brute_force_game,
    infeasible_alone_game,
    null_player_game,
    seeded_region,
    twin_game,
)


def amounts(result) -> list[float]:
    return [a.amount for a in result.cost_split.amounts]


def test_brute_force_three_municipalities_by_hand() -> None:
    result = solve(brute_force_game())
    assert result.regional_cost == pytest.approx(160.0)
    assert amounts(result) == [55.0, 65.0, 40.0]
    assert [a.amount for a in result.cost_split.stand_alone] == [110.0, 120.0, 60.0]
    assert check(brute_force_game(), result).ok


def test_efficiency_to_the_cent_and_symmetry() -> None:
    instance = twin_game()
    result = solve(instance)
    cents = [round(a * 100) for a in amounts(result)]
    assert sum(cents) == round(result.regional_cost * 100)
    a, a2 = cents[0], cents[1]  # A and A2 are identical
    assert abs(a - a2) <= 1


def test_null_player_pays_its_marginal_cost_or_nothing() -> None:
    with_cover = solve(null_player_game(with_population_lot=True))
    assert amounts(with_cover) == [110.0, 30.0]
    without = solve(null_player_game(with_population_lot=False))
    assert amounts(without) == [110.0, 0.0]


def test_exact_formula_on_a_table() -> None:
    cost = np.array([0, 110, 120, 130, 60, 140, 150, 160], dtype=float)
    assert shapley_exact(cost, 3) == pytest.approx([55, 65, 40])


def test_sampled_within_three_standard_errors_of_exact() -> None:
    instance = seeded_region(8, 2, rich=False)
    values = solve_batch(CoalitionSolver(instance), range(1, 256))
    table = np.zeros(256)
    for v in values:
        assert v.status == "optimal"
        table[v.mask] = v.cost
    exact = shapley_exact(table, 8)
    orders = permutations(8, 200, seed=7)
    estimate, se = shapley_sampled(orders, {m: table[m] for m in prefix_masks(orders)})
    assert estimate.sum() == pytest.approx(table[255])
    assert np.all(se > 0)
    assert np.all(np.abs(estimate - exact) <= 3 * se)
    # reproducible from the seed
    assert np.array_equal(permutations(8, 5, seed=7), permutations(8, 5, seed=7))


def test_infeasible_coalition_refuses_the_split_naming_it() -> None:
    result = solve(infeasible_alone_game())
    assert result.status == "optimal"
    assert result.cost_split is None
    note = " ".join(result.notes)
    assert "coalition {A} cannot buy alone" in note
    assert "min_clients" in note or "clash" in note


def test_local_and_dask_engines_agree_to_the_cent() -> None:
    pytest.importorskip("dask.distributed")
    instance = seeded_region(8, 2, rich=False)  # 255 coalitions: 8 batches over 2 workers
    local = run_split(instance, game=GameSettings(engine=LocalEngine(workers=2)))
    dask = run_split(instance, game=GameSettings(engine=DaskEngine(workers=2)))
    assert local.cost_split is not None
    assert local.cost_split.model_dump() == dask.cost_split.model_dump()


def test_out_of_time_exact_split_advises_what_helps_and_says_samples_are_unused() -> None:
    instance = with_rule(brute_force_game(), "population")  # 3 municipalities: exact
    result = run_split(
        instance,
        rule="shapley",
        samples=50,
        # no coalition gets solved
        game=GameSettings(engine=LocalEngine(workers=1), time_limit_s=1e-9),
    )
    assert result.cost_split is None
    notes = " | ".join(result.notes)
    assert "7 were not solved within the time limit" in notes
    assert "raise the time limit, or solve them on more workers" in notes
    assert "fewer samples" not in notes  # sampling is not used below 13 municipalities
    assert "samples 50 not used" in notes and "computed exactly" in notes
    assert "split by the shapley rule" not in notes  # there is no split to speak of


def test_out_of_time_sampled_split_advises_fewer_samples() -> None:
    instance = seeded_region(13, 0, rich=False)  # beyond 12: sampled
    masks = [1, 2, 3]
    with pytest.raises(GameRefused, match=r"raise the time limit, or use fewer samples"):
        usable_costs(instance, masks, {}, GameSettings())


def test_a_what_if_split_that_is_made_says_which_rule_it_answers() -> None:
    result = run_split(brute_force_game(), rule="population", seed=3)
    assert result.cost_split is not None
    notes = " | ".join(result.notes)
    assert "split by the population rule instead of the instance's shapley rule" in notes
    assert "seed 3 not used: random orders are only drawn for the shapley rule" in notes


def test_progress_starts_with_the_number_of_coalitions_and_stop_is_asked_per_coalition() -> None:
    instance = brute_force_game()
    seen: list[tuple[int, int]] = []
    engine = LocalEngine(workers=1)
    values = engine.evaluate(instance, range(1, 8), on_progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 7), (7, 7)] and all(v.status == "optimal" for v in values.values())
    asked: list[int] = []
    stopping = LocalEngine(workers=1, stop=lambda: asked.append(1) or len(asked) > 2)
    values = stopping.evaluate(instance, range(1, 8))
    assert [v.status for v in values.values()].count("no_solution") == 5
