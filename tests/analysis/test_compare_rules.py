"""Every rule side by side on one plan: each column a whole split, the game played once."""

from __future__ import annotations

import pytest

from solver.analysis.split_by_rule import run_split, with_rule
from solver.check import check
from solver.instance import dump_instance, load_instance, parse_instance
from solver.split.game.play import GameSettings
from tests.conftest import REPO
from tests.game_instances import infeasible_alone_game, seeded_region

TINY = REPO / "instances" / "tiny.json"


class CountingEngine:
    """A local engine that counts the coalitions it is asked to solve."""

    def __init__(self) -> None:
        from solver.split.game.engines import LocalEngine

        self.inner = LocalEngine(workers=1)
        self.name, self.threads, self.seed = "counting", 1, 0
        self.asked = 0

    def evaluate(self, instance, masks, **kwargs):  # noqa: ANN001, ANN003, ANN201
        masks = list(masks)
        self.asked += len(masks)
        return self.inner.evaluate(instance, masks, **kwargs)


def test_each_column_adds_up_to_the_regional_cost_and_the_game_is_played_once() -> None:
    raw = dump_instance(load_instance(TINY))
    raw["policy"]["cost_split"]["weights"] = {"noordveen": 1, "middeldorp": 2, "zuidhaven": 3}
    instance = parse_instance(raw)
    engine = CountingEngine()
    result = run_split(instance, compare=True, game=GameSettings(engine=engine))
    comparison = result.comparison
    assert comparison is not None and comparison.refused == {}
    rules = [s.rule for s in comparison.splits]
    assert rules == ["usage", "population", "mixed", "key", "shapley", "nucleolus", "least_core"]
    total = round(result.regional_cost * 100)
    for split in comparison.splits:
        assert sum(round(a.amount * 100) for a in split.amounts) == total, split.rule
        assert split.core is not None and split.stand_alone_scaled is not None  # game annotated
    assert engine.asked == 7  # 3 municipalities: 7 coalitions, once for every rule
    # the instance's own split stands as the result's, checked against the instance itself
    assert result.cost_split.rule == "mixed"
    assert check(instance, result).ok
    # the key column follows the key: 1 : 2 : 3
    key = {a.municipality: a.amount for a in comparison.splits[3].amounts}
    assert key["middeldorp"] == pytest.approx(2 * key["noordveen"], abs=0.02)


def test_a_game_own_rule_takes_its_column_and_the_plan_is_solved_without_a_game() -> None:
    instance = with_rule(seeded_region(4, 2, rich=False), "nucleolus")
    result = run_split(instance, compare=True)
    own = next(s for s in result.comparison.splits if s.rule == "nucleolus")
    assert result.cost_split == own
    assert check(instance, result).ok


def test_rules_that_cannot_split_are_named_not_dropped_silently() -> None:
    result = run_split(infeasible_alone_game(), compare=True)  # A and B cannot buy alone
    refused = result.comparison.refused
    assert "key" in refused and "weights" in refused["key"]
    assert "infeasible on their own" in refused["shapley"]
    assert "least_core" in refused  # anchored on the Shapley value
    # only the region as a whole can buy: no coalition decides the nucleolus either
    assert "not one split here" in refused["nucleolus"]
    # the instance's own rule (shapley) is refused: no split, and the notes say why
    assert result.cost_split is None
    assert any("infeasible on their own" in note for note in result.notes)
