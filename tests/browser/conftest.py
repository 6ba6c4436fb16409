"""A real Chromium, driven by Selenium through Debian's chromium-driver (else a clear skip)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

SHOTS = REPO / "out" / "screenshots"  # what CI leaves for a person to look at


def _chrome_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        pytest.skip("needs Debian's chromium and chromium-driver: "
                    "apt-get install -y chromium chromium-driver")  # fmt: skip
    return browser, driver


@pytest.fixture(scope="package")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="package")
def browser(downloads: Path) -> Iterator[object]:
    """One headless Chromium for the package's tests (downloads land in `downloads`)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    chrome, driver = _chrome_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--window-size=1400,1000"):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
    })  # fmt: skip
    # the driver named here: Selenium Manager never downloads one (CI has no internet)
    service = webdriver.ChromeService(executable_path=driver)
    chromium = webdriver.Chrome(options=options, service=service)
    try:
        yield chromium
    finally:
        chromium.quit()


def overflow(browser: object) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrolling)."""
    width = browser.execute_script(  # type: ignore[attr-defined]
        "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )
    return int(width)


def shoot(browser: object, name: str, width: int) -> Path:
    """Set the window `width` px wide and write a full-page screenshot under out/screenshots/."""
    browser.set_window_size(width, 1000)  # type: ignore[attr-defined]
    height = browser.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    browser.set_window_size(width, min(int(height) + 120, 12000))  # type: ignore[attr-defined]
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{width}.png"
    browser.save_screenshot(str(path))  # type: ignore[attr-defined]
    return path
