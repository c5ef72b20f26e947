"""The account-review pack: it agrees with the gap report, its role table and power-interest
grid say the right things, hostile names stay text, and the page works in a real browser."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.analysis.review import QUADRANTS, AccountReview, quadrant
from stakemap.errors import MissingDependencyError
from stakemap.model.enums import Side
from stakemap.render import ReviewPack, render, report
from stakemap.render.review_html import power_interest_svg
from tests.browser import ink, start_browser, visit
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
EXAMPLE = ROOT / "examples" / "msp-operations.yaml"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def example() -> stakemap.StakeholderGraph:
    return stakemap.load_portfolio(EXAMPLE)


@pytest.fixture(scope="module")
def northwind(example: stakemap.StakeholderGraph) -> ReviewPack:
    return report(example, customer="northwind", playbook="msp-account-team",
                           as_of=AS_OF)


@pytest.fixture(scope="module")
def northwind_html(northwind: ReviewPack) -> str:
    return northwind.html()


def test_pack_agrees_with_the_gap_report(example: stakemap.StakeholderGraph,
                                         northwind: ReviewPack, northwind_html: str) -> None:
    gaps = stakemap.find_gaps(example, playbook="msp-account-team", as_of=AS_OF,
                              customers=["northwind"])
    assert northwind.review.findings == gaps.findings
    assert len(gaps.findings) == 4
    assert northwind.review.score == gaps.scores[0]
    rows = re.findall(r'<tr class="finding">(.*?)</tr>', northwind_html, re.S)
    assert len(rows) == len(gaps.findings)
    for row, finding in zip(rows, gaps.findings, strict=True):
        assert html.escape(finding.message) in row
        assert html.escape(finding.remediation) in row
        assert f">{finding.severity.value}<" in row
    score = re.search(r'id="score".*?class="big"[^>]*>(\d+)<', northwind_html, re.S)
    assert score is not None
    assert int(score.group(1)) == gaps.scores[0].score == 50


def test_pack_embeds_the_diagram_and_nothing_from_outside(northwind: ReviewPack,
                                                          northwind_html: str) -> None:
    assert northwind_html.startswith("<!DOCTYPE html>")
    assert "<?xml" not in northwind_html  # Graphviz's prologue is stripped before inlining
    diagram = northwind_html.split('<figure class="diagram">', 1)[1].split("</figure>", 1)[0]
    assert ET.fromstring(diagram).tag == f"{SVG}svg"  # the embedded SVG is well-formed
    assert "Executive Sponsor: vacant" in diagram
    for outside in (r'\bsrc\s*=', r'href\s*=\s*"(?!#)', r"url\(", "@import", "<script",
                    "<link"):
        assert not re.search(outside, northwind_html), outside


def test_role_table_lists_holders_and_the_vacancies_the_playbook_found(
        northwind: ReviewPack, northwind_html: str) -> None:
    rows = northwind.review.role_rows()
    customer = {(r.role, r.where): r for r in rows[Side.CUSTOMER]}
    sponsor = customer["Executive Sponsor", "Northwind Logistics"]
    assert sponsor.status == "vacant"
    # the former sponsor, struck through: the seat's history stays visible
    assert [(h.name, h.active) for h in sponsor.holders] == [("Greg Hale", False)]
    assert sponsor.vacancy is not None
    assert sponsor.vacancy.code == "executive-sponsor-missing"
    assert [h.name for h in customer["System Administrator", "Northwind Logistics"].holders] \
        == ["Omar Haddad"]
    assert customer["System Owner", "ERP Hosting"].status == "held"  # roles at a service too
    assert [r.role for r in rows[Side.PROVIDER]] == [
        "Executive Partner", "Account Manager", "Sales Engineer", "Professional Services",
        "Customer Service Manager", "Technical Lead"]
    assert all(r.status == "held" for r in rows[Side.PROVIDER])
    vacant = re.findall(r'<tr class="vacant"><td>(.*?)</td>', northwind_html)
    assert vacant == ["Executive Sponsor"]


def _section(page: str, id: str) -> str:
    """The HTML of one section: from its heading to the next one."""
    return page.split(f'<h2 id="{id}">', 1)[1].split("<h2 ", 1)[0]


def _md_section(markdown: str, title: str) -> str:
    return markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_key_connectors_name_julia_weber_gatekeeper_and_hidden_influencer(
        northwind: ReviewPack, northwind_html: str) -> None:
    connectors = {c.person.name: c for c in northwind.review.key_connectors()}
    julia = connectors["Julia Weber"]
    assert julia.roles == ("broker", "gatekeeper", "hidden influencer")
    assert julia.cuts_off == ("Nadia Rahman",)
    assert next(iter(connectors)) == "Mark Jensen"  # the broker on the most chains first
    section = _section(northwind_html, "connectors")
    rows = re.findall(r'<tr class="connector[^"]*">(.*?)</tr>', section, re.S)
    assert len(rows) == sum(len(c.roles) for c in connectors.values())
    assert re.search(r"<td[^>]*>gatekeeper</td><td[^>]*>our only link to Nadia Rahman</td>",
                     section)
    assert re.search(r"<td[^>]*>hidden influencer</td><td[^>]*>rated influence 1 but central"
                     r"</td>", section)
    assert '<td rowspan="3">Julia Weber</td><td rowspan="3">theirs</td>' in section
    assert "reporting lines" in section  # which projection the roles were found on
    markdown = _md_section(northwind.markdown(), "Key connectors")
    assert "| Julia Weber | theirs | gatekeeper | our only link to Nadia Rahman |" in markdown
    assert "| Julia Weber | theirs | hidden influencer | rated influence 1 but central |" \
        in markdown
    assert re.search(r"\| Julia Weber \| theirs \| broker \| on \d+% of the shortest chains",
                     markdown)


def test_if_these_people_leave_lists_the_three_costliest_departures(
        example: stakemap.StakeholderGraph, northwind: ReviewPack,
        northwind_html: str) -> None:
    ranking = stakemap.key_people_at_risk(example, customers=["northwind"],
                                          playbook="msp-account-team", as_of=AS_OF)
    costliest = max((*ranking.ours, *ranking.theirs),
                    key=lambda r: (r.points, r.unreachable))
    leavers = northwind.review.leavers
    assert len(leavers) == 3
    assert leavers[0].person == costliest.person == "tom-becker"
    assert [r.points for r in leavers] == sorted((r.points for r in leavers), reverse=True)
    section = _section(northwind_html, "leavers")
    rows = re.findall(r'<tr class="leaver">(.*?)</tr>', section, re.S)
    assert len(rows) == 3
    for row, leaver in zip(rows, leavers, strict=True):
        cost = leaver.accounts[0]
        assert cost.score_after < cost.score_before
        assert html.escape(leaver.name) in row
        assert f"{cost.score_before} → {cost.score_after} (-{cost.lost})" in row
        assert cost.new_findings
        assert all(html.escape(f.message) in row for f in cost.new_findings)
    assert "Tom Becker" in rows[0]
    assert "50 → 20 (-30)" in rows[0]
    markdown = _md_section(northwind.markdown(), "If these people leave")
    assert "| 1 | Tom Becker | ours | 50 → 20 (-30) | Northwind Logistics has no active " \
        "Account Manager |" in markdown  # role names, as the gap report words them
    assert len(re.findall(r"^\| \d \|", markdown, re.M)) == 3


def test_quiet_accounts_say_so_in_both_new_sections() -> None:
    g = stakemap.StakeholderGraph()
    g.add_organization("us", "Us", type="provider")
    g.add_customer("c1", "Customer One", phase="operations")
    g.add_service("s1", "Hosting", provider="us")
    g.consume("c1", "s1")
    g.add_person("x", "Xena Lone", organization="c1")
    pack = ReviewPack(AccountReview.build(g.store, "c1", as_of=AS_OF),
                      render(g, customer="c1", as_of=AS_OF))
    markdown = pack.markdown()
    assert "No broker, gatekeeper or hidden influencer in this account's network." in markdown
    assert "No single departure costs this account anything." in markdown


def _team_graph() -> stakemap.StakeholderGraph:
    g = stakemap.StakeholderGraph()
    g.add_organization("us", "Us", type="provider")
    g.add_customer("c1", "Customer One", phase="operations")
    g.add_service("s1", "Hosting", provider="us")
    g.consume("c1", "s1", vital=True)
    g.add_person("am", "Ann Manager", organization="us")
    g.assign_role("am", "account-manager", at="c1")
    g.add_person("old", "Olaf Old", organization="us", status="left")
    g.assign_role("old", "technical-lead", at="c1")
    g.add_person("exp", "Eve Expired", organization="us")
    g.assign_role("exp", "delivery-manager", at="c1", until="2026-03-31")
    g.add_person("sa", "Sam Admin", organization="c1", influence=2, interest=5)
    g.assign_role("sa", "system-administrator", at="c1")
    g.add_person("ceo", "Cleo Chief", organization="c1", influence=5, interest=5,
                 stance="champion")
    g.add_person("cfo", "Carl Finance", organization="c1", influence=5, interest=5,
                 stance="skeptic")
    g.add_person("new", "Nina New", organization="c1")
    g.add_person("gone", "Gus Gone", organization="c1", status="left", influence=5,
                 interest=5)
    return g


def test_role_table_marks_left_and_ended_holders_and_partial_and_any_of_vacancies(
        tmp_path: Path) -> None:
    book = tmp_path / "team.yaml"
    book.write_text(
        "playbook: team\nrules:\n"
        "  - {id: two-admins, type: required-role, role: system-administrator, min_count: 2}\n"
        "  - {id: lead, type: required-role, any_of: [technical-lead, "
        "delivery-manager]}\n", encoding="utf-8")
    review = AccountReview.build(_team_graph().store, "c1",
                                 playbook=stakemap.load_playbook(str(book)), as_of=AS_OF)
    rows = review.role_rows()
    customer = {r.role: r for r in rows[Side.CUSTOMER]}
    admins = customer["System Administrator"]
    assert admins.status == "1 of 2 needed"
    assert [h.name for h in admins.holders] == ["Sam Admin"]
    provider = {r.role: r for r in rows[Side.PROVIDER]}
    lead = provider["Technical Lead or Delivery Manager"]  # merged into the first role's row
    assert lead.status == "vacant"
    assert [(h.name, h.active, h.note) for h in lead.holders] == [("Olaf Old", False, "left")]
    assert "Technical Lead" not in provider
    ended = provider["Delivery Manager"].holders
    assert [(h.active, h.note) for h in ended] == [(False, "ended 2026-03-31")]
    assert provider["Account Manager"].status == "held"
    page = ReviewPack(review, render(_team_graph(), customer="c1", as_of=AS_OF))
    markdown = page.markdown()
    assert "~~Olaf Old~~ (left)" in markdown
    assert "| **1 of 2 needed** |" in markdown


def test_quadrants_split_the_one_to_five_scales_between_three_and_four() -> None:
    assert quadrant(4, 4) == "manage closely"
    assert quadrant(5, 3) == "keep satisfied"
    assert quadrant(3, 5) == "keep informed"
    assert quadrant(3, 3) == "monitor"
    assert quadrant(1, 1) == "monitor"


def test_power_interest_places_active_rated_people_and_fans_out_shared_squares() -> None:
    review = AccountReview.build(_team_graph().store, "c1", as_of=AS_OF)
    placements = review.power_interest()
    assert [(p.person.name, p.quadrant) for p in placements] == [
        ("Carl Finance", QUADRANTS[0]), ("Cleo Chief", QUADRANTS[0]),
        ("Sam Admin", QUADRANTS[2]), ("Nina New", None)]  # Gus left: not on the grid
    svg = ET.fromstring(power_interest_svg(placements))
    dots = {g.findtext(f"{SVG}title", "").split(":")[0]: g.find(f"{SVG}circle")
            for g in svg.iter(f"{SVG}g")}
    assert set(dots) == {"Carl Finance", "Cleo Chief", "Sam Admin"}
    centre = {name: (float(c.get("cx", 0)), float(c.get("cy", 0)))  # type: ignore[union-attr]
              for name, c in dots.items()}
    assert centre["Carl Finance"] != centre["Cleo Chief"]  # same square, both visible
    assert centre["Sam Admin"][1] > centre["Cleo Chief"][1]  # less influence: lower down
    assert dots["Cleo Chief"].get("fill") == "#b9e4c9"  # type: ignore[union-attr]
    labels = {g.findtext(f"{SVG}title", "").split(":")[0]:
              [t.text for t in g.iter(f"{SVG}text")] for g in svg.iter(f"{SVG}g")}
    assert labels["Carl Finance"] == ["1"]  # shares a square: numbered as in the table, no name
    assert labels["Sam Admin"] == ["3", "Sam Admin"]  # alone: named on the chart
    text = ReviewPack(review, render(_team_graph(), customer="c1", as_of=AS_OF)
                      ).markdown()
    assert "Not rated yet: Nina New." in text
    assert "| manage closely | Carl Finance | 5 | 5 | skeptic |" in text


HOSTILE = 'Zoë "Q" | O\'Neil <script>window.pwned=1</script><img src=x onerror="pwned=2">' \
    ' &amp; 王芳 שלום\nline2'


def _hostile_graph() -> stakemap.StakeholderGraph:
    g = stakemap.StakeholderGraph()
    g.add_organization("us", HOSTILE, type="provider")
    g.add_customer("c1", HOSTILE, phase="operations", tier=HOSTILE)
    g.add_person("p1", HOSTILE, organization="c1", title=HOSTILE, stance="champion",
                 influence=4, interest=5)
    g.add_person("p2", HOSTILE, organization="us")
    g.assign_role("p2", "account-manager", at="c1")
    g.add_service("s1", HOSTILE, provider="us")
    g.consume("c1", "s1", vital=True)
    return g


def test_hostile_names_are_escaped_in_html_and_markdown() -> None:
    graph = _hostile_graph()
    # a third person only p1 connects to our p2: p1 is a broker and gatekeeper, and the
    # hostile names reach "Key connectors" (and p2's departure "If these people leave")
    graph.add_person("p3", HOSTILE + " 3", organization="c1")
    graph.relate("p1", "p2")
    graph.relate("p1", "p3")
    pack = report(graph, customer="c1", as_of=AS_OF)
    assert [c.roles for c in pack.review.key_connectors()] == [("broker", "gatekeeper")]
    assert pack.review.leavers
    page = pack.html()
    assert "<script" not in page
    assert "<img" not in page
    assert html.escape(HOSTILE.split("\n", maxsplit=1)[0]) in page
    for section in ("connectors", "leavers"):
        assert html.escape(HOSTILE.split("\n", maxsplit=1)[0]) in _section(page, section)
    markdown = pack.markdown()
    header_pipes = None
    for line in markdown.splitlines():
        if line.startswith("| "):  # every table row keeps its column count
            pipes = len(re.findall(r"(?<!\\)\|", line))
            if line.startswith(("| role", "| severity", "| quadrant", "| person", "| # ",
                                    "| their key people", "| service or agreement")):
                header_pipes = pipes
            assert pipes == header_pipes, line
    assert "\\<script\\>" in markdown
    for title in ("Key connectors", "If these people leave"):
        assert "\\<script\\>" in _md_section(markdown, title)
        assert not re.search(r"(?<!\\)<", _md_section(markdown, title))  # no raw HTML


def test_library_report_and_jupyter_display(northwind: ReviewPack, tmp_path: Path) -> None:
    shown = northwind._repr_html_()
    assert shown.startswith('<article class="stakemap-pack"')
    assert shown.rstrip().endswith("</article>")
    assert not re.search(r"<(!DOCTYPE|html|head|body)\b", shown, re.I)
    assert "@page" not in shown  # page setup belongs to the notebook, not to the pack
    assert northwind.save(tmp_path / "r.md").read_text(encoding="utf-8") == \
        northwind.markdown()
    with pytest.raises(stakemap.StakemapError, match=r"name it \.html, \.md or \.pdf"):
        northwind.save(tmp_path / "r.txt")
    assert not (tmp_path / "r.txt").exists()


def test_html_without_dot_says_how_to_install_and_markdown_still_works(
        northwind: ReviewPack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot anywhere
    with pytest.raises(MissingDependencyError, match=r"apt-get install graphviz.*markdown"):
        northwind.save(tmp_path / "r.html")
    assert not list(tmp_path.iterdir())  # nothing half-written
    assert "## Roles" in northwind.markdown()


def test_cli_report_writes_html_markdown_and_stdout(tmp_path: Path) -> None:
    runner = CliRunner()
    common = [str(EXAMPLE), "--customer", "northwind", "--playbook", "msp-account-team",
              "--as-of", "2026-11-01"]
    result = runner.invoke(cli, ["report", *common, "-o", str(tmp_path / "review.html")])
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr
    assert "Account review: Northwind Logistics" in (tmp_path / "review.html").read_text(
        encoding="utf-8")
    result = runner.invoke(cli, ["report", *common, "-o", str(tmp_path / "review.md")])
    assert (tmp_path / "review.md").read_text(encoding="utf-8").startswith(
        "# Account review: Northwind Logistics")
    result = runner.invoke(cli, ["report", *common, "-o", "-"])
    assert result.stdout.startswith("# Account review")
    result = runner.invoke(cli, ["report", *common, "--format", "html", "-o", "-"])
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_cli_report_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["report", str(EXAMPLE), "--customer", "northwnd",
                                 "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "did you mean 'northwind'" in result.stderr
    result = runner.invoke(cli, ["report", str(EXAMPLE), "--customer", "northwind",
                                 "-o", str(tmp_path / "r.txt")])
    assert result.exit_code == 2
    assert "name it .html, .md or .pdf" in result.stderr
    result = runner.invoke(cli, ["report", str(EXAMPLE), "--customer", "northwind",
                                 "--format", "pdf", "-o", "-"])
    assert result.exit_code == 2
    assert "not text" in result.stderr
    assert not list(tmp_path.iterdir())


def _css_selectors(css: str) -> list[str]:
    """Every selector of ``css``, with the at-rules' own preludes (``@media print``) left
    out: comments dropped, each block's selector list split at its top-level commas."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors, prelude, depth = [], "", 0
    for char in css:
        if char == "{":
            head = prelude.strip()
            if head and not head.startswith("@"):
                depth_paren, part = 0, ""
                for c in head:
                    depth_paren += (c == "(") - (c == ")")
                    if c == "," and depth_paren == 0:
                        selectors.append(part.strip())
                        part = ""
                    else:
                        part += c
                selectors.append(part.strip())
            prelude, depth = "", depth + 1
        elif char == "}":
            prelude, depth = "", depth - 1
        elif char == ";":
            prelude = ""
        else:
            prelude += char
    return selectors


