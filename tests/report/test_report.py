import re
import shutil
import subprocess

import pytest

from solver.analysis.scenario import parse_setting
from solver.analysis.sweep import sweep
from solver.options import SolveOptions
from solver.report.html import render_report
from solver.solve import solve
from tests.experiment_instances import conformance

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1200,2000",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    instance = conformance("c01-basic")
    result = solve(instance)
    rows = sweep(
        instance, [parse_setting("policy.max_contracts=9,12,15")], options=SolveOptions(), workers=1
    )
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report(result, instance, rows, lang="en"), encoding="utf-8")
    return path


def test_the_page_is_self_contained(page):
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html
    sources = re.findall(r"src='([^']*)'", html)
    assert len(sources) == 3  # payouts, split, consolidation curve
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    for heading in (
        "The plan in brief",
        "Contracts per lot",
        "Coverage",
        "Split per municipality",
        "Cost of consolidation",
    ):
        assert heading in html


def test_gaps_are_red():
    from solver.result import Contract
    from tests.experiment_instances import coverage_grid

    instance = coverage_grid()
    result = solve(instance)
    broken = result.model_copy(update={"contracts": [Contract(unit="b", care_types=["c"])]})
    html = render_report(broken, instance, lang="en")
    assert "class='gap'" in html


def test_the_page_opens_in_headless_chromium_without_console_errors(page, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed: apt-get update && apt-get install -y chromium")
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert shot.exists(), done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)[..., :3]
    assert pixels.std() > 0.05  # not one flat colour
    assert (pixels.mean(axis=2) < 0.9).mean() > 0.02  # some ink on the page
