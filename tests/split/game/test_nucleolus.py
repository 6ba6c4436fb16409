"""The nucleolus: textbook games by hand, and its defining properties on random games."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.split.game.core import least_core
from solver.split.game.nucleolus import nucleolus


def _excesses(costs: dict[int, float], x: np.ndarray) -> list[float]:
    """Every coalition's excess but the grand coalition's, largest first."""
    n = len(x)
    grand = (1 << n) - 1
    out = [sum(x[i] for i in range(n) if m >> i & 1) - c for m, c in costs.items() if m != grand]
    return sorted(out, reverse=True)


def test_one_stage_game_by_hand() -> None:
    # c(A)=6, c(B)=8, c(C)=10, c(AB)=12, c(AC)=14, c(BC)=16, c(ABC)=18: every excess can be -2
    # at once, at x = (4, 6, 8), and only there (the pairs force x_A ≥ 4, x_B ≥ 6, x_C ≥ 8)
    costs = {1: 6, 2: 8, 4: 10, 3: 12, 5: 14, 6: 16, 7: 18}
    assert nucleolus(costs, 3) == pytest.approx([4, 6, 8])


def test_two_stage_game_by_hand() -> None:
    # c(A)=c(B)=c(C)=10, c(AB)=12, c(AC)=c(BC)=20, c(ABC)=22. Stage 1: e(AB) = 10 - x_C and
    # e(C) = x_C - 10 settle at 0 (x_C = 10). Stage 2, x_A + x_B = 12: e(A), e(B), e(AC), e(BC)
    # balance at -4 with x_A = x_B = 6. The least core alone leaves x_A anywhere in [2, 10].
    costs = {1: 10, 2: 10, 4: 10, 3: 12, 5: 20, 6: 20, 7: 22}
    assert nucleolus(costs, 3) == pytest.approx([6, 6, 10])


def test_a_four_player_game_by_hand() -> None:
    # A and B are twins, and so are C and D; a pair of twins buys cheaper together (18 instead
    # of 2 × 10), any mix costs the sum alone, N costs 36 = 18 + 18. By symmetry the nucleolus
    # splits each pair's 18 equally: (9, 9, 9, 9). Every coalition then has excess ≤ 0: the core
    # holds it, and e(AB) = e(CD) = 0 are the largest.
    single = 10.0
    costs = {}
    for mask in range(1, 16):
        members = [i for i in range(4) if mask >> i & 1]
        pairs = sum(1 for a, b in ((0, 1), (2, 3)) if a in members and b in members)
        costs[mask] = single * len(members) - 2 * pairs
    assert costs[15] == 36
    assert nucleolus(costs, 4) == pytest.approx([9, 9, 9, 9])


def test_infeasible_coalitions_take_no_part() -> None:
    costs = {1: 6, 2: 8, 4: 10, 3: 12, 5: 14, 6: 16, 7: 18}
    del costs[5]  # AC cannot buy alone: it never complains
    x = nucleolus(costs, 3)
    assert x.sum() == pytest.approx(18)
    assert max(_excesses(costs, x)) == pytest.approx(least_core(costs, 3, 18).excess)


@st.composite
def games(draw: st.DrawFn) -> tuple[dict[int, float], int]:
    n = draw(st.integers(2, 4))
    singles = [draw(st.integers(1, 50)) for _ in range(n)]
    costs: dict[int, float] = {}
    for mask in range(1, 1 << n):
        alone = sum(singles[i] for i in range(n) if mask >> i & 1)
        saving = draw(st.integers(0, alone // 2)) if bin(mask).count("1") > 1 else 0
        costs[mask] = float(alone - saving)
    return costs, n


@settings(max_examples=60, deadline=None, derandomize=True)
@given(games())
def test_the_nucleolus_is_efficient_in_the_least_core_and_lexicographically_least(game) -> None:
    costs, n = game
    grand = (1 << n) - 1
    x = nucleolus(costs, n)
    assert x.sum() == pytest.approx(costs[grand])
    worst = _excesses(costs, x)
    eps = least_core(costs, n, costs[grand]).excess
    assert worst[0] == pytest.approx(eps, abs=1e-7)  # in the least core
    if eps <= 1e-9:
        assert worst[0] <= 1e-7  # in the core whenever the core is not empty
    # no move along any pair of players (keeping Σ x) makes the sorted excesses smaller
    for i, j in itertools.permutations(range(n), 2):
        for step in (1e-3, 1e-1):
            moved = x.copy()
            moved[i] += step
            moved[j] -= step
            other = _excesses(costs, moved)
            differs = [(a, b) for a, b in zip(other, worst, strict=True) if abs(a - b) > 1e-9]
            assert not differs or differs[0][0] > differs[0][1], (i, j, step)
