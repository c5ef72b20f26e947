"""The review pack as PDF: the HTML pack printed by a headless Chromium.

The browser that shows the pack is the one that prints it, so the PDF has the page's own
print rules (A4, tables not cut between rows, headers repeated) and no second layout engine
to keep in step. Chromium is found on PATH; where there is none, ``MissingDependencyError``
names the package to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from stakemap.errors import MissingDependencyError, StakemapError

__all__ = ["BROWSERS", "find_browser", "html_to_pdf", "missing_chromium"]

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""The program names a Chromium goes by (Debian, Ubuntu, Google's own build)."""

TIMEOUT = 120
"""Seconds the browser may take to print one pack before it is stopped."""


def missing_chromium() -> MissingDependencyError:
    """The error for no browser: which package, how to install it, what works without it."""
    return MissingDependencyError(
        "PDF output needs a headless Chromium and none is on PATH (chromium, "
        "chromium-browser or google-chrome); install the package 'chromium': apt-get install "
        "chromium (Debian/Ubuntu), dnf install chromium (Fedora), brew install --cask "
        "chromium (macOS). The HTML pack (.html) works without it: print it from a browser.")


def find_browser() -> str:
    """The first Chromium on PATH."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise missing_chromium()


def html_to_pdf(html: str) -> bytes:
    """Print ``html`` to PDF bytes. The page and the browser's profile live in a temporary
    folder that is removed afterwards, so nothing is left behind and no user profile is
    touched; the caller writes the bytes (atomically) where they belong."""
    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="stakemap-pdf-") as folder:
        work = Path(folder)
        page, out = work / "pack.html", work / "pack.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-dev-shm-usage", "--no-first-run", "--no-pdf-header-footer",
                   f"--user-data-dir={work / 'profile'}", f"--print-to-pdf={out}",
                   page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise StakemapError(f"Chromium did not print the pack within {TIMEOUT} s") from exc
        except OSError as exc:
            raise StakemapError(f"could not run {browser}: {exc.strerror or exc}") from exc
        data = out.read_bytes() if out.exists() else b""
        if done.returncode != 0 or not data.startswith(b"%PDF"):
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = lines[-1] if lines else f"exit code {done.returncode}"
            raise StakemapError(f"Chromium failed to print the pack: {detail}")
        return data
