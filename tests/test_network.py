"""Network roles on the people network: the measures equal networkx's own on the same
projection (Florentine families, karate club, Davis's Southern Women), on both backends; the
projection holds people only; gatekeepers and hidden influencers are found on purpose."""

from __future__ import annotations

import json
from datetime import date

import networkx as nx
import pytest
from click.testing import CliRunner
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
from stakemap_cli.app import cli

import stakemap
from stakemap.analysis.network import network_roles, pagerank
from stakemap.backends import GraphStore
from stakemap.model.enums import Side
from tests.conftest import ROOT
from tests.networks import AS_OF, davis_portfolio, relationships_portfolio

GRAPHS = {"florentine": nx.florentine_families_graph, "karate": nx.karate_club_graph}


def _roles(store: GraphStore, portfolio: stakemap.Portfolio) -> dict[str, stakemap.PersonRole]:
    store.clear()
    graph = stakemap.StakeholderGraph.from_portfolio(portfolio, store)
    (account,) = network_roles(graph, as_of=AS_OF).accounts
    return {p.id: p for p in account.people}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_betweenness_and_articulation_points_are_networkx_own(store: GraphStore,
                                                              name: str) -> None:
    graph = GRAPHS[name]()
    portfolio, ids = relationships_portfolio(graph)
    roles = _roles(store, portfolio)
    expected = nx.betweenness_centrality(graph, normalized=True)
    assert {ids[n]: round(v, 4) for n, v in expected.items()} == {
        i: r.betweenness for i, r in roles.items()}
    assert {ids[n] for n in nx.articulation_points(graph)} == {
        i for i, r in roles.items() if r.articulation}
    assert {i: r.ties for i, r in roles.items()} == {ids[n]: d for n, d in graph.degree()}


def test_meetings_make_the_co_attendance_graph(store: GraphStore) -> None:
    """Davis's Southern Women: the people network of women who attended events is the
    women's projection of the woman-event graph."""
    portfolio, ids, women = davis_portfolio()
    roles = _roles(store, portfolio)
    projected = nx.bipartite.projected_graph(nx.davis_southern_women_graph(), women)
    expected = nx.betweenness_centrality(projected, normalized=True)
    assert {ids[n]: round(v, 4) for n, v in expected.items()} == {
        i: r.betweenness for i, r in roles.items()}
    assert {i: r.ties for i, r in roles.items()} == {ids[n]: d for n, d in projected.degree()}


def test_the_projection_holds_people_only(store: GraphStore) -> None:
    """Organizations, services, agreements and role edges never enter the network: the
    MSP example's network has exactly people, and no role or ownership becomes a tie."""
    graph = stakemap.StakeholderGraph.from_portfolio(
        stakemap.read_portfolio(ROOT / "examples" / "msp-operations.yaml"), store)
    network = store.rule_runner(date(2026, 11, 1)).people_network("northwind")
    people = {p.id for p in network.people}
    assert people <= {n.id for n in graph.store.nodes(stakemap.NodeKind.PERSON)}
    assert {"northwind", "bluepeak", "nw-erp-hosting", "nw-msa"}.isdisjoint(people)
    assert all({t.a, t.b} <= people for t in network.ties)
    assert all(set(t.kinds) <= {"relationship", "meeting", "reporting"} for t in network.ties)
    # Hannah owns ERP Hosting, as Kenji does WMS support: owning is not knowing each other
    assert not any({t.a, t.b} == {"hannah-okafor", "kenji-mori"} and "reporting" not in t.kinds
                   for t in network.ties)
    without = store.rule_runner(date(2026, 11, 1)).people_network("northwind", reporting=False)
    assert all("reporting" not in t.kinds for t in without.ties)
    assert len(without.ties) < len(network.ties)


def test_gatekeepers_and_hidden_influencers(store: GraphStore) -> None:
    """Omar reaches us only through Sara, who reaches us only through Mark: cut Mark and
    Sara and Omar are cut off. Julia, rated influence 1, is the one path between Mark and
    our Priya: central, so a hidden influencer."""
    g = stakemap.StakeholderGraph(store)
    g.add_organization("us", "Us", type="provider")
    g.add_customer("acme", "Acme")
    g.add_service("svc", "Hosting", provider="us")
    g.consume("acme", "svc")
    for pid, side, influence in (("tom", "us", None), ("priya", "us", None),
                                 ("mark", "acme", 4), ("sara", "acme", 4), ("omar", "acme", 2),
                                 ("julia", "acme", 1), ("li", "acme", 5)):
        g.add_person(pid, pid.title(), organization=side, influence=influence)
    g.assign_role("tom", "account-manager", at="acme")
    g.assign_role("priya", "sales-engineer", at="acme")
    for a, b in (("tom", "mark"), ("mark", "sara"), ("sara", "omar"), ("mark", "julia"),
                 ("julia", "priya"), ("tom", "li")):
        g.relate(a, b)
    (account,) = network_roles(g, as_of=AS_OF, reporting=False).accounts
    roles = {p.id: p for p in account.people}
    assert {p.id: p.cuts_off for p in account.gatekeepers()} == {
        "mark": ("omar", "sara"), "sara": ("omar",)}
    assert [p.id for p in account.hidden_influencers()] == ["julia"]
    assert roles["julia"].side is Side.CUSTOMER
    assert account.brokers()[0].id == "mark"
    assert not roles["li"].hidden_influencer  # central enough? rated 5: not hidden anyway


def test_pagerank_is_networkx_own_without_numpy() -> None:
    for graph in (nx.gn_graph(60, seed=3), nx.DiGraph(nx.florentine_families_graph())):
        ours, theirs = pagerank(graph), _pagerank_python(graph, weight=None)
        assert max(abs(ours[n] - theirs[n]) for n in graph) < 1e-5


def test_network_command_formats() -> None:
    example = str(ROOT / "examples" / "msp-operations.yaml")
    runner = CliRunner()
    result = runner.invoke(cli, ["network", example, "--as-of", "2026-11-01",
                                 "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (account,) = data["accounts"]
    assert account["account"] == "northwind"
    assert {p["id"] for p in account["people"]} >= {"li-na", "tom-becker"}
    for fmt, start in (("markdown", "# Network roles"), ("csv", "account,person,"),
                       ("table", "northwind")):
        result = runner.invoke(cli, ["network", example, "--as-of", "2026-11-01",
                                     "--format", fmt])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(start), result.stdout[:200]
    result = runner.invoke(cli, ["network", example, "--customer", "nope"])
    assert result.exit_code == 2
    assert "no account 'nope'" in result.stderr


def test_the_example_network_is_as_its_header_says(store: GraphStore) -> None:
    """msp-operations.yaml's header: Julia Weber is a hidden influencer and the gatekeeper
    to Nadia Rahman; the warmest way to Nadia is three hops through Mark and Julia."""
    graph = stakemap.StakeholderGraph.from_portfolio(
        stakemap.read_portfolio(ROOT / "examples" / "msp-operations.yaml"), store)
    (account,) = network_roles(graph, as_of=date(2026, 11, 1)).accounts
    assert [p.id for p in account.hidden_influencers()] == ["julia-weber"]
    assert {p.id: p.cuts_off for p in account.gatekeepers()} == {
        "julia-weber": ("nadia-rahman",)}
    best = stakemap.paths(graph, to="nadia-rahman", as_of=date(2026, 11, 1)).paths[0]
    assert best.people() == ["tom-becker", "mark-jensen", "julia-weber", "nadia-rahman"]
