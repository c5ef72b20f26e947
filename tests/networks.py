"""Known social networks as portfolios, so network measures can be checked against
networkx's own algorithms on the same graph: Padgett's Florentine families and Zachary's
karate club as relationships, Davis's Southern Women as meetings attended (a woman-event
graph, whose people projection is the co-attendance graph).

Each becomes one customer account (it consumes one service) whose people are the network's
nodes; nobody is on our side, so the account's people network is exactly the graph."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import networkx as nx

from stakemap.model import (
    Attended,
    Consumes,
    Meeting,
    Organization,
    OrgKind,
    Person,
    Portfolio,
    Provides,
    Relationship,
    Service,
)

AS_OF = date(2026, 11, 1)


def _ids(graph: Any) -> dict[Any, str]:
    return {node: f"p{i:03d}" for i, node in enumerate(sorted(graph, key=str))}


def _base(people: list[Person]) -> list[Any]:
    return [Organization(id="us", name="Us", type=OrgKind.PROVIDER),
            Organization(id="club", name="Club", type=OrgKind.CUSTOMER),
            Service(id="svc", name="Service"), *people]


def relationships_portfolio(graph: Any) -> tuple[Portfolio, dict[Any, str]]:
    """Nodes as people of the account ``club``, edges as relationships."""
    ids = _ids(graph)
    nodes = _base([Person(id=i, name=str(n), organization="club") for n, i in ids.items()])
    edges = [Provides(source="us", target="svc"), Consumes(source="club", target="svc"),
             *(Relationship(source=ids[a], target=ids[b]) for a, b in graph.edges())]
    return Portfolio.build(name="network", nodes=nodes, edges=edges), ids


def davis_portfolio() -> tuple[Portfolio, dict[Any, str], list[Any]]:
    """Davis's Southern Women: the women as people, the events as meetings they attended."""
    graph = nx.davis_southern_women_graph()
    women = [n for n, d in graph.nodes(data=True) if d["bipartite"] == 0]
    events = [n for n, d in graph.nodes(data=True) if d["bipartite"] == 1]
    ids = {w: f"w{i:02d}" for i, w in enumerate(sorted(women))}
    nodes = _base([Person(id=i, name=w, organization="club") for w, i in ids.items()])
    meetings = {e: f"e{i:02d}" for i, e in enumerate(sorted(events))}
    nodes += [Meeting(id=m, name=e, date=AS_OF - timedelta(days=30 + k))
              for k, (e, m) in enumerate(meetings.items())]
    edges = [Provides(source="us", target="svc"), Consumes(source="club", target="svc"),
             *(Attended(source=ids[w], target=meetings[e])
               for a, b in graph.edges() for w, e in ((a, b), (b, a)) if w in ids)]
    return Portfolio.build(name="davis", nodes=nodes, edges=edges), ids, women


def one_account(store: Any, *theirs: str) -> Any:
    """A provider ``us`` with Tom, account manager of ``acme`` (which consumes one service),
    and ``theirs`` as acme's people, named after their ids: the small graphs the path and
    what-if tests draw ties on."""
    import stakemap

    g = stakemap.StakeholderGraph(store)
    g.add_organization("us", "Us", type="provider")
    g.add_customer("acme", "Acme")
    g.add_service("svc", "Hosting", provider="us")
    g.consume("acme", "svc")
    g.add_person("tom", "Tom", organization="us")
    g.assign_role("tom", "account-manager", at="acme")
    for pid in theirs:
        g.add_person(pid, pid.title(), organization="acme")
    return g
