"""The benchmarks: every selected case on the default backend, the regions on every backend, and
the baselines where they can finish. Quality is asserted, time is recorded (RESULTS.md)."""

from __future__ import annotations

import pytest

from benchmarks.cases import Case, ladder_cases, orlib_cases, region_cases
from benchmarks.conftest import selected, with_baselines, with_before
from benchmarks.run import BASELINES, BEFORE_FRONTIER, Measurement, measure

# the suites issue 21's strategies change: measured without them too, in the same run
_FRONTIER_SUITES = ("orlib-pmed", "orlib-uncap")

REL = 1e-6


def _params() -> list:
    params = []
    for case in selected(region_cases() + ladder_cases() + orlib_cases()):
        backends = ["highs", "cpsat", "pulp"] if case.suite == "regions" else ["highs"]
        external = [b for b in BASELINES if b != BEFORE_FRONTIER]
        runners = backends + (external if case.baselines and with_baselines() else [])
        if case.suite in _FRONTIER_SUITES and with_before():
            runners.append(BEFORE_FRONTIER)
        params += [pytest.param(case, r, id=f"{case.key}-{r}") for r in runners]
    return params


def _check_quality(m: Measurement, case: Case) -> None:
    assert m.status not in ("error", "infeasible"), m.error or m.status
    if m.objective is None or case.known is None:
        return
    tol = REL * max(1.0, abs(case.known))
    assert m.objective >= case.known - tol, "better than the known optimum: a broken model"
    if m.status == "optimal":
        assert abs(m.objective - case.known) <= tol, (m.objective, case.known)


@pytest.mark.parametrize(("case", "runner"), _params())
def test_case(benchmark, record, case: Case, runner: str):
    found = benchmark.pedantic(measure, args=(case, runner), rounds=1, iterations=1)
    record(found)
    if runner in BASELINES and runner != BEFORE_FRONTIER:
        # a baseline may run out of time; it must never beat the known optimum
        if found.objective is not None and case.known is not None:
            assert found.objective >= case.known - REL * max(1.0, abs(case.known))
        return
    _check_quality(found, case)
