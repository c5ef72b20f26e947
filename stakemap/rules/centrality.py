"""The measures on an account's people network (``stakemap.rules.network``) that the network
analyses and the network rule types share, in pure Python on networkx: computed here once,
the same for every store, because each store only reads the network.

- **betweenness**: ``networkx.betweenness_centrality`` (normalized, unweighted: brokerage is
  about who sits on the shortest chains of acquaintance, not how warm each link is);
- **articulation points**: people whose removal disconnects someone;
- **influence rank**: PageRank on the influence graph (each "A influences B" tie and each
  reporting line, manager over report, sends rank from the influenced to the influencer);
- **cut off**: for each of their people, the others of theirs who reach one of ours with
  that person and none without (a **gatekeeper** cuts off someone);
- **central**: betweenness in the top quarter of the account's people and at least
  ``CENTRAL_BETWEENNESS`` (on one in ten of the shortest chains between two of them), or
  influence rank in the top quarter and at least ``CENTRAL_RANK`` times the flat share
  (1/n). Both bars: the top quarter alone calls a quarter of any dense network central;
- **hidden influencer**: one of their people rated low on influence (``LOW_INFLUENCE`` or
  below, or unrated) who is central: central in fact, not on paper.
"""

from __future__ import annotations

import functools
import statistics
from dataclasses import dataclass
from typing import Any

from stakemap.model.enums import Side
from stakemap.rules.network import PeopleNetwork

__all__ = ["CENTRAL_BETWEENNESS", "CENTRAL_RANK", "LOW_INFLUENCE", "Measures", "cut_offs",
           "measure", "pagerank"]

LOW_INFLUENCE = 2
"""A rated influence at or below this is low: a central person rated so is hidden."""
CENTRAL_BETWEENNESS = 0.1
"""Betweenness from which one can be central (with the top quarter)."""
CENTRAL_RANK = 3.0
"""Influence rank, in multiples of the flat share 1/n, from which one can be central."""


@dataclass(frozen=True)
class Measures:
    """One person's measures in one account's network (see the module)."""

    betweenness: float
    influence_rank: float
    ties: int
    articulation: bool
    cuts_off: tuple[str, ...]
    central: bool
    """Betweenness or influence rank in the top quarter of the account's people."""
    hidden_influencer: bool


def cut_offs(network: PeopleNetwork) -> dict[str, tuple[str, ...]]:
    """Each of their people who cuts someone off -> whom (sorted): articulation points only,
    linear in the network (gatekeepers need no betweenness)."""
    graph = _graph(network)
    return _cut_offs(graph, network)


def _graph(network: PeopleNetwork) -> Any:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(p.id for p in network.people)
    graph.add_edges_from((t.a, t.b) for t in network.ties)
    return graph


def _cut_offs(graph: Any, network: PeopleNetwork) -> dict[str, tuple[str, ...]]:
    import networkx as nx

    ours = {p.id for p in network.people if p.side is Side.PROVIDER}
    found = {v: tuple(sorted(_cut_off(graph, v, ours)))
             for v in nx.articulation_points(graph) if v not in ours}
    return {v: cut for v, cut in found.items() if cut}


@functools.lru_cache(maxsize=8)
def measure(network: PeopleNetwork, low: int = LOW_INFLUENCE) -> dict[str, Measures]:
    """Each person's measures, by id. Kept for the last few networks: two rule types of a
    playbook judge the same account's network one after the other."""
    import networkx as nx

    graph = _graph(network)
    influence = nx.DiGraph()
    influence.add_nodes_from(graph)
    influence.add_edges_from((influenced, influencer)
                             for influencer, influenced in network.influence)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    rank = pagerank(influence)
    cuts = set(nx.articulation_points(graph))
    cut_off = _cut_offs(graph, network)
    top_b = _top_quarter([betweenness[p.id] for p in network.people])
    top_r = _top_quarter([rank[p.id] for p in network.people])
    flat = 1 / max(len(graph), 1)
    found = {}
    for p in network.people:
        central = (betweenness[p.id] >= max(top_b, CENTRAL_BETWEENNESS)) or (
            rank[p.id] >= max(top_r, flat * CENTRAL_RANK))
        rated_low = p.influence is None or p.influence <= low
        found[p.id] = Measures(
            betweenness=round(betweenness[p.id], 4), influence_rank=round(rank[p.id], 4),
            ties=graph.degree(p.id), articulation=p.id in cuts,
            cuts_off=cut_off.get(p.id, ()), central=central,
            hidden_influencer=p.side is Side.CUSTOMER and rated_low and central)
    return found


def pagerank(graph: Any, damping: float = 0.85, tol: float = 1.0e-6,
             max_iter: int = 1000) -> dict[str, float]:
    """PageRank by power iteration, as networkx computes it for a graph without weights or
    personalization (rank of dangling nodes spread evenly), in pure Python: networkx's own
    ``pagerank`` needs numpy and scipy, which stakemap does not otherwise need."""
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    rank = dict.fromkeys(nodes, 1.0 / n)
    out = {v: graph.out_degree(v) for v in nodes}
    dangling = [v for v in nodes if out[v] == 0]
    for _ in range(max_iter):
        previous = rank
        spread = damping * sum(previous[v] for v in dangling) / n
        rank = dict.fromkeys(nodes, spread + (1.0 - damping) / n)
        for v in nodes:
            if out[v]:
                share = damping * previous[v] / out[v]
                for w in graph.successors(v):
                    rank[w] += share
        if sum(abs(rank[v] - previous[v]) for v in nodes) < n * tol:
            break
    return rank


def _cut_off(graph: Any, person: str, ours: set[str]) -> set[str]:
    """Their people who reach one of ours with ``person`` and none without."""
    import networkx as nx

    if not ours:
        return set()
    before = set().union(*(nx.node_connected_component(graph, o) for o in ours))
    rest = graph.copy()
    rest.remove_node(person)
    after = set().union(*(nx.node_connected_component(rest, o) for o in ours if o in rest))
    return {p for p in before - after - {person} if p not in ours}


def _top_quarter(values: list[float]) -> float:
    """The value from which one is in the top quarter (the upper quartile)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=4)[2]
