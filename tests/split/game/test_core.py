"""SPEC §5 core: blocking coalitions, the empty core of a facility-location game, least core."""

from __future__ import annotations

import numpy as np
import pytest

from solver.analysis.split_by_rule import run_split
from solver.solve import solve
from solver.split.game.core import least_core
from tests.game_instances import brute_force_game, empty_core_game, infeasible_alone_game


def test_split_in_core_names_the_tightest_coalitions() -> None:
    core = solve(brute_force_game()).cost_split.core
    assert core["in_core"] is True and core["core_empty"] is False
    assert core["coalitions_checked"] == 6
    # the regional cost is c(N) here (160): both units agree
    assert core["most_blocking"] == [
        {"coalition": ["A", "B"], "excess": -10.0, "excess_scaled": -10.0},
        {"coalition": ["C"], "excess": -20.0, "excess_scaled": -20.0},
        {"coalition": ["A", "C"], "excess": -45.0, "excess_scaled": -45.0},
    ]
    assert "least_core_split" not in core


def test_empty_core_reported_with_its_least_core() -> None:
    result = solve(empty_core_game())
    split = result.cost_split
    assert [a.amount for a in split.amounts] == [1.34, 1.33, 1.33]
    core = split.core
    assert core["in_core"] is False and core["core_empty"] is True
    assert core["least_core_excess"] == pytest.approx(0.67)
    assert core["most_blocking"][0]["excess"] == pytest.approx(0.67, abs=0.01)
    assert len(core["most_blocking"][0]["coalition"]) == 2
    # 4/3 each: which municipality gets the odd cent is LP float noise
    assert sorted(a["amount"] for a in core["least_core_split"]) == [1.33, 1.33, 1.34]


def test_least_core_lp_by_hand() -> None:
    costs = {1: 2.0, 2: 2.0, 4: 2.0, 3: 2.0, 5: 2.0, 6: 2.0, 7: 4.0}
    lc = least_core(costs, 3, 4.0, anchor=np.array([2.0, 1.0, 1.0]))
    assert lc.excess == pytest.approx(2 / 3)
    assert lc.split == pytest.approx([4 / 3] * 3, abs=1e-6)


def test_stand_alone_and_core_for_another_rule() -> None:
    result = run_split(brute_force_game(), rule="population", stand_alone=True)
    split = result.cost_split
    assert split.rule == "population"
    assert [a.amount for a in split.stand_alone] == [110.0, 120.0, 60.0]
    # population 1:2:3 of 160: C pays 80 > c(C) = 60, so C blocks
    assert split.core["in_core"] is False
    assert split.core["most_blocking"][0]["coalition"] == ["C"]


def test_infeasible_coalitions_cannot_block() -> None:
    result = run_split(infeasible_alone_game(), rule="population", stand_alone=True)
    split = result.cost_split
    assert split.stand_alone == []
    assert split.core["in_core"] is True
    assert split.core["coalitions_checked"] == 0
    assert any("no stand-alone cost" in n for n in result.notes)
