"""The Achterhoek report in a real browser: summary, contracts by name, split, no overflow."""

from __future__ import annotations

import pytest

from solver.instance import load_instance, unit_names
from solver.report.html import render_report
from solver.solve import solve
from tests.browser.conftest import overflow, shoot
from tests.conftest import REPO


@pytest.fixture(scope="module")
def achterhoek_report(tmp_path_factory):
    instance = load_instance(REPO / "instances" / "achterhoek.json")
    result = solve(instance)
    pages = {}
    for lang in ("nl", "en"):
        path = tmp_path_factory.mktemp("report") / f"achterhoek-{lang}.html"
        path.write_text(render_report(result, instance, lang=lang), encoding="utf-8")
        pages[lang] = path
    return instance, result, pages


@pytest.mark.parametrize("width", [1400, 800])
def test_the_achterhoek_report_reads_without_overflow(browser, achterhoek_report, width) -> None:
    instance, result, pages = achterhoek_report
    browser.get(pages["nl"].as_uri())
    shot = shoot(browser, "report-achterhoek-nl", width)
    assert overflow(browser) <= 0, f"the report is wider than {width} px (see {shot})"
    text = browser.find_element("tag name", "body").text
    assert "Het plan in het kort" in text
    assert "De regio contracteert 60 van de 228 inschrijvers" in text
    names = unit_names(instance)
    contracted = [names[c.unit] for c in result.contracts]
    assert all(name in text for name in contracted)  # every contract by its name
    assert "Verdeling per gemeente" in text and "Oude IJsselstreek" in text
    for image in browser.find_elements("tag name", "img"):
        assert image.get_attribute("alt"), "every chart says what it shows"
        assert image.size["width"] <= width


def test_the_english_report_is_english(browser, achterhoek_report) -> None:
    _, _, pages = achterhoek_report
    browser.get(pages["en"].as_uri())
    text = browser.find_element("tag name", "body").text
    assert "The plan in brief" in text and "The region contracts 60 of the 228 bidders" in text
    assert "Het plan in het kort" not in text
