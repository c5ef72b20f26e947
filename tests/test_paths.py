"""Warm introduction paths: the warmest path wins over the shortest, the best path is
networkx's own shortest path on the same costs, hops are explained, and both backends
agree (the ``store`` fixture runs each test on each)."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import networkx as nx
import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.backends import GraphStore
from tests.conftest import ROOT
from tests.networks import AS_OF, one_account, relationships_portfolio


def test_the_warmest_path_wins_over_the_shortest(store: GraphStore) -> None:
    g = one_account(store, "a", "b", "t", "x")
    recent = AS_OF - timedelta(days=10)
    g.relate("tom", "t", strength=0.1, last_contact=recent)
    for a, b in (("tom", "a"), ("a", "b"), ("b", "t")):
        g.relate(a, b, strength=0.9, last_contact=recent)
    report = stakemap.paths(g, to="t", as_of=AS_OF, k=3)
    assert [p.people() for p in report.paths] == [["tom", "a", "b", "t"], ["tom", "t"]]
    best = report.paths[0]
    assert best.warmth == pytest.approx(0.9 ** 3)
    assert [h.how for h in best.hops] == [("relationship",)] * 3
    assert best.hops[0].last_contact == recent
    short = stakemap.paths(g, to="t", as_of=AS_OF, max_hops=2)
    assert [p.people() for p in short.paths] == [["tom", "t"]]


def test_a_stale_tie_cools_and_an_influence_is_followed_one_way(store: GraphStore) -> None:
    g = one_account(store, "a", "b", "t", "x")
    g.relate("tom", "a", strength=0.8, last_contact=AS_OF - timedelta(days=90 + 180))
    g.relate("tom", "b", strength=0.5, last_contact=AS_OF - timedelta(days=5))
    g.add_directed_tie("a", "t", type="influences")
    g.add_directed_tie("t", "b", type="influences")  # t influences b: no hop from b to t
    (path,) = stakemap.paths(g, to="t", as_of=AS_OF, k=5).paths
    assert path.people() == ["tom", "a", "t"]
    assert path.hops[0].warmth == pytest.approx(0.4)   # 0.8, halved after 270 days
    assert path.hops[1].how == ("influences",)


@pytest.mark.parametrize("name", ["karate", "florentine"])
def test_the_best_path_is_networkx_shortest_path_on_the_same_costs(store: GraphStore,
                                                                   name: str) -> None:
    graph = {"karate": nx.karate_club_graph, "florentine": nx.florentine_families_graph}[name]()
    portfolio, ids = relationships_portfolio(graph)
    store.clear()
    g = stakemap.StakeholderGraph.from_portfolio(portfolio, store)
    g.add_person("tom", "Tom", organization="us")
    nodes = sorted(ids.values())
    source, target = nodes[0], nodes[-1]
    g.relate("tom", source, strength=0.9, last_contact=AS_OF)
    weighted = nx.Graph()
    weighted.add_edge("tom", source, cost=-math.log(0.9))
    for i, (a, b) in enumerate(sorted(tuple(sorted((ids[u], ids[v]))) for u, v in graph.edges())):
        strength = round(0.1 + 0.8 * ((i * 37) % 11) / 10, 2)
        g.relate(a, b, strength=strength, last_contact=AS_OF)
        weighted.add_edge(a, b, cost=-math.log(strength))
    report = stakemap.paths(g, to=target, sources=["tom"], customer="club", as_of=AS_OF,
                            max_hops=10)
    expected = nx.dijkstra_path_length(weighted, "tom", target, weight="cost")
    assert report.paths[0].cost == pytest.approx(expected, abs=1e-5)
    assert report.paths[0].people() == nx.dijkstra_path(weighted, "tom", target, weight="cost")


def test_path_command_formats_and_errors() -> None:
    example = str(ROOT / "examples" / "msp-operations.yaml")
    runner = CliRunner()
    result = runner.invoke(cli, ["path", example, "--to", "li-na", "--as-of", "2026-11-01",
                                 "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["target"] == "li-na"
    assert data["paths"][0]["hops"][-1]["target"] == "li-na"
    for fmt, start in (("table", "1. warmth"), ("markdown", "# Introduction paths"),
                       ("csv", "path,hop,")):
        result = runner.invoke(cli, ["path", example, "--to", "li-na", "--as-of",
                                     "2026-11-01", "--format", fmt])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(start)
    result = runner.invoke(cli, ["path", example, "--to", "nobody"])
    assert result.exit_code == 2
    assert "no person 'nobody'" in result.stderr
    result = runner.invoke(cli, ["path", example, "--to", "tom-becker"])
    assert result.exit_code == 2
    assert "customer=" in result.stderr or "account" in result.stderr


def test_paths_are_the_same_on_both_backends_for_the_example(store: GraphStore) -> None:
    graph = stakemap.StakeholderGraph.from_portfolio(
        stakemap.read_portfolio(ROOT / "examples" / "msp-operations.yaml"), store)
    report = stakemap.paths(graph, to="li-na", as_of=date(2026, 11, 1), k=3)
    memory = stakemap.paths(stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml"),
                            to="li-na", as_of=date(2026, 11, 1), k=3)
    assert report == memory
    assert report.paths[0].people() == ["tom-becker", "mark-jensen", "li-na"]
