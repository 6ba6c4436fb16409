"""Smoke run of the benchmark registry (benchmarks/): a few cases of each suite, in-process.

Status and objective are checked against the known optimum; no timing is asserted (that is
`make bench`). OR-Library cases skip when ../shared/orlib is absent.
"""

from __future__ import annotations

import pytest

from benchmarks.cases import find, orlib_cases
from benchmarks.run import run_case

REL = 1e-6

# the PuLP baseline is written the way PuLP 3 documents it (LpVariable(...)); PuLP 4 renames that
pytestmark = pytest.mark.filterwarnings("ignore:Constructing LpVariable:DeprecationWarning")

CASES = [
    ("regions/tiny", "highs"),
    ("regions/tiny", "pulp-cbc"),
    ("regions/tiny", "scipy-milp"),
    ("regions/achterhoek", "highs"),
    ("ladder/221x8", "highs"),
    ("orlib-cap/cap41", "highs"),
    ("orlib-cap/cap41", "pulp-cbc"),
    ("orlib-cap/cap41", "scipy-milp"),
    ("orlib-cap/cap113", "highs"),
    ("orlib-cap/capa-8000", "highs"),  # the large-model path (Lagrangian, fixing): ~10 s
    ("orlib-uncap/cap71", "highs"),
    ("orlib-pmed/pmed1", "highs"),
    ("orlib-scp/scp41", "highs"),
]


@pytest.mark.parametrize(("key", "runner"), CASES, ids=[f"{k}-{r}" for k, r in CASES])
def test_case_reaches_its_known_optimum(key: str, runner: str):
    if key.startswith("orlib") and not orlib_cases():
        pytest.skip("OR-Library data not found next to the repo (../shared/orlib)")
    case = find(key)
    found = run_case(case, runner)
    assert found.status == "optimal", found
    assert found.objective is not None
    if case.known is not None:
        assert abs(found.objective - case.known) <= REL * max(1.0, abs(case.known))
    else:
        assert found.gap is not None and found.gap <= case.gap
    if runner in ("highs", "cpsat", "pulp"):
        assert found.build_s is not None and found.solve_s is not None
