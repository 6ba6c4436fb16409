"""The procurement team's page, end to end in Chromium against a real `dekkend serve`.

Upload `instances/tiny.xlsx`, watch the job finish, download the result workbook (re-opened with
openpyxl), the JSON and the report; a broken instance shows its errors by path beside the upload;
a long job can be stopped; screenshots at 1,400 and 800 px, with no horizontal overflow.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.api.api_server import Server, instance, slow_region
from tests.browser.conftest import overflow, shoot
from tests.conftest import REPO

WAIT_S = 90.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("page-server"), workers=1, max_providers=800,
                 max_municipalities=16, max_job_time_limit_s=60)  # fmt: skip
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def _until(condition, what: str, timeout_s: float = WAIT_S):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _open(browser, server: Server, token: str) -> None:  # type: ignore[no-untyped-def]
    browser.set_window_size(1400, 1000)
    browser.get(server.url + "/")
    browser.execute_script("localStorage.clear(); sessionStorage.clear();")
    browser.get(server.url + "/")
    _until(lambda: browser.find_element("id", "submit").text == "Berekenen", "Dutch texts")
    field = browser.find_element("id", "token")
    field.clear()
    field.send_keys(token)


def _submit(browser, path: Path, seconds: int) -> None:  # type: ignore[no-untyped-def]
    browser.find_element("id", "file").send_keys(str(path))
    limit = browser.find_element("id", "time")
    limit.clear()
    limit.send_keys(str(seconds))
    browser.find_element("id", "submit").click()


def _state(browser) -> str:  # type: ignore[no-untyped-def]
    return browser.find_element("id", "state").get_attribute("data-state") or ""


def _downloaded(folder: Path, suffix: str) -> Path | None:
    found = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
    return found[0] if found else None


def test_upload_a_workbook_watch_it_and_download_everything(browser, server, downloads) -> None:
    _open(browser, server, server.token("team"))
    shoot(browser, "page-empty", 800)
    assert overflow(browser) <= 0
    _submit(browser, REPO / "instances" / "tiny.xlsx", 30)
    _until(lambda: _state(browser) == "done", "the job to finish")
    figures = browser.find_element("id", "figures").text
    assert "optimaal" in figures and "contracten: 5" in figures
    for width in (1400, 800):
        shoot(browser, "page-done", width)
        assert overflow(browser) <= 0, f"the page is wider than {width} px"
    browser.set_window_size(1400, 1000)
    browser.find_element("id", "get-xlsx").click()
    workbook = _until(lambda: _downloaded(downloads, ".result.xlsx"), "the result workbook")
    sheets = openpyxl.load_workbook(workbook, read_only=True).sheetnames
    assert sheets and any("contract" in s.lower() for s in sheets), sheets
    browser.find_element("id", "get-json").click()
    result = _until(lambda: _downloaded(downloads, ".result.json"), "the result JSON")
    assert json.loads(result.read_text(encoding="utf-8"))["status"] == "optimal"
    browser.find_element("id", "get-report").click()
    report = _until(lambda: _downloaded(downloads, ".report.html"), "the report")
    assert "Het plan in het kort" in report.read_text(encoding="utf-8")


def test_a_broken_instance_shows_its_errors_by_path(browser, server, tmp_path) -> None:
    broken = instance("tiny")
    broken["providers"][0]["offers"][0]["price"] = -5
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    _open(browser, server, server.token("team"))
    _submit(browser, path, 30)
    box = _until(lambda: (b := browser.find_element("id", "errors")).is_displayed() and b,
                 "the errors")  # fmt: skip
    assert "providers[0].offers[0].price: moet ≥ 0 zijn" in box.text  # the page asks for Dutch


def test_a_running_job_can_be_stopped_and_english_is_one_click_away(
    browser, server, tmp_path
) -> None:
    path = tmp_path / "slow.json"
    path.write_text(json.dumps(slow_region()), encoding="utf-8")
    _open(browser, server, server.token("team"))
    browser.find_element("css selector", "#lang option[value='en']").click()
    _until(lambda: browser.find_element("id", "submit").text == "Solve", "English texts")
    _submit(browser, path, 60)
    _until(lambda: _state(browser) == "running", "the job to run")
    browser.find_element("id", "stop").click()
    _until(lambda: _state(browser) == "cancelled", "the job to stop")
    assert browser.find_element("id", "state").text == "stopped"
