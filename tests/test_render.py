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


def test_coverage_is_a_badge_on_their_people_not_edges_across_the_chart(msp: str) -> None:
    """Who of ours knows each of their people, warmest first, is written on them; a lapsed
    tie says since when; no relationship edge crosses from one side to the other."""
    assert "known by Tom Becker 0.9" in _line(msp, '"person:mark-jensen" [')
    omar = _line(msp, '"person:omar-haddad" [')
    assert "known by Kenji Mori 0.6<BR/>stale since 2026-05-04" in omar
    assert 'COLOR="#757575">known by Kenji Mori' in omar  # faded: every tie lapsed
    assert "no tie with our team" in _line(msp, '"person:nadia-rahman" [')
    assert not any(line.strip().startswith(('"person:mark-jensen" -> "person:tom-becker"',
                                            '"person:kenji-mori" -> "person:omar-haddad"'))
                   for line in msp.splitlines())
    assert "stale since" not in "".join(line for line in msp.splitlines() if "->" in line
                                        and "label=" in line)


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
    assert '<TD BGCOLOR="#f8c4c4"><FONT POINT-SIZE="9">blocker</FONT></TD>' in vendor  # legend


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
    diagram = render(small, playbook="it-customer-team", as_of=AS_OF, view="overview")
    assert diagram.engine == "dot"
    assert 'score 42' in _line(diagram.source, '"account:bu-logistics"')
    assert 'fillcolor="#f8c4c4"' in _line(diagram.source, '"account:bu-logistics"')  # < 50
    assert '"person:samir-nasser" -> "account:bu-finance"' in diagram.source
    assert "contoso" not in {line.split('"')[1] for line in diagram.source.splitlines()
                             if line.strip().startswith('"account:')}
    big = stakemap.StakeholderGraph.from_portfolio(generate_portfolio(200, seed=1))
    overview = render(big, as_of=AS_OF, view="overview")
    assert overview.engine == "sfdp"
    assert overview.source.count('"account:') >= 200
    svg = ET.fromstring(overview.pipe("svg"))
    assert svg.tag.endswith("svg")


def test_only_reporting_lines_rank_people(msp: str) -> None:
    """Relationships never constrain the layout: ranks follow the org chart, and a 300-person
    account with 2,000 colleague ties lays out in a second instead of a quarter of an hour."""
    _, everyone = _generated_account(50)
    relationships = [line for line in everyone.splitlines() if 'dir="none"' in line]
    assert len(relationships) >= 5  # colleagues within a side; across, they are badges
    assert all('constraint="false"' in line for line in relationships)
    reporting = [line for line in msp.splitlines() if 'arrowhead="none"' in line]
    assert reporting
    assert not any("constraint" in line for line in reporting)


def test_a_stale_tie_folded_into_a_lapsed_contact_still_fades() -> None:
    """Li Na's only tie lapsing is one stale-contact finding with the stale relationship in
    its ``also``: the diagram still shows that tie as lapsed, on her badge."""
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    graph.relate("li-na", "tom-becker", last_contact=date(2026, 3, 1))
    diagram = render(graph, customer="northwind", playbook="msp-account-team", as_of=AS_OF)
    report = stakemap.find_gaps(graph, playbook="msp-account-team", as_of=AS_OF)
    (about,) = [f for f in report.findings if f.subject == "li-na"]
    assert (about.code, [a.rule_type for a in about.also]) == (
        "stale-contact", ["stale-relationship"])
    li_na = _line(diagram.source, '"person:li-na" [')
    assert "known by Tom Becker" in li_na
    assert "<BR/>stale since 2026-03-01" in li_na


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


# -- the portfolio heatmap -------------------------------------------------------------------

def _heat_rows(dot: str) -> list[str]:
    return re.findall(r"<TR>(.*?)</TR>", dot)[1:]  # the first row is the header


