"""`min_moved` against an independent search: bisection on `policy.max_moved` with plain solves."""

from __future__ import annotations

import pytest

from solver.analysis.fewest import with_policy
from solver.analysis.min_moved import min_moved
from solver.check import check
from solver.generate.region import generate_region
from solver.instance import Instance, parse_instance
from solver.options import SolveOptions
from solver.solve import solve

OPTIONS = SolveOptions(time_limit_s=60)


def _region(seed: int) -> Instance:
    raw = generate_region(
        providers=24, municipalities=3, seed=seed, incumbent_share=0.8,
        care_types=["begeleiding", "behandeling", "pleegzorg"], transfer_cost=0.0,
    )  # fmt: skip
    return parse_instance(raw)


def _least_by_bisection(instance: Instance) -> int:
    """The least max_moved with a plan, by plain solves (feasibility is monotone in the limit)."""
    low, high = 0, sum(i.clients for p in instance.providers for i in p.incumbent)
    assert solve(with_policy(instance, max_moved=high), options=OPTIONS).status.has_solution
    while low < high:
        mid = (low + high) // 2
        if solve(with_policy(instance, max_moved=mid), options=OPTIONS).status.has_solution:
            high = mid
        else:
            low = mid + 1
    return low


@pytest.mark.parametrize("seed", [0, 2])
def test_min_moved_equals_an_independent_search(seed: int) -> None:
    instance = _region(seed)
    found = min_moved(instance, options=OPTIONS)
    assert found.proven and found.least is not None
    assert found.least > 0  # the generated limits force some clients to move
    assert found.least == _least_by_bisection(instance)
    assert sum(r.clients for r in found.result.moved) == found.least
    direct = solve(with_policy(instance, max_moved=found.least), options=OPTIONS)
    assert found.result.objective == pytest.approx(direct.objective, rel=1e-9)
    assert check(with_policy(instance, max_moved=found.least), found.result).ok
    assert found.to_dict()["min_moved"] == found.least


def test_min_moved_without_incumbents_is_zero() -> None:
    raw = generate_region(providers=24, municipalities=3, seed=0, incumbent_share=0.0)
    found = min_moved(parse_instance(raw), options=OPTIONS)
    assert found.least == 0 and found.result.moved == []