def test_every_css_rule_of_the_pack_is_scoped_to_its_container(northwind: ReviewPack,
                                                               northwind_html: str) -> None:
    styles = re.findall(r"<style>(.*?)</style>", northwind_html, re.S)
    assert len(styles) == 2  # the page setup in <head>, the pack's own in the pack
    page_setup, pack_css = styles
    assert re.fullmatch(r"(\s*@page[\w\s-]*\{[^{}]*\}\s*)+", page_setup), page_setup
    selectors = _css_selectors(pack_css)
    assert len(selectors) > 60
    unscoped = [s for s in selectors if not re.match(r"\.stakemap-pack(?![\w-])", s)]
    assert unscoped == []
    assert "@media print" in pack_css
    for rule in ("break-inside: avoid", "display: table-header-group", "print-color-adjust"):
        assert rule in pack_css, rule
    # the notebook's fragment: the same scoped <style>, and nothing that styles the page
    fragment = northwind._repr_html_()
    assert re.findall(r"<style>(.*?)</style>", fragment, re.S) == [pack_css]
    assert not any(re.search(r"(^|[\s,>+~(])(html|body|\*|:root)\b", s)
                   for s in _css_selectors(fragment.split("</style>")[0]) if
                   not s.startswith(".stakemap-pack"))
    # and the selector parser itself sees an unscoped rule
    assert _css_selectors("@media print { body { x: 1 } .a, h2 { y: 2 } }") == \
        ["body", ".a", "h2"]


