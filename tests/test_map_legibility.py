"""What a person sees of the account map, measured in a real browser: the text boxes Chromium
lays out, not the font sizes the DOT asks for.

Two accounts: the Northwind example and a generated account with 50 people on the customer
side (the size the issue names). For each, the review pack at a 1,280 px wide window shows
the map's smallest text at least 9 px high, with no two text boxes overlapping; and the
whole map (``stakemap render``), shrunk to fit a 1,920 x 1,080 slide, keeps its smallest
text at least 9 px high too.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import stakemap
from stakemap.generate import GeneratorSpec, generate
from stakemap.render import render, report
from tests.browser import start_browser, visit
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
LEGIBLE = 9.0
"""Pixels: the least height of a text box the issue accepts."""
SLIDE = (1920, 1080)
OVERLAP = 3.0
"""Pixels two text boxes may share: the lines of one label overlap by about 2 px, because a
text box holds the font's whole line height, leading included, not its ink."""

pytestmark = pytest.mark.browser

_TEXT_BOXES = """
const svg = arguments[0];
return Array.from(svg.querySelectorAll('text')).map(t => {
  const r = t.getBoundingClientRect();
  return [r.left, r.top, r.width, r.height, t.textContent];
}).filter(b => b[2] > 0 && b[3] > 0 && b[4].trim());
"""


def _example() -> tuple[stakemap.StakeholderGraph, str]:
    return stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml"), "northwind"


def _fifty() -> tuple[stakemap.StakeholderGraph, str]:
    portfolio = generate(GeneratorSpec(customers=1, people_per_customer=50, seed=3)).portfolio
    graph = stakemap.StakeholderGraph.from_portfolio(portfolio)
    customer = next(c.id for c in graph.customers())
    assert len(graph.store.nodes("person", organization=customer)) == 50
    return graph, customer


CASES = {"northwind": _example, "fifty": _fifty}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = start_browser(1280, 1600)
    yield driver
    driver.quit()


def _boxes(browser: Any, selector: str) -> list[tuple[float, float, float, float, str]]:
    from selenium.webdriver.common.by import By

    svg = browser.find_element(By.CSS_SELECTOR, selector)
    return [tuple(b) for b in browser.execute_script(_TEXT_BOXES, svg)]


def _overlaps(boxes: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Pairs of text boxes that share more than ``OVERLAP`` px both ways."""
    found = []
    for i, (x, y, w, h, text) in enumerate(boxes):
        for (x2, y2, w2, h2, text2) in boxes[i + 1:]:
            across = min(x + w, x2 + w2) - max(x, x2)
            down = min(y + h, y2 + h2) - max(y, y2)
            if across > OVERLAP and down > OVERLAP:
                found.append(f"{text!r} and {text2!r} share {across:.0f} x {down:.0f} px")
    return found


def test_the_overlap_check_sees_text_printed_over_text() -> None:
    label = (100.0, 100.0, 80.0, 12.0, "stale since 2026-03-01")
    assert _overlaps([label, (140.0, 104.0, 80.0, 12.0, "stale since 2026-05-04")])
    assert not _overlaps([label, (100.0, 110.0, 80.0, 12.0, "next line")])  # 2 px: leading
    assert not _overlaps([label, (181.0, 100.0, 50.0, 12.0, "beside it")])


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_pack_map_reads_at_1280_px_with_no_overlapping_text(browser: Any, case: str,
                                                                 tmp_path: Path) -> None:
    graph, customer = CASES[case]()
    page = tmp_path / "pack.html"
    report(graph, customer=customer, as_of=AS_OF).save(page)
    browser.set_window_size(1280, 1600)
    visit_ = visit(browser, page)
    assert visit_.errors == []
    assert browser.execute_script("return window.innerWidth") <= 1280
    boxes = _boxes(browser, "figure.map svg")
    assert len(boxes) > 20  # names, titles, coverage badges, the legend
    heights = [b[3] for b in boxes]
    assert min(heights) >= LEGIBLE, sorted(heights)[:5]
    assert _overlaps(boxes) == []
    # seen whole at page width: the frame does not have to scroll to show it
    assert browser.execute_script(
        "const f = document.querySelector('figure.map'); return f.scrollWidth <= f.clientWidth")


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_whole_map_fits_a_slide_at_a_legible_scale(browser: Any, case: str,
                                                       tmp_path: Path) -> None:
    from PIL import Image

    graph, customer = CASES[case]()
    diagram = render(graph, customer=customer, as_of=AS_OF)
    width, height = Image.open(io.BytesIO(diagram.pipe("png"))).size
    scale = min(SLIDE[0] / width, SLIDE[1] / height, 1.0)
    # the SVG shown at the size of the PNG fitted to the slide: what the projector shows
    page = tmp_path / "slide.html"
    svg = diagram.pipe("svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>body{margin:0}"
        f"svg{{width:{width * scale:.0f}px;height:{height * scale:.0f}px}}</style></head>"
        f"<body>{svg}</body></html>", encoding="utf-8")
    browser.set_window_size(*SLIDE)
    try:
        visit(browser, page)
        shown = browser.execute_script(
            "const r = document.querySelector('svg').getBoundingClientRect();"
            "return [r.width, r.height]")
        assert shown[0] <= SLIDE[0] + 1
        assert shown[1] <= SLIDE[1] + 1
        boxes = _boxes(browser, "svg")
        assert len(boxes) > 20
        heights = [b[3] for b in boxes]
        assert min(heights) >= LEGIBLE, (f"{width}x{height} px at {scale:.2f}",
                                         sorted(heights)[:5])
        assert _overlaps(boxes) == []
    finally:
        browser.set_window_size(1280, 1600)