def test_heatmap_puts_the_worst_account_first_with_its_dimensions_and_top_action() -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "it-customer-teams.yaml")
    report = stakemap.find_gaps(graph, as_of=AS_OF)
    dot = render(graph, as_of=AS_OF).source  # the default view of a portfolio
    rows = _heat_rows(dot)
    assert len(rows) == len(report.scores)
    ordered = sorted(report.scores, key=lambda s: s.score)
    shown = [int(re.search(r"<B>(\d+)</B>", row).group(1)) for row in rows]  # type: ignore[union-attr]
    assert shown == [s.score for s in ordered]
    worst = ordered[0]
    assert worst.name in rows[0]
    assert report.top_actions(worst.customer, 1)[0].remediation[:40] in rows[0]
    for dimension, value in worst.dimensions.items():
        assert f">{value}</FONT>" in rows[0], dimension
    assert "worst first" in dot


def test_heatmap_colours_run_red_yellow_green_and_mark_what_does_not_apply() -> None:
    from stakemap.render.heatmap import heat_colour

    assert heat_colour(0) == "#d73027"
    assert heat_colour(50) == "#fee08b"
    assert heat_colour(100) == "#1a9850"
    assert heat_colour(-5) == heat_colour(0)
    assert heat_colour(25) not in {heat_colour(0), heat_colour(50)}
    from stakemap.analysis.gaps import CustomerScore, GapReport
    from stakemap.render.heatmap import heatmap_dot

    report = GapReport(playbook="p", as_of=AS_OF, findings=(), scores=(CustomerScore(
        customer="a", name="A", score=40, dimensions={"seats": 40, "decisions": 100,
                                                       "relationships": 100}),))
    (row,) = _heat_rows(heatmap_dot(report))
    assert row.count("<TD") == 7  # account, score, four dimensions, top action
    assert f'BGCOLOR="{heat_colour(40)}"' in row
    assert f'BGCOLOR="{heat_colour(100)}"' in row
    assert 'BGCOLOR="#f5f5f5"><FONT COLOR="#9e9e9e">-</FONT>' in row  # hygiene: no rule
    assert "nothing to do" in row


