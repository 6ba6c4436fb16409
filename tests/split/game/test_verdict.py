"""The game's verdict in sentences: core or not, in euros on the amounts' scale, and why."""

from __future__ import annotations

from solver.analysis.split_by_rule import run_split, with_rule
from solver.instance import dump_instance, parse_instance
from solver.split.game.verdict import verdict
from tests.game_instances import brute_force_game, empty_core_game


def test_a_split_in_the_core_says_no_group_does_better_alone() -> None:
    instance = brute_force_game()
    sentences = verdict(run_split(instance).cost_split, instance, lang="en")
    only = "No group of municipalities would pay less on its own than its share here."
    assert sentences == [only]


def test_a_split_outside_the_core_names_the_group_and_what_it_saves_in_euros() -> None:
    instance = with_rule(brute_force_game(), "population")  # 100 : 200 : 300 of 160
    result = run_split(instance, stand_alone=True)
    split = result.cost_split
    worst = split.core["most_blocking"][0]
    assert worst["coalition"] == ["C"] and worst["excess_scaled"] == 20.0  # pays 80, alone 60
    [sentence] = verdict(split, instance, lang="en")
    assert sentence == (
        "C would pay €20 less on its own than its share of this split "
        "(the split is not in the core)."
    )


def test_an_empty_core_says_so_with_the_least_core_excess() -> None:
    instance = empty_core_game()
    sentences = verdict(run_split(instance).cost_split, instance, lang="en")
    assert any("No split at all is in the core" in s for s in sentences)


def test_cooperation_costing_more_is_said_with_what_drives_it() -> None:
    # a contract limit for the coalition as a whole: together the three may hold one contract,
    # each alone one of its own, so buying alone is cheaper in this game
    raw = dump_instance(brute_force_game())
    raw["policy"]["max_contracts"] = 1
    raw["providers"][1]["municipalities"] = None  # Y (cheap contract, dearer care) serves all
    raw["providers"][1]["offers"][0]["price"] = 11.0
    raw["providers"][0]["contract_cost"] = 0.0
    raw["providers"][0]["offers"][0]["capacity"] = 2
    instance = parse_instance(raw)
    split = run_split(instance).cost_split
    alone = sum(a.amount for a in split.stand_alone)
    assert alone < split.grand_cost
    text = " ".join(verdict(split, instance, lang="en"))
    assert "buying together costs more than every municipality buying alone" in text
    assert "the limit of 1 contracts holds for each coalition as a whole" in text