PDF_COMMON = [str(EXAMPLE), "--customer", "northwind", "--playbook", "msp-account-team",
              "--as-of", "2026-11-01"]


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's MediaBox width and height in pt, read from the PDF's own bytes."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", pdf)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


@pytest.mark.browser
def test_cli_report_writes_an_a4_pdf_through_chromium(tmp_path: Path) -> None:
    import shutil
    import subprocess

    target = tmp_path / "pack.pdf"
    result = CliRunner().invoke(cli, ["report", *PDF_COMMON, "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert f"wrote {target}" in result.stderr
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    sizes = _page_sizes(pdf)
    assert len(sizes) >= 3
    assert sizes[0] == pytest.approx((595, 842), abs=1)  # A4 portrait, not Letter
    # the wide account map has a landscape A4 page of its own; every other page is portrait
    assert all(s in ((595, 842), (842, 595)) for s in
               [(round(w), round(h)) for w, h in sizes])
    assert (842, 595) in [(round(w), round(h)) for w, h in sizes]
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]  # no temporary file left
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True,
                              capture_output=True, text=True).stdout
        for title in ("Account review: Northwind Logistics", "Key connectors",
                      "Who covers whom", "If these people leave", "Power and interest"):
            assert title in text, title
    # --format pdf says the same whatever the name; the library gives the same bytes' kind
    other = tmp_path / "pack.out"
    result = CliRunner().invoke(cli, ["report", *PDF_COMMON, "--format", "pdf",
                                      "-o", str(other)])
    assert result.exit_code == 0, result.stderr
    assert other.read_bytes().startswith(b"%PDF")


