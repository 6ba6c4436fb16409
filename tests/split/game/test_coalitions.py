"""The fast coalition path (one model, new bounds) against the reference (restrict + solve)."""

from __future__ import annotations

import pytest

from solver.check import check
from solver.instance import dump_instance, parse_instance
from solver.options import SolveOptions
from solver.solve import solve
from solver.split.game.coalitions import CoalitionSolver, solve_batch
from solver.split.game.engines import gray_rank, make_batches
from solver.split.game.restrict import members_of, restrict
from tests.game_instances import (
    brute_force_game,
    empty_core_game,
    infeasible_alone_game,
    null_player_game,
    seeded_region,
    twin_game,
)

EXACT = SolveOptions(gap=1e-9)

GAMES = {
    "brute_force": brute_force_game,
    "twins": twin_game,
    "null_player": lambda: null_player_game(with_population_lot=True),
    "empty_core": empty_core_game,
    "infeasible_alone": infeasible_alone_game,
    "region4": lambda: seeded_region(4, 1),
    "region5": lambda: seeded_region(5, 3),
    "region4_rules": lambda: with_new_rules(seeded_region(4, 1)),
}


def with_new_rules(instance):
    """An Open House in the first lot, N−1, and at most one incumbent moving (it binds)."""
    raw = dump_instance(instance)
    raw["lots"][0]["open_house"] = True
    raw["lots"][0].pop("max_contracts", None)
    policy = raw.setdefault("policy", {})
    policy.pop("max_contracts", None)
    policy.update({"n_minus_1": True, "max_moved": 1})
    return parse_instance(raw)


def with_capacity(instance, capacity: str):
    raw = dump_instance(instance)
    raw.setdefault("policy", {}).setdefault("cost_split", {})["capacity"] = capacity
    return parse_instance(raw)


@pytest.mark.parametrize("capacity", ["proportional", "full"])
@pytest.mark.parametrize("name", sorted(GAMES))
def test_fast_path_equals_reference_on_every_coalition(name: str, capacity: str) -> None:
    instance = with_capacity(GAMES[name](), capacity)
    ids = [m.id for m in instance.municipalities]
    n = len(ids)
    fast = {v.mask: v for v in solve_batch(CoalitionSolver(instance), range(1, 1 << n))}
    for mask in range(1, 1 << n):
        restricted = restrict(instance, members_of(mask, ids))
        # the restricted instance is a valid instance in its own right
        parse_instance(dump_instance(restricted))
        reference = solve(restricted, options=EXACT)
        if reference.status == "infeasible":
            assert fast[mask].status == "infeasible", (name, mask)
            continue
        assert reference.status == "optimal"
        assert check(restricted, reference).ok
        assert fast[mask].status == "optimal", (name, mask)
        assert fast[mask].cost == pytest.approx(reference.objective, rel=1e-9, abs=1e-6)


def test_brute_force_values_by_hand() -> None:
    values = solve_batch(CoalitionSolver(brute_force_game()), range(1, 8))
    assert [v.cost for v in values] == [110, 120, 130, 60, 140, 150, 160]


def test_restriction_scales_budgets_by_client_share() -> None:
    raw = dump_instance(brute_force_game())
    raw["lots"][0]["budget_cap"] = 600.0
    instance = parse_instance(raw)
    # C has 3 of the 6 clients: half the cap; Y drops out of reach except for C
    restricted = restrict(instance, ["C"])
    assert restricted.lots[0].budget_cap == pytest.approx(300.0)
    assert [m.id for m in restricted.municipalities] == ["C"]
    assert restricted.providers[1].municipalities == ["C"]
    assert restricted.policy.cost_split.rule == "usage"


def test_infeasible_coalition_is_proven_infeasible() -> None:
    values = solve_batch(CoalitionSolver(infeasible_alone_game()), [1, 2, 3])
    assert [v.status for v in values] == ["infeasible", "infeasible", "optimal"]


def test_batches_are_gray_ordered_and_deterministic() -> None:
    batches = make_batches(range(1, 64), size=10)
    flat = [m for b in batches for m in b]
    assert sorted(flat) == list(range(1, 64))
    assert all(bin(a ^ b).count("1") == 1 for a, b in zip(flat, flat[1:], strict=False))
    assert make_batches(reversed(range(1, 64)), size=10) == batches
    assert [gray_rank(m) for m in (1, 3, 2, 6)] == [1, 2, 3, 4]
