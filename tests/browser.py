"""A real headless browser for the review-pack tests: Debian's chromium, driven by selenium
through the chromedriver of the same package, so the versions match.

``make test`` installs both (``tools/install-chromium.sh``). Missing ones fail the tests
with that instruction; they never skip them.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

INSTALL = ("Chromium and ChromeDriver are needed for the review-pack browser tests: run "
           "`make test` (it installs them), or tools/install-chromium.sh, or "
           "`apt-get install chromium chromium-driver`")


def start_browser(width: int = 1200, height: int = 1600) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail(INSTALL)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


@dataclass
class PageVisit:
    console: list[dict[str, Any]]
    """Everything the page logged: console calls, uncaught errors, failed loads."""
    screenshot: bytes
    driver: Any

    @property
    def errors(self) -> list[str]:
        return [e["message"] for e in self.console if e.get("level") == "SEVERE"]

    def script(self, code: str) -> Any:
        return self.driver.execute_script(code)


def visit(driver: Any, page: Path) -> PageVisit:
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(page.resolve().as_uri())
    driver.execute_script("return document.readyState")
    return PageVisit(console=driver.get_log("browser"),
                     screenshot=driver.get_screenshot_as_png(), driver=driver)


def ink(png: bytes) -> tuple[float, int]:
    """(share of pixels that differ from the most common colour, number of colours): a blank
    or single-colour page scores (0, 1)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24) or []
    background = max(colours)[0] if colours else 0
    total = image.width * image.height
    return (total - background) / total, len(colours)
