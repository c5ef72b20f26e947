"""The coverage matrix ("who covers whom"): a DOT-text test per visual rule, on the Northwind
example and a small hand-made account (on each backend through the ``store`` fixture), the
CLI writing a real SVG, and the refusal of the view without an account."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.analysis.coverage import coverage_matrix
from stakemap.backends import GraphStore
from stakemap.render import report
from stakemap.render.diagram import render
from tests.conftest import ROOT
from tests.networks import AS_OF, one_account

GAP = "#d32f2f"
HOSTILE = '<b>x</b> "q" & co'
DASH = "\u2013"


def _cell(dot: str, ours: str, theirs: str) -> str:
    """The ``<TD>`` whose tooltip names ``ours`` and ``theirs`` (as escaped in the DOT)."""
    found = re.findall(rf'<TD HREF="#coverage" TOOLTIP="{re.escape(ours)} {DASH} '
                       rf'{re.escape(theirs)}:[^"]*"[^>]*>', dot)
    assert len(found) == 1, (ours, theirs, found)
    return found[0]


def _account(store: GraphStore) -> stakemap.StakeholderGraph:
    """Tom (account manager) and Ann (technical lead) of ours; their Warm, tied fresh to Tom
    and long ago to Ann; Kim, tied only to Ann; Dee, who decides and knows nobody of ours."""
    g = one_account(store, "warm", "kim", "dee")
    g.add_person("ann", "Ann", organization="us")
    g.assign_role("ann", "technical-lead", at="acme")
    for pid in ("warm", "kim"):
        g.assign_role(pid, "system-owner", at="acme")
    g.grant_authority("dee", "budget", over="acme")
    g.relate("tom", "warm", strength=0.9, last_contact=AS_OF - timedelta(days=10))
    g.relate("ann", "warm", strength=0.9, last_contact=AS_OF - timedelta(days=90 + 360))
    g.relate("ann", "kim", strength=0.5, last_contact=AS_OF - timedelta(days=5))
    return g


@pytest.fixture(scope="module")
def northwind() -> str:
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    return render(graph, customer="northwind", playbook="msp-account-team", as_of=AS_OF,
                  view="coverage").source


def test_a_warm_fresh_tie_is_dark_and_a_stale_one_pale_and_says_stale(
        store: GraphStore) -> None:
    dot = render(_account(store), customer="acme", as_of=AS_OF, view="coverage").source
    warm = _cell(dot, "Tom", "Warm")
    assert 'BGCOLOR="#006d2c"' in warm  # warmth 0.90: the darkest step
    stale = _cell(dot, "Ann", "Warm")
    assert 'BGCOLOR="#bae4b3"' in stale  # 0.9 halved twice after 450 days: 0.225
    after = dot[dot.index(stale):].split("</TD>")[0]
    assert "0.23" in after
    assert "stale" in after
    assert "stale" not in dot[dot.index(warm):].split("</TD>")[0]


def test_no_tie_is_an_empty_white_cell(store: GraphStore) -> None:
    dot = render(_account(store), customer="acme", as_of=AS_OF, view="coverage").source
    empty = _cell(dot, "Tom", "Kim")
    assert 'BGCOLOR="#ffffff"' in empty
    assert dot[dot.index(empty) + len(empty):].startswith(" </TD>")
    assert f'TOOLTIP="Tom {DASH} Kim: no tie"' in empty


def test_tooltips_spell_the_tie_out(store: GraphStore, northwind: str) -> None:
    assert (f'TOOLTIP="Tom Becker {DASH} Mark Jensen: meetings and relationship, strength '
            f'0.90, warmth 0.90, last contact 2026-10-08"') in northwind
    dot = render(_account(store), customer="acme", as_of=AS_OF, view="coverage").source
    stale = AS_OF - timedelta(days=450)
    assert f"relationship, strength 0.90, warmth 0.23, stale since {stale.isoformat()}" \
        in _cell(dot, "Ann", "Warm")


def test_an_uncovered_decision_maker_row_is_red_and_first(store: GraphStore,
                                                          northwind: str) -> None:
    matrix = coverage_matrix(_account(store), "acme", as_of=AS_OF)
    assert [r.id for r in matrix.people_rows] == ["dee", "kim", "warm"]
    assert matrix.rows[0].uncovered
    assert matrix.rows[0].decision_maker
    row = northwind[northwind.index("李娜"):]
    header = northwind[:northwind.index("李娜")].rsplit("<TD", 1)[1]
    assert f'COLOR="{GAP}"' in header
    assert 'BGCOLOR="#fdecea"' in header
    assert "no tie with our team" in row.split("</TD>")[0]
    # Li Na's row: every cell with our team empty
    assert 'BGCOLOR="#ffffff"' in _cell(northwind, "Tom Becker", "李娜 (Li Na)")


def test_a_vacant_seat_of_theirs_is_a_row_and_of_ours_a_column(store: GraphStore,
                                                               northwind: str) -> None:
    row = northwind.split("Executive Sponsor: vacant since 2026-06-30")
    assert len(row) == 2
    assert f'COLOR="{GAP}"' in row[0].rsplit("<TD", 1)[1]
    assert all(c.seat is None for c in coverage_matrix(
        _account(store), "acme", as_of=AS_OF).columns)  # Tom is the account manager
    lead = stakemap.StakeholderGraph()  # a team with no account lead
    lead.add_organization("us", "Us", type="provider")
    lead.add_customer("acme", "Acme")
    lead.add_service("svc", "Hosting", provider="us")
    lead.consume("acme", "svc")
    lead.add_person("ann", "Ann", organization="us")
    lead.assign_role("ann", "technical-lead", at="acme")
    dot = render(lead, customer="acme", as_of=AS_OF, view="coverage").source
    seats = [c for c in coverage_matrix(lead, "acme", as_of=AS_OF).columns if c.seat]
    assert [c.seat.vacancy.code for c in seats if c.seat] == ["account-lead-missing"]
    assert "vacant seat, ours" in dot


def test_hostile_names_are_escaped(store: GraphStore) -> None:
    g = _account(store)
    g.add_person("h", HOSTILE, organization="acme", title=HOSTILE, influence=5)
    g.relate("tom", "h", strength=0.5, last_contact=AS_OF)
    dot = render(g, customer="acme", as_of=AS_OF, view="coverage").source
    assert "<b>x</b>" not in dot
    assert "&lt;b&gt;x&lt;/b&gt; &quot;q&quot; &amp; co" in dot
    assert f'TOOLTIP="Tom {DASH} &lt;b&gt;x&lt;/b&gt; &quot;q&quot; &amp; co: relationship' in dot
    svg = stakemap.Diagram(dot).pipe("svg").decode()
    assert "<b>" not in svg
    assert "&lt;b&gt;x&lt;/b&gt;" in svg


def test_the_html_pack_shows_tooltips_as_titles_and_has_no_links() -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    page = report(graph, customer="northwind", playbook="msp-account-team",
                  as_of=AS_OF).html()
    section = page.split('<h2 id="coverage">Who covers whom</h2>')[1].split("<h2")[0]
    assert f"<title>Tom Becker {DASH} Mark Jensen: meetings and relationship" in section
    assert "<a " not in section
    assert "xlink:href" not in section
    assert "No tie with our team: 李娜 (Li Na)." in section


def test_the_markdown_pack_has_the_matrix_as_a_table() -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    text = report(graph, customer="northwind", playbook="msp-account-team",
                           as_of=AS_OF).markdown()
    section = text.split("## Who covers whom")[1].split("## Roles")[0]
    assert "| Mark Jensen (decides) | 0.60 | 0.90 |" in section
    assert "**⚠ 李娜 (Li Na)** (decides): no tie with our team" in section
    assert "*Executive Sponsor: vacant since 2026-06-30*" in section


def test_cli_writes_the_matrix_as_svg_through_dot(tmp_path: Path) -> None:
    out = tmp_path / "m.svg"
    result = CliRunner().invoke(cli, [
        "render", str(ROOT / "examples" / "msp-operations.yaml"), "--customer", "northwind",
        "--view", "coverage", "--as-of", "2026-11-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert "who covers whom" in svg
    assert "xlink:title=\"Tom Becker" in svg  # the tooltips reach the SVG


def test_cli_refuses_the_coverage_view_without_an_account(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [
        "render", str(ROOT / "examples" / "msp-operations.yaml"), "--view", "coverage",
        "-o", str(tmp_path / "m.svg")])
    assert result.exit_code == 2
    assert "coverage" in result.output
    assert not (tmp_path / "m.svg").exists()
