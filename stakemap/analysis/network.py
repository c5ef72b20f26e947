"""Brokers, gatekeepers and hidden influencers: network roles on an account's people network.

The network is the projection of ``stakemap.rules.network`` (people only; ties from
relationships, meetings both attended and, unless ``reporting=False``, reporting lines),
read by the store where the data lives and bounded to one account. The measures are
networkx's, on that projection:

- **betweenness**: ``betweenness_centrality`` (normalized, unweighted: brokerage is about
  who sits on the shortest chains of acquaintance, not how warm each link is). The three
  people with the highest betweenness above 0 are the account's **brokers**.
- **articulation points**: people whose removal disconnects someone.
- **influence**: ``pagerank`` on the influence graph (each "A influences B" tie and each
  reporting line, manager over report, sends rank from the influenced to the influencer).
- a **gatekeeper** is one of their people whose removal leaves some of their people with no
  tie path to any of ours (``cuts_off`` lists them): every tie into that group passes
  through the gatekeeper.
- a **hidden influencer** is one of their people rated low on influence (1-2, or unrated)
  whose betweenness or influence is in the top quarter of the account's people (and above
  0 / above the flat share): central in fact, not on paper.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from stakemap.analysis.arguments import day_argument, strings_argument
from stakemap.errors import UsageError
from stakemap.escape import csv_cell, markdown_code, markdown_text
from stakemap.model.enums import Side
from stakemap.model.integrity import did_you_mean
from stakemap.rules.network import PeopleNetwork

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["LOW_INFLUENCE", "AccountNetwork", "NetworkReport", "PersonRole", "network_roles",
           "pagerank", "roles_of"]

LOW_INFLUENCE = 2
"""A rated influence at or below this is low: a central person rated so is hidden."""
BROKERS = 3


class PersonRole(BaseModel):
    """One person's place in the account's network."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    side: Side
    influence: int | None
    """Their rated influence (1-5), if any."""
    betweenness: float
    influence_rank: float
    """PageRank on the influence graph."""
    ties: int
    articulation: bool
    broker: bool
    gatekeeper: bool
    cuts_off: tuple[str, ...]
    """Their people who lose every tie path to ours without this person."""
    hidden_influencer: bool


class AccountNetwork(BaseModel):
    model_config = ConfigDict(frozen=True)

    account: str
    name: str
    reporting: bool
    """Whether reporting lines count as ties in this projection."""
    people: tuple[PersonRole, ...]
    ties: int

    def brokers(self) -> list[PersonRole]:
        return sorted((p for p in self.people if p.broker), key=lambda p: -p.betweenness)

    def gatekeepers(self) -> list[PersonRole]:
        return [p for p in self.people if p.gatekeeper]

    def hidden_influencers(self) -> list[PersonRole]:
        return [p for p in self.people if p.hidden_influencer]


class NetworkReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    as_of: date
    accounts: tuple[AccountNetwork, ...]

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(),
                "accounts": [a.model_dump(mode="json") for a in self.accounts]}

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = [["account", "person", "name", "side", "influence", "betweenness",
                 "influence_rank", "ties", "articulation", "broker", "gatekeeper", "cuts_off",
                 "hidden_influencer"]]
        rows += [[a.account, p.id, p.name, p.side.value, "" if p.influence is None
                  else str(p.influence), f"{p.betweenness:.4f}", f"{p.influence_rank:.4f}",
                  str(p.ties), str(p.articulation).lower(), str(p.broker).lower(),
                  str(p.gatekeeper).lower(), " ".join(p.cuts_off),
                  str(p.hidden_influencer).lower()]
                 for a in self.accounts for p in a.people]
        writer.writerows([csv_cell(c) for c in row] for row in rows)
        return out.getvalue()

    def to_markdown(self) -> str:
        lines = [f"# Network roles (as of {self.as_of.isoformat()})", ""]
        for a in self.accounts:
            lines += [f"## {markdown_text(a.name)} ({markdown_code(a.account)})", "",
                      f"{len(a.people)} people, {a.ties} ties; reporting lines "
                      f"{'count' if a.reporting else 'do not count'} as ties.", ""]
            lines += ["| role | person | side | betweenness | influence rank | rated |",
                      "|---|---|---|---:|---:|---:|"]
            for role, people in (("broker", a.brokers()), ("gatekeeper", a.gatekeepers()),
                                 ("hidden influencer", a.hidden_influencers())):
                lines += [f"| {role} | {markdown_text(p.name)} | {p.side.value} | "
                          f"{p.betweenness:.3f} | {p.influence_rank:.3f} | "
                          f"{p.influence if p.influence is not None else '-'} |"
                          for p in people]
            lines.append("")
        return "\n".join(lines)


