"""Result JSON: euros written without binary float noise, never moved to another cent."""

from __future__ import annotations

import json
import math

import pytest

from solver.check import check
from solver.instance import load_instance
from solver.result import Result, tidy_euros
from solver.solve import solve
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (89924.59999999999, 89924.6),
        (8105012.7700000005, 8105012.77),
        (63858352.3292, 63858352.3292),  # a lump sum with a 3 % margin: real sub-cent digits
        (0.0349999996, 0.0349999996),  # 0.035 would round to 4 cents, the value to 3
        (-12.300000000000001, -12.3),
    ],
)
def test_tidy_euros_drops_noise_but_never_changes_the_cent(value: float, written: float) -> None:
    assert tidy_euros(value) == written
    assert round(tidy_euros(value) * 100) == round(value * 100)


def test_tidy_euros_leaves_non_finite_values_alone() -> None:
    assert tidy_euros(math.inf) == math.inf
    assert math.isnan(tidy_euros(math.nan))


def test_result_json_has_clean_euros_and_still_passes_the_checker() -> None:
    instance = load_instance(REPO / "instances" / "achterhoek.json")
    result = solve(instance)
    text = result.to_json()
    raw = json.loads(text)
    assert raw["objective"] == tidy_euros(result.objective)
    # an amount a hair below a half cent (1131327.7949999997) keeps its noise: tidied, it would
    # round to the other cent (`tidy_euros`)
    noisy = [
        b["amount"] for b in raw["budgets"]
        if len(repr(b["amount"]).split(".")[-1]) > 6 and abs(b["amount"] * 100 % 1 - 0.5) > 1e-4
    ]  # fmt: skip
    assert noisy == []
    assert raw["runtime_s"] == round(result.runtime_s, 3)
    # the Python values stay exact; the JSON read back is still a valid result of the instance
    assert result.model_dump()["objective"] == result.objective
    assert check(instance, Result.model_validate_json(text)).ok
