"""The account explorer (``render --format html``): its data says what the account holds,
hostile names stay inert, the page needs no network, the vendored library is the pinned
one, the CLI writes it (and the review pack links to it only when asked), and in a real
browser it loads cleanly, finds a person and shows their findings on a click."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from datetime import date
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.analysis.account import AccountView
from stakemap.render.explorer import LIBRARY, Explorer, _asset, explorer, library_version
from stakemap.render.review import report
from tests.browser import start_browser, visit
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
EXAMPLE = ROOT / "examples" / "msp-operations.yaml"
ASSETS = ROOT / "stakemap" / "render" / "assets"
SCRIPT_NAME = "</script><script>alert(1)</script>"
ATTR_NAME = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def example() -> stakemap.StakeholderGraph:
    return stakemap.load_portfolio(EXAMPLE)


@pytest.fixture(scope="module")
def northwind(example: stakemap.StakeholderGraph) -> Explorer:
    return explorer(example, customer="northwind", playbook="network", as_of=AS_OF)


def embedded(page: str) -> Any:
    """The page's data, read back the way its script reads it."""
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def outside_library(page: str) -> str:
    library = _asset(LIBRARY)
    assert library in page
    return page.replace(library, "")


# -- the data --------------------------------------------------------------------------------

def test_data_holds_the_accounts_people_services_and_findings(
        example: stakemap.StakeholderGraph, northwind: Explorer) -> None:
    data = embedded(northwind.html)
    assert data == northwind.data  # what the page reads is what was built
    view = AccountView.from_store(example.store, "northwind")
    people = {p["id"]: p for p in data["people"]}
    assert {p.id for p in view.customer_people} <= people.keys()
    assert {p.id for p in view.team} <= people.keys()
    assert {p["side"] for p in people.values()} == {"customer", "provider"}
    assert {t["id"] for t in data["things"]} == {
        *(s.id for s, _ in view.services), *(a.id for a in view.agreements)}
    gaps = stakemap.find_gaps(example, playbook="network", as_of=AS_OF, customers=["northwind"])
    assert [f["message"] for f in data["findings"]] == [f.message for f in gaps.findings]
    julia = people["julia-weber"]
    assert julia["title"] == "Depot Planner"
    assert {data["findings"][i]["code"] for i in julia["findings"]} == {
        "gatekeeper-uncovered", "hidden-influencer"}
    assert [m["name"] for m in julia["manager"]] == ["Mark Jensen"]
    assert [r["name"] for r in julia["reports"]] == ["Nadia Rahman"]
    assert [t["name"] for t in julia["ties"]] == ["Diego Alvarez"]  # reporting is not a tie
    assert {(r["role"], r["at"]) for r in people["sara-lindqvist"]["roles"]} >= {
        ("System Owner", None), ("System Owner", "ERP Hosting")}
    assert {a["scope"] for a in people["li-na"]["authority"]} == {"budget"}
    # the stale tie a finding names is marked on both people
    kenji = {t["id"]: t for t in people["kenji-mori"]["ties"]}
    assert kenji["omar-haddad"]["stale"] is True
    kinds = {e["kind"] for e in data["edges"]}
    assert {"reports", "tie", "role", "owns"} <= kinds


def test_teams_fold_under_their_managers(northwind: Explorer) -> None:
    """No department field: a team is a manager's whole line below the top person."""
    data = northwind.data
    teams = {g["id"]: g for g in data["groups"]}
    members = {gid: sorted(p["id"] for p in data["people"] if p["group"] == gid)
               for gid in teams}
    assert members["team:mark-jensen"] == ["julia-weber", "mark-jensen", "nadia-rahman"]
    assert members["team:sara-lindqvist"] == ["omar-haddad", "sara-lindqvist"]
    assert teams["team:mark-jensen"]["name"] == "Mark Jensen's team"
    top = {p["id"]: p["group"] for p in data["people"]}
    assert top["li-na"] is None  # the top person and people with no line stay unfolded
    assert top["greg-hale"] is None


def _hostile() -> stakemap.StakeholderGraph:
    g = stakemap.StakeholderGraph()
    g.add_organization("us", "Us", type="provider")
    g.add_customer("c1", SCRIPT_NAME, phase="operations")
    g.add_person("p1", SCRIPT_NAME, organization="c1", title=ATTR_NAME, influence=5)
    g.add_person("p2", ATTR_NAME, organization="us")
    g.add_person("p3", "王芳 שלום <!-- x", organization="c1")
    g.assign_role("p2", "account-manager", at="c1")
    g.relate("p1", "p2")
    g.add_service("s1", SCRIPT_NAME, provider="us")
    g.consume("c1", "s1", vital=True)
    return g


