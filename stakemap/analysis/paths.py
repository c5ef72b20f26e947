"""Warm introduction paths: the best chains of acquaintance from one of our people to
someone at an account, explained hop by hop.

The search runs on the target account's people network (``stakemap.rules.network``: the
account's people and ours on its team or tied to them; relationships, meetings both
attended and reporting lines as undirected ties; "A influences B" ties as one-way hops from
A to B), read by the store where the data lives, bounded to the account, so both backends
search the same graph with the same code.

**Cost.** A hop costs ``-ln(warmth)``, so the path whose warmths multiply to the most wins,
not the one with fewest hops. ``warmth`` is the tie's strength (declared, or computed from
its interactions), halved for every 180 days its last contact is older than 90 days; a
one-way influence hop has warmth 0.5; warmth is at least 0.01. The ``k`` cheapest simple
paths of at most ``max_hops`` hops are returned (Yen's algorithm, networkx's
``shortest_simple_paths``).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from stakemap.analysis.arguments import day_argument, strings_argument
from stakemap.errors import NotFoundError, UsageError
from stakemap.escape import csv_cell, markdown_text
from stakemap.model.integrity import did_you_mean
from stakemap.rules.network import NetworkTie, PeopleNetwork

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["Hop", "IntroPath", "PathReport", "best_paths", "paths", "warmth"]

STALE_AFTER = 90
HALF_LIFE = 180
INFLUENCE_WARMTH = 0.5
MIN_WARMTH = 0.01


class Hop(BaseModel):
    """One link of a path: who to whom, through what, how warm."""

    model_config = ConfigDict(frozen=True)

    source: str
    source_name: str
    target: str
    target_name: str
    how: tuple[str, ...]
    """"relationship", "meeting", "reporting", or "influences" (one way)."""
    strength: float
    last_contact: date | None
    warmth: float


class IntroPath(BaseModel):
    model_config = ConfigDict(frozen=True)

    hops: tuple[Hop, ...]
    cost: float
    """Sum of the hops' ``-ln(warmth)``: lower is warmer."""

    @property
    def warmth(self) -> float:
        """The hops' warmths multiplied: 1 is a trusted, fresh chain."""
        return math.exp(-self.cost)

    def people(self) -> list[str]:
        return [self.hops[0].source, *(h.target for h in self.hops)] if self.hops else []


class PathReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    account: str
    target: str
    target_name: str
    as_of: date
    max_hops: int
    paths: tuple[IntroPath, ...]

    def as_json(self) -> dict[str, Any]:
        return {**self.model_dump(mode="json", exclude={"paths"}),
                "paths": [{**p.model_dump(mode="json"), "warmth": round(p.warmth, 4)}
                          for p in self.paths]}

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = [["path", "hop", "from", "to", "how", "strength", "last_contact", "warmth"]]
        rows += [[str(i), str(j), h.source_name, h.target_name, "+".join(h.how),
                  f"{h.strength:.2f}", h.last_contact.isoformat() if h.last_contact else "",
                  f"{h.warmth:.2f}"]
                 for i, p in enumerate(self.paths, start=1)
                 for j, h in enumerate(p.hops, start=1)]
        writer.writerows([csv_cell(c) for c in row] for row in rows)
        return out.getvalue()

    def lines(self) -> list[str]:
        """Each path as one line per hop, for people to read."""
        if not self.paths:
            return [f"no path to {self.target_name} within {self.max_hops} hops"]
        out = []
        for i, p in enumerate(self.paths, start=1):
            out.append(f"{i}. warmth {p.warmth:.2f}, {len(p.hops)} hop"
                       f"{'s' if len(p.hops) != 1 else ''}: "
                       + " -> ".join([p.hops[0].source_name, *(h.target_name for h in p.hops)]))
            out += [f"   {h.source_name} -> {h.target_name}: {', '.join(h.how)}, strength "
                    f"{h.strength:.2f}, last contact "
                    f"{h.last_contact.isoformat() if h.last_contact else 'unknown'}"
                    for h in p.hops]
        return out

    def to_markdown(self) -> str:
        head = [f"# Introduction paths to {markdown_text(self.target_name)} "
                f"(as of {self.as_of.isoformat()})", ""]
        return "\n".join([*head, *(markdown_text(line) for line in self.lines())]) + "\n"