def test_pdf_without_chromium_names_the_package_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import stakemap.render.pdf as pdf_module

    real_which = shutil.which
    monkeypatch.setattr(pdf_module.shutil, "which",
                        lambda name, *a, **k: None if name in pdf_module.BROWSERS
                        else real_which(name, *a, **k))
    old = tmp_path / "old.pdf"
    old.write_bytes(b"%PDF old")
    for target in (tmp_path / "new.pdf", old):
        result = CliRunner().invoke(cli, ["report", *PDF_COMMON, "-o", str(target)])
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("stakemap: error: PDF output needs a headless Chromium")
        assert "apt-get install chromium" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.pdf"]
    assert old.read_bytes() == b"%PDF old"  # untouched
    pack = report(stakemap.load_portfolio(EXAMPLE), customer="northwind", as_of=AS_OF)
    with pytest.raises(MissingDependencyError, match="'chromium'"):
        pack.pdf()


def test_pdf_refuses_the_explorer_link_and_an_input_as_target(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", *PDF_COMMON, "--interactive",
                                      "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2
    assert "cannot link to the explorer" in result.stderr
    copy = tmp_path / "portfolio.pdf"
    copy.write_bytes(EXAMPLE.read_bytes())
    result = CliRunner().invoke(cli, ["report", str(copy), "--customer", "northwind",
                                      "-o", str(copy)])
    assert result.exit_code == 2
    assert "it is an input" in result.stderr
    assert copy.read_bytes() == EXAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.pdf"]


# -- in a real browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = start_browser()
    yield driver
    driver.quit()


@pytest.mark.browser
def test_the_browser_check_sees_console_errors_and_blank_pages(browser: Any,
                                                                tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><p>x</p><script>console.error("boom")</script>'
                      '<img src="missing.png">', encoding="utf-8")
    errors = visit(browser, broken).errors
    assert any("boom" in e for e in errors)
    assert any("missing.png" in e for e in errors)
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    share, colours = ink(visit(browser, blank).screenshot)
    assert share < 0.001
    assert colours <= 2


@pytest.mark.browser
def test_pack_loads_in_a_real_browser_with_no_console_errors(
        browser: Any, northwind: ReviewPack, tmp_path: Path) -> None:
    page = visit(browser, northwind.save(tmp_path / "review.html"))
    assert page.errors == []
    share, colours = ink(page.screenshot)
    assert share > 0.05  # the first screen holds the summary cards and findings
    assert colours > 50
    width = page.script("return document.querySelector('.diagram svg')"
                        ".getBoundingClientRect().width")
    assert width > 500  # the diagram is laid out, not collapsed
    assert page.script("return document.querySelectorAll('svg.power-interest circle')"
                       ".length") == 6  # the rated people of Northwind
    assert page.script("return document.querySelectorAll('tr.finding').length") == 4
    assert page.script("return document.title") == "Account review: Northwind Logistics"
    from selenium.webdriver.common.by import By

    for id, rows in (("connectors", "tr.connector"), ("leavers", "tr.leaver")):
        heading = browser.find_element(By.ID, id)
        assert heading.is_displayed(), id
        # the section's table: the first one after the heading, laid out and on show
        table = heading.find_element(By.XPATH, "following-sibling::table[1]")
        assert table.is_displayed(), id
        assert table.size["height"] > 40, id
        assert table.size["width"] > 500, id
        assert all(r.is_displayed() for r in table.find_elements(By.CSS_SELECTOR, rows))
    connectors = browser.find_element(By.ID, "connectors").find_element(
        By.XPATH, "following-sibling::table[1]").text
    assert "Julia Weber" in connectors
    assert "our only link to Nadia Rahman" in connectors
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.leaver")) == 3
    # who covers whom: on show, and its smallest text legible at a 1280 px wide page
    browser.set_window_size(1280, 1600)
    try:
        visit(browser, tmp_path / "review.html")
        section = browser.find_element(By.ID, "coverage")
        assert section.is_displayed()
        matrix = section.find_element(By.XPATH, "following-sibling::figure[1]")
        assert matrix.is_displayed()
        assert matrix.size["width"] > 500
        heights = page.script(
            "return Array.from(document.querySelectorAll('#coverage + p + figure svg text'))"
            ".map(t => t.getBoundingClientRect().height).filter(h => h > 0)")
        assert len(heights) > 20  # names, roles, warmths, legend
        assert min(heights) >= 9, min(heights)
    finally:
        browser.set_window_size(1200, 1600)


HOST_CSS = ("body { font-family: serif; color: #00f; } h2 { font-size: 60px; color: #0a0; } "
            "table { border: 5px solid red; } td, th { padding: 20px; font-size: 30px; } "
            "p { margin: 50px; } * { box-sizing: content-box; }")
"""A notebook-like host with ordinary rules of its own for the elements the pack uses."""

_STYLES = """
const pick = (el) => { const s = getComputedStyle(el); return {
  font: s.fontFamily, size: s.fontSize, colour: s.color, border: s.borderTopWidth,
  padding: s.paddingTop, boxSizing: s.boxSizing, margin: s.marginTop}; };
const pack = document.querySelector('.stakemap-pack');
return {h2: pick(pack.querySelector('h2')), table: pick(pack.querySelector('table')),
        td: pick(pack.querySelector('td')), p: pick(pack.querySelector('header p')),
        pack: pick(pack),
        host: document.getElementById('host') && pick(document.getElementById('host')),
        hostTable: document.getElementById('host-table') &&
                   pick(document.getElementById('host-table'))};
"""


@pytest.mark.browser
def test_pack_in_a_host_page_neither_restyles_it_nor_is_restyled(
        browser: Any, northwind: ReviewPack, tmp_path: Path) -> None:
    alone = visit(browser, northwind.save(tmp_path / "alone.html")).script(_STYLES)
    # the host alone: what its own elements look like without the pack
    bare = tmp_path / "bare.html"
    host_parts = ('<h2 id="host">Notebook cell</h2><table id="host-table"><tr><td>x</td>'
                  "</tr></table>")
    bare.write_text(f"<!DOCTYPE html><html><head><style>{HOST_CSS}</style></head><body>"
                    f"{host_parts}</body></html>", encoding="utf-8")
    host_alone = visit(browser, bare).script(
        "const s = getComputedStyle(document.getElementById('host'));"
        "const t = getComputedStyle(document.getElementById('host-table'));"
        "return [s.fontSize, s.fontFamily, s.color, s.marginTop, t.borderTopWidth];")
    assert host_alone[0] == "60px"
    assert host_alone[4] == "5px"
    hosted = tmp_path / "notebook.html"
    hosted.write_text(f"<!DOCTYPE html><html><head><style>{HOST_CSS}</style></head><body>"
                      f"{host_parts}<div class='output'>{northwind._repr_html_()}</div>"
                      "</body></html>", encoding="utf-8")
    page = visit(browser, hosted)
    assert page.errors == []
    inside = page.script(_STYLES)
    for part in ("h2", "table", "td", "p", "pack"):
        assert inside[part] == alone[part], part  # the host's rules did not reach the pack
    assert inside["h2"]["size"] == "19px"
    assert inside["table"]["border"] == "0px"
    assert inside["pack"]["font"].split(",")[-1].strip() != "serif"
    host = inside["host"]
    # the pack's rules did not reach the host: its h2 and table look as they did alone
    assert [host["size"], host["font"], host["colour"], host["margin"],
            inside["hostTable"]["border"]] == host_alone
    assert host["size"] == "60px"


LINK_NAMES = ['<a href="javascript:window.pwned=3">Ann</a>', "[Bo](javascript:pwned=4)",
              '<TABLE><TR><TD HREF="javascript:pwned=5">Cy</TD></TR></TABLE>',
              '<<A HREF="javascript:pwned=6">Di</A>>', '"><a xlink:href="javascript:pwned=7">Ed',
              "<Ops>", "\\N ]", "JaVaScRiPt:pwned=8"]
"""Names that try to become links: HTML anchors, Markdown links, Graphviz's own HREF in an
HTML-like label, an SVG xlink, a name Graphviz would replace (``\\N``), a bare scheme."""

_NO_SCRIPT_LINKS = """
const bad = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) {
    const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
    if (value.startsWith('javascript:') || /^on/i.test(attr.name)) bad.push(attr.name);
  }
}
return bad;
"""


def _link_graph() -> stakemap.StakeholderGraph:
    graph = _hostile_graph()
    for i, name in enumerate(LINK_NAMES):
        side = "c1" if i % 2 else "us"
        graph.add_person(f"l{i}", name, organization=side, title=name, stance="blocker",
                         influence=5, interest=5)
        if side == "us":
            graph.assign_role(f"l{i}", "account-manager", at="c1")
        graph.add_service(f"ls{i}", name, provider="us")
        graph.consume("c1", f"ls{i}")
    return graph


@pytest.mark.browser
def test_hostile_names_stay_text_in_the_browser(browser: Any, tmp_path: Path) -> None:
    pack = report(_link_graph(), customer="c1", as_of=AS_OF)
    _assert_stays_text(visit(browser, pack.save(tmp_path / "hostile.html")))
    # the negative control: the same checks do see script links, in HTML and in SVG
    bait = tmp_path / "bait.html"
    bait.write_text('<!DOCTYPE html><title>bait</title><a href="JavaScript:void(0)">x</a>'
                    '<svg xmlns="http://www.w3.org/2000/svg" '
                    'xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:'
                    'void(0)"><text y="10">y</text></a></svg>', encoding="utf-8")
    page = visit(browser, bait)
    assert page.script("return document.querySelectorAll("
                       "'a[href^=\"javascript:\" i], a[*|href^=\"javascript:\" i]').length") == 2
    assert len(page.script(_NO_SCRIPT_LINKS)) == 2


@pytest.mark.browser
@pytest.mark.neo4j
def test_a_pack_read_from_neo4j_is_the_same_safe_page(browser: Any, neo4j_store: Any,
                                                      tmp_path: Path) -> None:
    """The hostile names stored in Neo4j and read back by the rules' Cypher: the pack is the
    in-memory pack, byte for byte, and stays text in the browser."""
    graph = _link_graph()
    stakemap.StakeholderGraph(neo4j_store).put(graph.snapshot())
    from_store = report(neo4j_store, customer="c1", as_of=AS_OF)
    assert from_store.html() == report(graph, customer="c1", as_of=AS_OF).html()
    assert from_store.markdown() == report(graph, customer="c1", as_of=AS_OF).markdown()
    _assert_stays_text(visit(browser, from_store.save(tmp_path / "from-neo4j.html")))


def _assert_stays_text(page: Any) -> None:
    assert page.errors == []
    assert page.script("return typeof window.pwned") == "undefined"
    assert page.script("return document.querySelectorAll('script, img').length") == 0
    title = page.script("return document.querySelector('h1').textContent")
    assert "<script>window.pwned=1</script>" in title
    assert "王芳 שלום" in title
    # no javascript: link anywhere, the diagram's inline SVG included (xlink:href too)
    assert page.script("return document.querySelectorAll("
                       "'a[href^=\"javascript:\" i], a[*|href^=\"javascript:\" i]').length") == 0
    assert page.script("return document.querySelectorAll('a[href], a[*|href]').length") == 0
    assert page.script(_NO_SCRIPT_LINKS) == []
    # each name drawn as text (the word joiner in \\N is invisible): their people on the
    # map, ours in the coverage matrix, the services in the table under the map
    drawn = page.script("return Array.from(document.querySelectorAll("
                        "'.diagram svg, #things + table')).map(e => e.textContent).join(' ')")
    for name in LINK_NAMES:
        assert name in drawn.replace("\u2060", ""), name
    assert page.script("return document.querySelector('.diagram svg').getBoundingClientRect()"
                       ".width") > 300  # the diagram was drawn, not dropped


def test_the_pack_map_is_their_chart_and_the_services_a_table(northwind: ReviewPack,
                                                              northwind_html: str) -> None:
    # their side at page width; ours is the coverage matrix, the services this table
    assert "Northwind Logistics: their people" in northwind.diagram.source
    assert '"person:tom-becker"' not in northwind.diagram.source
    table = _section(northwind_html, "diagram")
    assert 'id="things"' in table
    rows = {r.name: r for r in northwind.review.thing_rows()}
    assert rows["Backup & Recovery"].owners == ()
    assert rows["Backup & Recovery"].findings == ("no owner",)
    assert rows["ERP Hosting"].owners == ("Hannah Okafor (ours)",)
    assert rows["ERP Hosting"].vital
    assert [r.kind for r in rows.values()].count("agreement") == 1
    assert "Backup &amp; Recovery" in table
    assert '<span class="gap">nobody</span>' in table
    assert "next review 2027-03-31" in table
    markdown = northwind.markdown()
    assert "### Services and agreements" in markdown
    assert "| Backup & Recovery (service) | **nobody** | - | no owner |" in markdown


def test_a_map_too_wide_for_the_page_scrolls_rather_than_shrink_past_legible() -> None:
    from stakemap.render.review_html import LEGIBLE_SCALE, _legible_svg

    svg = '<svg width="1500pt" height="300pt" viewBox="0 0 1500 300"><text>x</text></svg>'
    shown = _legible_svg(svg)
    least = 1500 * 96 / 72 * LEGIBLE_SCALE
    assert shown.startswith(f'<svg style="min-width: {least:.0f}px" width="1500pt"')
    assert _legible_svg("<svg><text>x</text></svg>") == "<svg><text>x</text></svg>"