def test_hostile_names_stay_inert_and_read_back_exactly() -> None:
    page = explorer(_hostile(), customer="c1", as_of=AS_OF).html
    rest = outside_library(page)
    # the data, the library, the page's script: no name opened a fourth
    assert len(re.findall(r"<script", page, re.I)) == 3
    assert len(re.findall(r"</script", page, re.I)) == 3
    assert "<img" not in page
    assert "<!--" not in rest
    assert "alert(1)</script>" not in rest.split("<title>")[1].split("</title>")[0]
    data = embedded(page)
    names = {p["id"]: p["name"] for p in data["people"]}
    assert names["p1"] == SCRIPT_NAME
    assert names["p2"] == ATTR_NAME
    assert names["p3"] == "王芳 שלום <!-- x"
    assert data["account"]["name"] == SCRIPT_NAME
    assert [p["title"] for p in data["people"] if p["id"] == "p1"] == [ATTR_NAME]


def test_the_page_script_sets_text_never_markup() -> None:
    script = _asset("explorer.js")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function"):
        assert sink not in script, sink
    assert "textContent" in script


# -- self-contained ------------------------------------------------------------------------

def test_no_external_urls_anywhere_but_the_librarys_licence_comments(
        northwind: Explorer) -> None:
    page = northwind.html
    rest = outside_library(page)
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", rest, re.I)
    for outside in (r'\bsrc\s*=', r"\bhref\s*=", r"url\(", "@import", "<link", "<iframe"):
        assert not re.search(outside, rest, re.I), outside
    # the library's only URLs are in its licence comments (/*! ... */), never in code
    code = re.sub(r"/\*[\s\S]*?\*/", "", _asset(LIBRARY))
    assert not re.search(r"https?://", code)


def test_the_library_can_be_inlined() -> None:
    library = _asset(LIBRARY)
    assert "</script" not in library.lower()
    assert "<!--" not in library


