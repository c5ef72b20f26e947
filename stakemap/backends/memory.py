"""The embedded default store: a ``networkx.MultiDiGraph`` in this process.

Nodes and edges keep their pydantic models as the ``model`` attribute; the edge's ``key``
is the networkx edge key, so parallel edges of different kinds can never merge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import networkx as nx

from stakemap.backends.base import Capability, ClosesOnExit, misplaced_problem
from stakemap.errors import GraphError, NotFoundError, StoreDataError
from stakemap.model.edges import Edge, misplaced_edges
from stakemap.model.enums import EdgeKind, NodeKind, OrgKind
from stakemap.model.nodes import Node, Organization
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleDefinition
from stakemap.rules import Account, AccountSizes, Hit, RuleBase
from stakemap.rules.network import PeopleNetwork
from stakemap.rules.vocabulary import divisions_of, is_account

__all__ = ["MemoryStore"]


class MemoryStore(ClosesOnExit):
    """Holds a portfolio graph in memory. See ``stakemap.backends.base`` for the contract."""

    capabilities: frozenset[Capability] = frozenset()
    """Nothing beyond the contract: the graph lives as long as this object."""

    def __init__(self, url: str = "memory://", *, prompt: Callable[[str], str] | None = None,
                 password_in_url: bool = True) -> None:
        """``prompt`` and ``password_in_url`` are accepted like every store's and ignored:
        an in-memory graph has no credentials (see ``stakemap.backends.CONNECTION_POLICY``)."""
        self.url = url
        self._reset()

    def _reset(self) -> None:
        self._graph: Any = nx.MultiDiGraph()
        self._by_kind: dict[NodeKind, set[str]] = {k: set() for k in NodeKind}
        self._edges: dict[EdgeKind, dict[str, Edge]] = {k: {} for k in EdgeKind}
        self._name: str | None = None
        self._roles: tuple[RoleDefinition, ...] = ()
        self._runners: dict[date, _MemoryRuleRunner] = {}
        """The rule runner (and its index) per as-of day, kept until the graph changes:
        paths, network roles and what-ifs ask many times of one unchanged graph."""

    def __repr__(self) -> str:
        return f"MemoryStore({self.url!r}, nodes={self._graph.number_of_nodes()})"

    # -- writing ---------------------------------------------------------------------------
    def put_nodes(self, nodes: Iterable[Node]) -> int:
        batch = list(nodes)
        graph, count = self._graph, 0
        for node in batch:  # all checked before any is written: nothing of a bad batch lands
            old = graph.nodes.get(node.id)
            if old is not None and old["model"].kind is not node.kind and graph.degree(node.id):
                raise kind_change_refused(node.id, old["model"].kind, node.kind,
                                          graph.degree(node.id))
        for node in batch:
            old = graph.nodes.get(node.id)
            if old is not None and old["model"].kind is not node.kind:
                self._by_kind[old["model"].kind].discard(node.id)
            graph.add_node(node.id, model=node)
            self._by_kind[node.kind].add(node.id)
            count += 1
        self._runners.clear()
        return count

    def put_edges(self, edges: Iterable[Edge]) -> int:
        batch = list(edges)
        graph = self._graph
        for edge in batch:
            for end in (edge.source, edge.target):
                if end not in graph:
                    raise NotFoundError(
                        f"{edge.kind.value} '{edge.source}' -> '{edge.target}': no node '{end}'")
        # one bulk call: networkx's per-call overhead was most of loading into memory
        graph.add_edges_from((e.source, e.target, e.key, {"model": e}) for e in batch)
        for edge in batch:
            self._edges[edge.kind][edge.key] = edge
        self._runners.clear()
        return len(batch)

    def delete_node(self, node_id: str) -> None:
        data = self._graph.nodes.get(node_id)
        if data is None:
            raise NotFoundError(f"no node '{node_id}'")
        for _, _, key, attrs in [*self._graph.in_edges(node_id, keys=True, data=True),
                                 *self._graph.out_edges(node_id, keys=True, data=True)]:
            self._edges[attrs["model"].kind].pop(key, None)
        self._by_kind[data["model"].kind].discard(node_id)
        self._graph.remove_node(node_id)
        self._runners.clear()

    def set_metadata(self, *, name: str | None, roles: Iterable[RoleDefinition]) -> None:
        self._name = name
        self._roles = tuple(sorted(roles, key=lambda r: r.id))

    def metadata(self) -> tuple[str | None, tuple[RoleDefinition, ...]]:
        return self._name, self._roles

    def clear(self) -> None:
        self._reset()

    def close(self) -> None:
        """Nothing to release; present so every store can be used the same way."""

    # -- reading ---------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node:
        data = self._graph.nodes.get(node_id)
        if data is None:
            raise NotFoundError(f"no node '{node_id}'")
        node: Node = data["model"]
        return node

    def has_node(self, node_id: str) -> bool:
        return node_id in self._graph

    def nodes(self, kind: NodeKind | None = None, **where: Any) -> list[Node]:
        graph = self._graph
        ids = sorted(self._by_kind[kind]) if kind is not None else sorted(graph.nodes)
        found = [graph.nodes[i]["model"] for i in ids]
        if where:
            found = [n for n in found
                     if all(getattr(n, f, _MISSING) == v for f, v in where.items())]
        return found

    def edges(
        self,
        kind: EdgeKind | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
    ) -> list[Edge]:
        if source is not None or target is not None:
            graph = self._graph
            if source is not None:
                if source not in graph:
                    return []
                pool = [d["model"] for _, t, d in graph.out_edges(source, data=True)
                        if target is None or t == target]
            else:
                if target not in graph:
                    return []
                pool = [d["model"] for _, _, d in graph.in_edges(target, data=True)]
            found = [e for e in pool if kind is None or e.kind is kind]
        elif kind is not None:
            found = list(self._edges[kind].values())
        else:
            found = [e for by_key in self._edges.values() for e in by_key.values()]
        return sorted(found, key=lambda e: e.key)

    def export(self) -> Portfolio:
        """The graph as a ``Portfolio``. An edge whose endpoints are of kinds it may not join
        (written straight to ``put_edges``, which checks only that they exist) cannot be
        written to a file, so it is refused here rather than silently left out of one."""
        edges = [e for by_key in self._edges.values() for e in by_key.values()]
        kinds = {i: d["model"].kind for i, d in self._graph.nodes(data=True)}
        bad = misplaced_edges(edges, kinds)
        if bad:
            raise StoreDataError([misplaced_problem(self.url, e, kinds) for e in bad])
        return Portfolio.build(
            name=self._name, roles=self._roles,
            nodes=(d["model"] for _, d in self._graph.nodes(data=True)), edges=edges)

    def counts(self) -> dict[str, int]:
        result = {k.value: len(ids) for k, ids in self._by_kind.items()}
        result.update({k.value: len(by_key) for k, by_key in self._edges.items()})
        return result

    # -- gap rules, evaluated in Python (see memory_rules) ----------------------------------
    def rule_runner(self, as_of: date, absent: Iterable[str] = ()) -> _MemoryRuleRunner:
        runner = self._runners.get(as_of)
        if runner is None:
            runner = self._runners[as_of] = _MemoryRuleRunner(self, as_of)
        gone = frozenset(absent)
        return runner.without(gone) if gone else runner

    def accounts(self) -> list[Account]:
        consumes = self._edges[EdgeKind.CONSUMES].values()
        engaged = {e.source for e in consumes} | {
            e.source for e in self._edges[EdgeKind.PARTY_TO].values()}
        vital = {e.source for e in consumes if getattr(e, "vital", False)}
        graph, found = self._graph, []
        divisions = divisions_of({o.id: o.parent for o in self.nodes(NodeKind.ORGANIZATION)
                                  if isinstance(o, Organization)
                                  and o.type is OrgKind.CUSTOMER})
        for i in sorted(engaged):
            org = graph.nodes[i]["model"] if i in graph else None
            if isinstance(org, Organization) and is_account(org, consumes_or_party=True):
                found.append(Account(i, org.tier, org.phase, i in vital,
                                     divisions.get(i, ())))
        return found

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        graph = self._graph
        return {i: graph.nodes[i]["model"].name for i in ids if i in graph}


def kind_change_refused(node_id: str, old: NodeKind | str | None, new: NodeKind, links: int
                        ) -> GraphError:
    """The error every store raises when a write would change the kind of a node that has
    links: they were valid for the old kind and mostly are not for the new one (a role held
    at a service that became a person), and export could not write them back."""
    return GraphError(
        f"node '{node_id}' is {_a(old)} with {links} link{'s' if links != 1 else ''}, and "
        f"this write would make it {_a(new)}; nothing of the batch was written. Remove the "
        f"node first or use another id")


def _a(kind: NodeKind | str | None) -> str:
    name = str(kind or "node of no kind")
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


class _MemoryRuleRunner:
    """Rules over one report's index of the graph, built once when the report starts."""

    def __init__(self, store: MemoryStore | None, as_of: date,
                 absent: Iterable[str] = ()) -> None:
        from stakemap.backends.memory_rules import RULES
        from stakemap.rules.vocabulary import AccountIndex

        self._rules = RULES
        self._as_of = as_of
        if store is None:
            return  # ``without`` fills in the index
        self._index = AccountIndex(
            (d["model"] for _, d in store._graph.nodes(data=True)),
            (e for by_key in store._edges.values() for e in by_key.values()), as_of, absent)

    def without(self, absent: Iterable[str]) -> _MemoryRuleRunner:
        """This runner with ``absent`` taken as gone too: the same index, other active
        people."""
        runner = _MemoryRuleRunner(None, self._as_of)
        runner._index = self._index.without(absent)
        return runner

    def supports(self, rule_type: type[RuleBase]) -> bool:
        return rule_type in self._rules

    def run(self, rule: RuleBase, accounts: Sequence[str]) -> list[Hit]:
        return self._rules.for_rule(rule)(self._index, rule, accounts, self._as_of)

    def sizes(self, accounts: Sequence[str]) -> dict[str, AccountSizes]:
        return {a: self._index.sizes(a) for a in accounts}

    def people_network(self, account: str, reporting: bool = True) -> PeopleNetwork:
        return self._index.people_network(account, reporting)

    def touched(self, people: Iterable[str]) -> set[str]:
        return self._index.touched(people)

    def importance(self, ids: Iterable[str]) -> dict[str, int]:
        return {i: self._index.importance(i) for i in ids if i in self._index.nodes}

    def stakeholders(self, accounts: Sequence[str]) -> dict[str, set[str]]:
        return {a: self._index.stakeholders(a) for a in accounts}


_MISSING = object()