def roles_of(network: PeopleNetwork, name: str | None = None) -> AccountNetwork:
    """The network roles in one account's network (see the module); pure: no store."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(p.id for p in network.people)
    graph.add_edges_from((t.a, t.b) for t in network.ties)
    influence = nx.DiGraph()
    influence.add_nodes_from(graph)
    influence.add_edges_from((influenced, influencer)
                             for influencer, influenced in network.influence)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    rank = pagerank(influence)
    cuts = set(nx.articulation_points(graph))
    ours = {p.id for p in network.people if p.side is Side.PROVIDER}
    cut_off = {v: _cut_off(graph, v, ours) for v in cuts if v not in ours}
    top_b = _top_quarter([betweenness[p.id] for p in network.people])
    top_r = _top_quarter([rank[p.id] for p in network.people])
    flat = 1 / max(len(graph), 1)
    brokers = {p for p, b in sorted(betweenness.items(), key=lambda x: (-x[1], x[0]))[:BROKERS]
               if b > 0}
    people = []
    for p in network.people:
        b, r = round(betweenness[p.id], 4), round(rank[p.id], 4)
        low = p.influence is None or p.influence <= LOW_INFLUENCE
        central = (betweenness[p.id] > 0 and betweenness[p.id] >= top_b) or (
            rank[p.id] > flat * 1.0001 and rank[p.id] >= top_r)
        gated = tuple(sorted(cut_off.get(p.id, ())))
        people.append(PersonRole(
            id=p.id, name=p.name, side=p.side, influence=p.influence, betweenness=b,
            influence_rank=r, ties=graph.degree(p.id), articulation=p.id in cuts,
            broker=p.id in brokers, gatekeeper=bool(gated), cuts_off=gated,
            hidden_influencer=p.side is Side.CUSTOMER and low and central))
    return AccountNetwork(account=network.account, name=name or network.account,
                          reporting=network.reporting, people=tuple(people),
                          ties=graph.number_of_edges())


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


def network_roles(source: StakeholderGraph | GraphStore, *, customers: Iterable[str] = (),
                  as_of: date | None = None, reporting: bool = True) -> NetworkReport:
    """Brokers, articulation points, influence, gatekeepers and hidden influencers of each
    account (or of ``customers``), as of a day (today). Each account's network is read by
    the store where the data lives (Cypher in Neo4j), bounded to the account; the measures
    are computed on it here, identically for every store."""
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    day = day_argument(as_of, "network_roles") or date.today()
    wanted = strings_argument("customers", customers, verb="network_roles")
    accounts = [a.id for a in store.accounts()]
    missing = sorted(set(wanted) - set(accounts))
    if missing:
        raise UsageError(f"no account {', '.join(repr(m) for m in missing)}; "
                         + (did_you_mean(missing[0], accounts) or "check the id"))
    chosen = [a for a in accounts if not wanted or a in wanted]
    runner = store.rule_runner(day)
    names = store.names(chosen)
    return NetworkReport(as_of=day, accounts=tuple(
        roles_of(runner.people_network(a, reporting), names.get(a, a)) for a in chosen))