def test_the_vendored_library_is_the_pinned_version() -> None:
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    version = pinned["dependencies"]["cytoscape"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)  # exact, not a range
    assert library_version() == version
    assert "Copyright (c)" in (ASSETS / "cytoscape.LICENSE").read_text(encoding="utf-8")
    assert "The Cytoscape Consortium" in (ASSETS / "cytoscape.LICENSE").read_text(
        encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nassets:" in makefile
    assert "package.json" in makefile


def test_the_assets_ship_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["stakemap"]
    for asset in ASSETS.iterdir():
        relative = asset.relative_to(ROOT / "stakemap").as_posix()
        assert any(fnmatch(relative, p) for p in patterns), relative


# -- the command and the pack ----------------------------------------------------------------

def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_render_html_writes_the_explorer(tmp_path: Path) -> None:
    out = tmp_path / "northwind.html"
    result = _run("render", EXAMPLE, "--customer", "northwind", "--playbook", "network",
                  "--as-of", "2026-11-01", "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert embedded(page)["account"]["id"] == "northwind"
    # --format html whatever the extension; and on stdout
    other = tmp_path / "page.txt"
    assert _run("render", EXAMPLE, "--customer", "northwind", "--format", "html",
                "-o", other).exit_code == 0
    assert embedded(other.read_text(encoding="utf-8"))["account"]["id"] == "northwind"
    stdout = _run("render", EXAMPLE, "--customer", "northwind", "--format", "html", "-o", "-")
    assert stdout.exit_code == 0
    assert stdout.output.startswith("<!DOCTYPE html>")


def test_render_html_without_a_customer_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.html"
    result = _run("render", EXAMPLE, "-o", out)
    assert result.exit_code == 2
    assert "--customer" in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error:")
    assert not out.exists()
    engine = _run("render", EXAMPLE, "--customer", "northwind", "--engine", "neato", "-o", out)
    assert engine.exit_code == 2
    assert not out.exists()


def test_render_html_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "northwind.html"
    out.write_text("old", encoding="utf-8")
    failed = _run("render", EXAMPLE, "--customer", "nobody", "-o", out)
    assert failed.exit_code == 2  # bad input: no such account
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["northwind.html"]  # no temp file
    assert _run("render", EXAMPLE, "--customer", "northwind", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["northwind.html"]
    refused = _run("render", EXAMPLE, "--customer", "northwind", "--format", "html",
                   "-o", EXAMPLE)
    assert refused.exit_code != 0  # never over the input


def test_the_pack_links_to_the_explorer_only_when_asked(tmp_path: Path) -> None:
    plain = tmp_path / "plain.html"
    assert _run("report", EXAMPLE, "--customer", "northwind", "--as-of", "2026-11-01",
                "-o", plain).exit_code == 0
    # no link (the CSS names .explorer, so the word alone proves nothing)
    assert "explorer.html" not in plain.read_text(encoding="utf-8")
    assert 'class="explorer"' not in plain.read_text(encoding="utf-8")
    assert not (tmp_path / "plain.explorer.html").exists()
    pack = tmp_path / "review.html"
    result = _run("report", EXAMPLE, "--customer", "northwind", "--as-of", "2026-11-01",
                  "--interactive", "-o", pack)
    assert result.exit_code == 0, result.output
    page = pack.read_text(encoding="utf-8")
    assert "<script" not in page  # the pack stays script-free
    assert '<a href="review.explorer.html">' in page
    page_of_explorer = (tmp_path / "review.explorer.html").read_text(encoding="utf-8")
    assert embedded(page_of_explorer)["account"]["id"] == "northwind"
    assert _run("report", EXAMPLE, "--customer", "northwind", "--interactive",
                "-o", "-").exit_code == 2


def test_report_interactive_in_python(example: stakemap.StakeholderGraph,
                                      tmp_path: Path) -> None:
    pack = report(example, customer="northwind", playbook="network", as_of=AS_OF,
                  interactive=True)
    assert pack.explorer is not None
    assert pack.explorer.data == explorer(example, customer="northwind", playbook="network",
                                          as_of=AS_OF).data
    pack.save(tmp_path / "r v(1).md")
    assert (tmp_path / "r v(1).explorer.html").exists()
    markdown = (tmp_path / "r v(1).md").read_text(encoding="utf-8")
    assert "[Open the interactive explorer](r%20v%281%29.explorer.html)" in markdown
    assert report(example, customer="northwind", as_of=AS_OF).explorer is None


@pytest.mark.neo4j
def test_the_explorer_read_from_neo4j_is_the_same_page(neo4j_store: Any) -> None:
    graph = stakemap.load_portfolio(EXAMPLE)
    stakemap.StakeholderGraph(neo4j_store).put(graph.snapshot())
    assert explorer(neo4j_store, customer="northwind", playbook="network", as_of=AS_OF).html \
        == explorer(graph, customer="northwind", playbook="network", as_of=AS_OF).html


# -- in a real browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = start_browser(1280, 800)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def northwind_page(northwind: Explorer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return northwind.save(tmp_path_factory.mktemp("explorer") / "northwind.html")


def _panel(page: Any) -> str:
    return str(page.script("return document.getElementById('panel').textContent"))


@pytest.mark.browser
def test_the_explorer_loads_cleanly_with_no_network(browser: Any, northwind: Explorer,
                                                     northwind_page: Path) -> None:
    page = visit(browser, northwind_page)
    assert page.errors == []
    assert [e for e in page.console if e.get("level") == "WARNING"] == []
    shown = len(northwind.data["people"]) + len(northwind.data["things"])
    assert page.script("return cy.nodes('.person, .service, .agreement').length") == shown
    assert page.script("return cy.edges().length") == len(northwind.data["edges"])
    assert page.script("return performance.getEntriesByType('resource').length") == 0
    assert page.script("return document.title") == "Account explorer: Northwind Logistics"
    # laid out: people apart from each other, drawn inside the canvas
    boxes = page.script("return cy.nodes('.person').map(n => n.renderedBoundingBox())")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a["x2"] <= b["x1"] or b["x2"] <= a["x1"] or a["y2"] <= b["y1"] \
                or b["y2"] <= a["y1"], (a, b)
    assert "Executive Sponsor" in _panel(page)  # the account's findings before any click


@pytest.mark.browser
def test_search_finds_a_person(browser: Any, northwind_page: Path) -> None:
    from selenium.webdriver.common.by import By

    page = visit(browser, northwind_page)
    browser.find_element(By.ID, "search").send_keys("Julia")
    assert page.script("return cy.$(':selected').map(n => n.id())") == ["julia-weber"]
    assert "Julia Weber" in _panel(page)
    assert page.script("return document.getElementById('matches').textContent") == "1 match"
    assert page.errors == []
    assert visit(browser, northwind_page).errors == []


@pytest.mark.browser
def test_a_click_shows_roles_ties_authority_and_findings(browser: Any,
                                                          northwind_page: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    page = visit(browser, northwind_page)
    assert page.script("return document.querySelector('#panel h2').textContent") \
        == "Northwind Logistics"  # the account, before the click
    canvas = browser.find_element(By.ID, "cy")
    at = page.script("return cy.$id('julia-weber').renderedPosition()")
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(at["x"] - size["width"] / 2), int(at["y"] - size["height"] / 2)
    ).click().perform()
    panel = _panel(page)
    assert "Julia Weber" in panel
    assert "Depot Planner" in panel
    assert "every tie of ours to Nadia Rahman" in panel  # gatekeeper-uncovered
    assert "rated influence 1 but central" in panel  # hidden-influencer
    assert "medium" in panel
    assert "low" in panel
    assert "End User" in panel  # her role
    assert "Nadia Rahman" in panel
    assert "Mark Jensen" in panel
    page.script("cy.$id('li-na').emit('tap')")
    assert "decides budget for Northwind Logistics" in _panel(page)
    assert [e["message"] for e in browser.get_log("browser")
            if e.get("level") == "SEVERE"] == []


@pytest.mark.browser
def test_teams_fold_and_unfold(browser: Any, northwind: Explorer,
                               northwind_page: Path) -> None:
    from selenium.webdriver.common.by import By

    page = visit(browser, northwind_page)
    people = page.script("return cy.nodes('.person').length")
    button = browser.find_element(By.ID, "fold")
    button.click()
    assert page.script("return cy.nodes('.group.folded').length") == len(
        northwind.data["groups"])
    assert page.script("return cy.$id('julia-weber').length") == 0
    # a folded team keeps the red mark of the findings inside it
    assert page.script("return cy.$id('team:mark-jensen').hasClass('gap')") is True
    assert page.script("return cy.$id('team:hannah-okafor').hasClass('gap')") is False
    assert page.script("return cy.nodes('.person').length") < people
    assert button.text == "Unfold teams"
    browser.find_element(By.ID, "search").send_keys("Julia")  # a search opens her team
    assert page.script("return cy.$(':selected').map(n => n.id())") == ["julia-weber"]
    assert page.script("return cy.$id('team:mark-jensen').hasClass('folded')") is False
    assert button.text == "Unfold teams"  # the other teams are still folded
    button.click()
    assert button.text == "Fold teams"
    assert page.script("return cy.nodes('.person').length") == people
    assert page.script("return cy.edges().length") == len(northwind.data["edges"])
    assert [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"] == []


@pytest.mark.browser
def test_hostile_names_stay_text_in_the_browser(browser: Any, tmp_path: Path) -> None:
    saved = explorer(_hostile(), customer="c1", as_of=AS_OF).save(tmp_path / "hostile.html")
    page = visit(browser, saved)
    assert page.errors == []
    assert page.script("return document.querySelectorAll('script').length") == 3
    assert page.script("return document.querySelectorAll('img').length") == 0
    assert page.script("return document.getElementById('title').textContent").startswith(
        SCRIPT_NAME)
    page.script("cy.$id('p1').emit('tap')")
    panel = _panel(page)
    assert SCRIPT_NAME in panel
    assert ATTR_NAME in panel
    assert page.script("return document.querySelectorAll('#panel *').length") > 0
    assert page.script("return document.querySelectorAll('#panel img, #panel script')"
                       ".length") == 0


@pytest.mark.browser
def test_a_large_account_opens_with_its_teams_folded(browser: Any, tmp_path: Path) -> None:
    """Past 60 people the first view is the account's teams, laid out without the space
    of the people folded away: no box on another, names readable."""
    from stakemap.generate import GeneratorSpec, generate

    graph = stakemap.StakeholderGraph()
    graph.put(generate(GeneratorSpec(customers=1, people_per_customer=90, seed=3)).portfolio)
    account = next(o for o in graph.store.nodes(stakemap.NodeKind.ORGANIZATION)
                   if getattr(o, "type", None) is stakemap.OrgKind.CUSTOMER)
    page_of = explorer(graph, customer=account.id, as_of=AS_OF)
    assert len(page_of.data["people"]) > 60
    page = visit(browser, page_of.save(tmp_path / "large.html"))
    assert page.errors == []
    assert page.script("return cy.nodes('.group.folded').length") == len(
        page_of.data["groups"]) > 0
    boxes = page.script("return cy.nodes('.person, .group').map(n => n.boundingBox())")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a["x2"] <= b["x1"] or b["x2"] <= a["x1"] or a["y2"] <= b["y1"] \
                or b["y2"] <= a["y1"], (a, b)
    assert page.script("return cy.zoom()") >= 0.8
