"""The report's defence sections: moved clients, another plan beside it, stress, firm and open."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from solver.analysis.baseline import baseline
from solver.analysis.robustness import robustness
from solver.analysis.stress import stress
from solver.instance import load_instance, parse_instance
from solver.options import SolveOptions
from solver.report.html import render_report
from solver.solve import solve

TINY = Path(__file__).resolve().parents[2] / "instances" / "tiny.json"


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_every_defence_section_is_shown_with_its_numbers() -> None:
    instance = load_instance(TINY)
    plan = solve(instance)
    today = baseline(instance)
    report = stress(instance, plan)
    firm = robustness(instance, plan, margin=0.01, options=SolveOptions(), workers=1)
    page = _text(render_report(plan, instance, other=today, stress=report.to_dict(),
                               robustness=firm.to_dict(), lang="en"))  # fmt: skip
    assert "Clients who change provider" in page
    assert plan.costs is not None and f"{plan.costs.moved_clients:,}" in page
    assert "Compared with today's situation" in page
    assert f"{len(today.contracts)} {len(plan.contracts)}" in page  # contracts, other then this
    absorbed = sum(x.absorbed for x in report.losses)
    assert f"{absorbed} of {len(report.losses)} contracted units can fail" in page
    counts = {v: len(firm.group(v)) for v in ("firm_in", "open", "firm_out")}
    assert f"{counts['firm_in']} firm in" in page and f"{counts['open']} open" in page


def test_a_stress_job_result_carries_its_own_report() -> None:
    instance = load_instance(TINY)
    plan = solve(instance)
    stressed = plan.model_copy(update={"stress": stress(instance, plan).to_dict()})
    assert "If a contracted provider fails" in render_report(stressed, instance, lang="en")
    assert "If a contracted provider fails" not in render_report(plan, instance, lang="en")


def test_a_horizon_shows_the_tender_year_by_year() -> None:
    raw = json.loads(TINY.read_text())
    raw["horizon"] = {"periods": [{"id": "y1"}, {"id": "y2", "term": "2", "demand_factor": 1.1}]}
    instance = parse_instance(raw)
    result = solve(instance)
    page = _text(render_report(result, instance, lang="en"))
    assert "The tender year by year" in page
    for period in result.periods:
        assert f"{period.id} {period.term}" in page
    assert "regional cost per year" in render_report(result, instance, lang="en")