def warmth(tie: NetworkTie, as_of: date) -> float:
    """A tie's warmth (see the module)."""
    w = tie.strength
    if tie.last_contact is not None:
        late = (as_of - tie.last_contact).days - STALE_AFTER
        if late > 0:
            w *= 0.5 ** (late / HALF_LIFE)
    return max(w, MIN_WARMTH)


def best_paths(network: PeopleNetwork, target: str, sources: Iterable[str], *, k: int = 3,
               max_hops: int = 4, as_of: date) -> list[IntroPath]:
    """The ``k`` warmest paths from any of ``sources`` to ``target`` in ``network``; pure."""
    import networkx as nx

    names = {p.id: p.name for p in network.people}
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    info: dict[tuple[str, str], tuple[tuple[str, ...], float, date | None, float]] = {}
    for t in network.ties:
        w = warmth(t, as_of)
        for a, b in ((t.a, t.b), (t.b, t.a)):
            graph.add_edge(a, b, cost=-math.log(w))
            info[(a, b)] = (t.kinds, t.strength, t.last_contact, w)
    for a, b in network.influence:
        if (a, b) not in info:
            graph.add_edge(a, b, cost=-math.log(INFLUENCE_WARMTH))
            info[(a, b)] = (("influences",), INFLUENCE_WARMTH, None, INFLUENCE_WARMTH)
    starts = sorted({s for s in sources if s in graph and s != target})
    if target not in graph or not starts:
        return []
    start = object()  # one source for Yen's algorithm: a free hop to each of ours
    graph.add_edges_from(((start, s) for s in starts), cost=0.0)
    found: list[IntroPath] = []
    try:
        candidates = nx.shortest_simple_paths(graph, start, target, weight="cost")
        for route in candidates:
            nodes = route[1:]
            if len(nodes) - 1 > max_hops:
                if len(nodes) - 1 > 2 * max_hops + 2:
                    break  # cost order: longer ones keep coming; enough looking
                continue
            hops = tuple(Hop(source=a, source_name=names[a], target=b, target_name=names[b],
                             how=info[(a, b)][0], strength=info[(a, b)][1],
                             last_contact=info[(a, b)][2], warmth=round(info[(a, b)][3], 4))
                         for a, b in itertools.pairwise(nodes))
            found.append(IntroPath(hops=hops, cost=round(sum(-math.log(h.warmth)
                                                              for h in hops), 6)))
            if len(found) == k:
                break
    except nx.NetworkXNoPath:
        return []
    return found


def paths(source: StakeholderGraph | GraphStore, *, to: str, sources: Iterable[str] = (),
          customer: str | None = None, k: int = 3, max_hops: int = 4,
          as_of: date | None = None) -> PathReport:
    """The ``k`` warmest introduction paths to the person ``to``, from ``sources`` (default:
    the account's team: ours with a role at, or ownership of, one of its things), over the
    account's people network (see the module).
    The account is ``customer``, or the one the person belongs to."""
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    day = day_argument(as_of, "paths") or date.today()
    starts = strings_argument("sources", sources, verb="paths")
    if not isinstance(k, int) or k < 1 or not isinstance(max_hops, int) or max_hops < 1:
        raise UsageError(f"paths: k and max_hops are whole numbers from 1 up, not {k!r} and "
                         f"{max_hops!r}")
    if not store.has_node(to):
        raise NotFoundError(f"paths: no person '{to}'; check the id")
    accounts = store.accounts()
    if customer is None:
        org = getattr(store.get_node(to), "organization", None)
        home = [a.id for a in accounts if org in a.orgs]
        if not home:
            raise UsageError(f"paths: '{to}' is not one of an account's people; name the "
                             f"account with customer=")
        customer = home[0]
    elif customer not in {a.id for a in accounts}:
        raise UsageError(f"paths: no account '{customer}'; "
                         + (did_you_mean(customer, [a.id for a in accounts]) or "check the id"))
    network = store.rule_runner(day).people_network(customer)
    people = {p.id: p for p in network.people}
    if to not in people:
        raise UsageError(f"paths: '{to}' is not in the people network of '{customer}' (not "
                         f"active, or not one of its people or ours)")
    if not starts:
        starts = [p.id for p in network.people if p.team]
    return PathReport(account=customer, target=to, target_name=people[to].name, as_of=day,
                      max_hops=max_hops,
                      paths=tuple(best_paths(network, to, starts, k=k, max_hops=max_hops,
                                             as_of=day)))
