"""Account diagrams: DOT text for each visual rule, real Graphviz output in every format,
hostile names, and the missing-binary error."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.errors import MissingDependencyError
from stakemap.render.diagram import Diagram, render
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
GAP = "#d32f2f"


def _dot(example: str, playbook: str, customer: str) -> str:
    graph = stakemap.load_portfolio(ROOT / "examples" / f"{example}.yaml")
    return render(graph, customer=customer, playbook=playbook, as_of=AS_OF).source


@pytest.fixture(scope="module")
def msp() -> str:
    return _dot("msp-operations", "msp-account-team", "northwind")


@pytest.fixture(scope="module")
def vendor() -> str:
    return _dot("vendor-implementation", "account-trio", "helix")


def _line(dot: str, start: str) -> str:
    found = [line for line in dot.splitlines() if line.strip().startswith(start)]
    assert found, f"no line starting with {start}"
    return found[0]


def test_vacant_required_role_is_a_dashed_placeholder(msp: str) -> None:
    line = _line(msp, '"vacant:executive-sponsor-missing"')
    assert "Executive Sponsor: vacant" in line
    assert 'style="rounded,dashed"' in line
    assert f'color="{GAP}"' in line


def test_unowned_service_and_uncovered_decision_maker_stand_out(msp: str) -> None:
    service = _line(msp, '"service:nw-backup"')
    assert f'color="{GAP}"' in service
    assert "no owner" in service
    li_na = _line(msp, '"person:li-na" [')
    assert f'color="{GAP}"' in li_na
    assert 'penwidth="3"' in li_na
    assert "uncovered decision-maker" in li_na
    assert f'color="{GAP}"' not in _line(msp, '"service:nw-erp-hosting"')


def test_stale_relationship_fades_and_fresh_ones_do_not(msp: str) -> None:
    stale = _line(msp, '"person:kenji-mori" -> "person:omar-haddad"')
    assert 'color="#9e9e9e80"' in stale
    assert 'style="dashed"' in stale
    assert "stale since 2026-05-04" in stale
    fresh = _line(msp, '"person:mark-jensen" -> "person:tom-becker"')
    assert 'style="dashed"' not in fresh
    assert 'color="#2e7d32"' in fresh  # positive sentiment


def test_left_person_is_struck_through_and_dotted_lines_stay_dotted(vendor: str) -> None:
    liu = _line(vendor, '"person:liu-yang" [')
    assert "<S><B>" in liu
    assert "(left)" in liu
    assert 'style="dotted"' in _line(vendor, '"person:sofia-rossi" -> "person:ben-carter"')


def test_blocker_single_thread_and_stance_are_visible(vendor: str) -> None:
    chen = _line(vendor, '"person:chen-jing" [')
    assert 'peripheries="2"' in chen
    assert 'fillcolor="#f8c4c4"' in chen  # blocker
    assert "goes through this person" in _line(vendor, '"person:marta-kowalski" [')
    assert "Legend" in vendor


HOSTILE = 'Zoë "Q" O\'Neil <b>&amp; \\N}] 王芳 שלום\nline2'


def _hostile_graph() -> stakemap.StakeholderGraph:
    g = stakemap.StakeholderGraph()
    g.add_organization("us", HOSTILE, type="provider")
    g.add_customer("c1", HOSTILE, phase="operations")
    g.add_person("p1", HOSTILE, organization="c1", title=HOSTILE, stance="champion",
                 influence=3)
    g.add_person("p2", HOSTILE, organization="us")
    g.assign_role("p2", "account-manager", at="c1")
    g.add_service("s1", HOSTILE, provider="us")
    g.consume("c1", "s1", vital=True)
    g.relate("p1", "p2", strength=0.9, sentiment="positive")
    return g


def test_hostile_names_are_escaped_and_render() -> None:
    diagram = render(_hostile_graph(), customer="c1", as_of=AS_OF)
    person = _line(diagram.source, '"person:p1" [')
    assert "<b>" not in person  # markup escaped in HTML-like labels
    assert "&lt;b&gt;&amp;amp;" in person
    svg = ET.fromstring(diagram.pipe("svg"))
    texts = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert 'Zoë "Q" O\'Neil <b>&amp; \\N}] 王芳 שלום' in texts
    assert "line2" in texts


def test_every_format_renders_for_real(tmp_path: Path) -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    diagram = render(graph, customer="northwind", playbook="msp-account-team", as_of=AS_OF)
    svg = ET.fromstring(diagram.save(tmp_path / "a.svg").read_bytes())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    png = diagram.save(tmp_path / "a.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert 800 < width < 10_000
    assert 200 < height < 10_000
    assert diagram.save(tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert diagram.save(tmp_path / "a.dot").read_text(encoding="utf-8") == diagram.source
    assert diagram._repr_svg_().lstrip().startswith("<?xml")


def test_missing_dot_says_how_to_install_and_dot_output_still_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot anywhere
    diagram = Diagram("digraph { a -> b }")
    with pytest.raises(MissingDependencyError, match="apt-get install graphviz"):
        diagram.pipe("svg")
    assert diagram.pipe("dot") == b"digraph { a -> b }"


def test_cli_render_writes_the_file_and_refuses_a_non_customer(tmp_path: Path) -> None:
    runner = CliRunner()
    example = str(ROOT / "examples" / "msp-operations.yaml")
    out = tmp_path / "northwind.svg"
    result = runner.invoke(cli, ["render", example, "--customer", "northwind",
                                 "--as-of", "2026-11-01", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert ET.fromstring(out.read_bytes()).tag.endswith("svg")
    result = runner.invoke(cli, ["render", example, "--customer", "bluepeak", "-o", "-"])
    assert result.exit_code == 2
    assert "no account 'bluepeak'" in result.stderr  # a provider, not an account
    result = runner.invoke(cli, ["render", example, "--customer", "northwnd", "-o", "-"])
    assert "did you mean 'northwind'" in result.stderr
    result = runner.invoke(cli, ["render", example, "--customer", "northwind", "-o", "-"])
    assert re.match(r"digraph account \{", result.stdout)


def test_portfolio_overview_scores_every_account_and_picks_the_engine_by_size() -> None:
    from stakemap.generate import generate_portfolio

    small = stakemap.load_portfolio(ROOT / "examples" / "it-customer-teams.yaml")
    diagram = render(small, playbook="it-customer-team", as_of=AS_OF)
    assert diagram.engine == "dot"
    assert 'score 42' in _line(diagram.source, '"account:bu-logistics"')
    assert 'fillcolor="#f8c4c4"' in _line(diagram.source, '"account:bu-logistics"')  # < 50
    assert '"person:samir-nasser" -> "account:bu-finance"' in diagram.source
    assert "contoso" not in {line.split('"')[1] for line in diagram.source.splitlines()
                             if line.strip().startswith('"account:')}
    big = stakemap.StakeholderGraph.from_portfolio(generate_portfolio(200, seed=1))
    overview = render(big, as_of=AS_OF)
    assert overview.engine == "sfdp"
    assert overview.source.count('"account:') >= 200
    svg = ET.fromstring(overview.pipe("svg"))
    assert svg.tag.endswith("svg")


def test_only_reporting_lines_rank_people(msp: str) -> None:
    """Relationships never constrain the layout: ranks follow the org chart, and a 300-person
    account with 2,000 colleague ties lays out in a second instead of a quarter of an hour."""
    relationships = [line for line in msp.splitlines() if 'dir="none"' in line]
    assert len(relationships) >= 5
    assert all('constraint="false"' in line for line in relationships)
    reporting = [line for line in msp.splitlines() if 'arrowhead="none"' in line]
    assert reporting
    assert not any("constraint" in line for line in reporting)


def test_a_stale_tie_folded_into_a_lapsed_contact_still_fades() -> None:
    """Li Na's only tie lapsing is one stale-contact finding with the stale relationship in
    its ``also``: the diagram still draws that tie dashed and faded."""
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    graph.relate("li-na", "tom-becker", last_contact=date(2026, 3, 1))
    diagram = render(graph, customer="northwind", playbook="msp-account-team", as_of=AS_OF)
    report = stakemap.find_gaps(graph, playbook="msp-account-team", as_of=AS_OF)
    (about,) = [f for f in report.findings if f.subject == "li-na"]
    assert (about.code, [a.rule_type for a in about.also]) == (
        "stale-contact", ["stale-relationship"])
    tie = _line(diagram.source, '"person:li-na" -> "person:tom-becker"')
    assert 'style="dashed"' in tie
    assert "stale since 2026-03-01" in tie


def test_network_rule_tags_mark_the_gatekeeper_and_hidden_influencer() -> None:
    """Under the network playbook, Julia Weber's box says why she matters and is drawn as a
    gap; under the default playbook it says neither."""
    julia = _line(_dot("msp-operations", "network", "northwind"), '"person:julia-weber"')
    assert "⚠ gatekeeper: only way to 1 person" in julia
    assert "⚠ hidden influencer" in julia
    assert f'color="{GAP}"' in julia
    plain = _line(_dot("msp-operations", "default", "northwind"), '"person:julia-weber"')
    assert "gatekeeper" not in plain
    assert "hidden influencer" not in plain
