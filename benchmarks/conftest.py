"""Benchmark session: which cases run (BENCH_SCOPE), and RESULTS.md written at the end.

`BENCH_SCOPE=quick` (default): the regions, the ladder, cap41–cap134, capa/b/c, uncap, pmed1–20 and
scp41–scp65. `BENCH_SCOPE=full`: every OR-Library instance. `BENCH_BASELINES=0` skips the PuLP and
scipy baselines, `BENCH_BEFORE=0` the runs of our own backend without issue 21's strategies (on
the suites they change). `BENCH_ONLY=a,b` keeps only cases whose key contains one of
the comma-separated substrings.
"""

from __future__ import annotations

import os

import pytest

from benchmarks.cases import Case
from benchmarks.report import write
from benchmarks.run import Measurement

_FOUND: list[Measurement] = []


def selected(cases: list[Case]) -> list[Case]:
    """The cases of this session's scope."""
    scope = os.environ.get("BENCH_SCOPE", "quick")
    only = [part for part in os.environ.get("BENCH_ONLY", "").split(",") if part]
    keep = []
    for case in cases:
        if only and not any(part in case.key for part in only):
            continue
        if scope == "quick" and case.suite in ("orlib-pmed", "orlib-scp"):
            digits = "".join(ch for ch in case.name if ch.isdigit())
            small = case.name.startswith(("scp4", "scp5", "scp6")) or (
                case.suite == "orlib-pmed" and int(digits) <= 20
            )
            if not small:
                continue
        keep.append(case)
    return keep


def with_baselines() -> bool:
    """Whether this session also runs the baselines."""
    return os.environ.get("BENCH_BASELINES", "1") != "0"


def with_before() -> bool:
    """Whether this session also runs our backend without issue 21's strategies."""
    return os.environ.get("BENCH_BEFORE", "1") != "0"


@pytest.fixture
def record():
    """Keep a measurement for RESULTS.md."""
    return _FOUND.append


def pytest_sessionfinish(session, exitstatus):
    if _FOUND:
        path = write(_FOUND)
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(f"wrote {path}")