def test_heatmap_cuts_a_long_action_keeps_it_in_the_tooltip_and_escapes_names() -> None:
    from stakemap.analysis.gaps import CustomerScore, Finding, GapReport
    from stakemap.render.heatmap import ACTION_CHARS, heatmap_dot
    from stakemap.rules import Severity

    action = "Call <b>them</b> & " + "x" * 200
    report = GapReport(playbook="p", as_of=AS_OF, findings=(Finding(
        code="c", rule_type="single-threaded", severity=Severity.HIGH, subject="a",
        subject_name="A", customer="a", message="m", evidence=(), remediation=action),),
        scores=(CustomerScore(customer="a", name='<i>Acme</i> "&"', score=7,
                              dimensions={"seats": 7}),))
    dot = heatmap_dot(report)
    assert "&lt;i&gt;Acme&lt;/i&gt; &quot;&amp;&quot;" in dot
    assert "<i>" not in dot
    shown = re.search(r'TOOLTIP="[^"]*">([^<]*)</TD></TR>', dot).group(1)  # type: ignore[union-attr]
    assert shown.endswith("…")
    assert len(shown.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")) \
        == ACTION_CHARS
    assert f'TOOLTIP="Call &lt;b&gt;them&lt;/b&gt; &amp; {"x" * 200}"' in dot


def test_cli_draws_the_heatmap_by_default_and_the_overview_when_asked(tmp_path: Path) -> None:
    runner = CliRunner()
    example = str(ROOT / "examples" / "it-customer-teams.yaml")
    heat = runner.invoke(cli, ["render", example, "-o", "-", "--as-of", "2026-11-01"])
    assert heat.exit_code == 0, heat.output
    assert "digraph heatmap" in heat.output
    overview = runner.invoke(cli, ["render", example, "--view", "overview", "-o", "-",
                                   "--as-of", "2026-11-01"])
    assert "digraph portfolio" in overview.output
    wrong = runner.invoke(cli, ["render", example, "--customer", "bu-retail", "--view",
                                "heatmap", "-o", str(tmp_path / "x.svg")])
    assert wrong.exit_code == 2
    assert "no view 'heatmap' of an account" in wrong.output
    assert not (tmp_path / "x.svg").exists()
    svg = tmp_path / "heat.svg"
    drawn = runner.invoke(cli, ["render", example, "-o", str(svg), "--as-of", "2026-11-01"])
    assert drawn.exit_code == 0, drawn.output
    assert ET.parse(svg).getroot().tag.endswith("svg")



# -- the focused account map --------------------------------------------------------------------

def _generated_account(people: int) -> tuple[str, str]:
    """The DOT of a generated account with ``people`` of theirs, focused and with --all."""
    from stakemap.generate import GeneratorSpec, generate_portfolio

    graph = stakemap.StakeholderGraph.from_portfolio(generate_portfolio(
        spec=GeneratorSpec(customers=1, people_per_customer=people, seed=3)))
    account = graph.store.accounts()[0].id
    return (render(graph, customer=account, as_of=AS_OF).source,
            render(graph, customer=account, as_of=AS_OF, everyone=True).source)


def test_a_large_account_shows_who_matters_and_folds_the_rest() -> None:
    from stakemap.render.dot import MAX_SHOWN

    focused, everyone = _generated_account(50)
    theirs_all = {line.split('"')[1] for line in everyone.splitlines()
                  if line.strip().startswith('"person:c0-')}
    theirs_shown = {line.split('"')[1] for line in focused.splitlines()
                    if line.strip().startswith('"person:c0-') and "[" in line}
    assert len(theirs_all) >= 45
    assert 0 < len(theirs_shown) <= MAX_SHOWN < len(theirs_all)
    folded = [line for line in focused.splitlines() if line.strip().startswith('"folded:')
              and "[" in line]
    assert folded
    counted = sum(int(re.search(r"\+ (\d+) ", line).group(1)) for line in folded)  # type: ignore[union-attr]
    # one or two folded people are a line on their manager's box, not a node
    counted += sum(int(n) for n in re.findall(r"\+ (\d) more reporting here", focused))
    assert re.search(r"\+ [12] more reporting here", focused)
    assert counted + len(theirs_shown) == len(theirs_all)  # every person shown or counted
    assert not any(line.strip().startswith('"folded:') for line in everyone.splitlines())


def test_focus_keeps_deciders_role_holders_key_people_finding_subjects_and_their_managers() -> None:
    from stakemap.analysis.account import AccountView
    from stakemap.render.dot import focus

    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    view = AccountView.from_store(graph.store, "northwind")
    findings = stakemap.find_gaps(graph, as_of=AS_OF, customers=["northwind"]).findings
    shown = focus(view, findings)
    assert {"li-na", "sara-lindqvist", "mark-jensen"} <= shown  # deciders, key roles
    assert "omar-haddad" in shown  # a top finding is about him (his tie lapsed)
    assert "omar-haddad" not in focus(view, ())  # system administrator: not a key role
    assert not {"julia-weber", "nadia-rahman"} & shown  # an end user; influence 2, no role
    manager = {r.source: r.target for r in view.reports}
    assert all(manager[p] in shown for p in shown if p in manager)  # one chart, not islands


def test_people_with_no_reporting_line_fill_rows_not_one_long_row() -> None:
    from stakemap.render.dot import GRID_COLUMNS

    g = stakemap.StakeholderGraph()
    g.add_organization("us", "Us", type="provider")
    g.add_customer("c", "Flat Co", phase="operations")
    g.add_person("am", "Ann", organization="us")
    g.assign_role("am", "account-manager", at="c")
    g.add_service("s", "Hosting", provider="us")
    g.consume("c", "s")
    for i in range(10):
        g.add_person(f"p{i}", f"Person {i}", organization="c", influence=4)
    dot = render(g, customer="c", as_of=AS_OF).source
    stacked = [line for line in dot.splitlines()
               if "style=invis" in line and line.count('"person:') == 2]
    columns = 10 - len(stacked)  # ten people with no manager, in rows of this many
    assert GRID_COLUMNS <= columns < 10
    assert f'"person:p0" -> "person:p{columns}" [style=invis];' in dot
    # the vacant seats are in the block too, first: not a row of their own above it
    assert re.search(r'"vacant:[^"]+" -> "person:p\d" \[style=invis\];', dot)


# -- the slide layout: legend on top, services under our team, their chart alone --------

def test_the_legend_is_a_row_under_the_title_with_only_what_the_map_draws(
        msp: str, vendor: str) -> None:
    heading = _line(msp, "graph [label=<")
    assert "Northwind Logistics: account map" in heading
    assert 'cluster_legend' not in msp  # no column of its own beside the chart
    assert ">champion</FONT>" in heading  # Mark Jensen
    assert ">blocker</FONT>" not in heading  # nobody at Northwind is one
    assert "<S>name</S> = left" in heading  # Greg Hale left
    assert ">blocker</FONT>" in _line(vendor, "graph [label=<")  # Chen Jing


def test_services_and_agreements_are_a_box_under_our_team(msp: str) -> None:
    assert 'subgraph "cluster_things" {' in msp
    things = msp[msp.index('subgraph "cluster_things"'):]
    things = things[:things.index("\n  }")]
    for node in ('"service:nw-erp-hosting"', '"agreement:nw-msa"'):
        assert f"    {node} [" in things
    assert "{rank=same; " in things  # a few to a row, not one column
    # under our team: an invisible edge from each of ours with no report drawn
    first = re.search(r'\{rank=same; ("[^"]+")', things)
    assert first is not None
    assert f'"person:kenji-mori" -> {first.group(1)} [style=invis];' in msp
    assert f'"person:ingrid-solberg" -> {first.group(1)} [style=invis];' not in msp
    # ownership and authority do not pull the boxes onto their owners' ranks
    owns = _line(msp, '"person:hannah-okafor" -> "service:nw-erp-hosting"')
    assert 'constraint="false"' in owns
    assert 'tooltip="Hannah Okafor owns it"' in owns


def test_a_role_at_a_service_is_named_by_the_service(msp: str) -> None:
    sara = _line(msp, '"person:sara-lindqvist" [').replace("<BR/>", " ")
    assert "System Owner @ ERP Hosting" in sara
    assert "@ nw-erp-hosting" not in sara


def test_their_chart_alone_leaves_out_our_team_and_the_services() -> None:
    from stakemap.analysis.account import AccountView
    from stakemap.render.dot import account_dot

    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    view = AccountView.from_store(graph.store, "northwind")
    dot = account_dot(view, theirs_only=True)
    assert "Northwind Logistics: their people" in dot
    assert "cluster_customer" in dot
    assert "cluster_provider" not in dot
    assert "cluster_things" not in dot
    assert '"person:mark-jensen" [' in dot
    assert '"person:tom-becker"' not in dot
    assert '"service:' not in dot
    assert "→ owns" not in dot  # nor the legend cell for what it does not draw
    assert "known by Tom Becker" in _line(dot, '"person:mark-jensen" [')  # coverage stays


def test_every_diagram_is_measured_and_drawn_in_one_font() -> None:
    from stakemap.render.dot import FONT

    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    for dot in (render(graph, customer="northwind", as_of=AS_OF).source,
                render(graph, customer="northwind", view="coverage", as_of=AS_OF).source,
                render(graph, as_of=AS_OF).source,
                render(graph, view="overview", as_of=AS_OF).source):
        names = set(re.findall(r'fontname="([^"]+)"', dot))
        assert names == {FONT}, names
