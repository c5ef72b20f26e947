"""The read/write contract every storage backend implements.

The semantics below are the specification; ``tests/contract`` enforces them on every backend:

- **Upserts are idempotent.** Writing a node whose id exists replaces its properties; writing
  an edge whose ``key`` exists between the same nodes replaces its properties. Writing the
  same batch twice changes nothing.
- **Edges need both endpoints.** ``put_edges`` raises ``NotFoundError`` naming the missing id,
  and writes none of the batch.
- **Parallel edges stay apart.** Edges of different kinds, or of one kind with a different
  role, phase or authority scope, between the same two nodes are different edges.
- **Filters are conjunctive.** ``nodes(kind, **where)`` and ``edges(kind, source=, target=)``
  return what matches *every* filter given, never any of them.
- **Order is stable.** Nodes come back sorted by id, edges by key.
- **Deleting a node detaches it.** Its edges go with it.
- **Values round-trip.** What is written is read back equal (text verbatim, dates as dates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from stakemap.model.edges import Edge, EdgeBase
from stakemap.model.enums import EdgeKind, NodeKind
from stakemap.model.nodes import Node
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleDefinition

if TYPE_CHECKING:
    from stakemap.analysis.rules import Hit, RuleBase

__all__ = ["GraphStore"]


@runtime_checkable
class GraphStore(Protocol):
    """A place a portfolio graph lives: in this process's memory, or a Neo4j database."""

    url: str
    """Where the store is, with any password removed: safe to print and log."""

    capabilities: frozenset[str]
    """What this backend can do beyond the contract (tests skip on these, never on names)."""

    def put_nodes(self, nodes: Iterable[Node]) -> int: ...

    def put_edges(self, edges: Iterable[Edge]) -> int: ...

    def get_node(self, node_id: str) -> Node: ...

    def has_node(self, node_id: str) -> bool: ...

    def nodes(self, kind: NodeKind | None = None, **where: Any) -> list[Node]: ...

    def edges(
        self,
        kind: EdgeKind | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
    ) -> list[Edge]: ...

    def delete_node(self, node_id: str) -> None: ...

    def delete_edge(self, edge: EdgeBase) -> None: ...

    def set_metadata(self, *, name: str | None, roles: Iterable[RoleDefinition]) -> None: ...

    def metadata(self) -> tuple[str | None, tuple[RoleDefinition, ...]]: ...

    def export(self) -> Portfolio: ...

    def counts(self) -> dict[str, int]: ...

    def clear(self) -> None: ...

    # Gap rules run where the data lives; see stakemap.analysis.rules for the vocabulary.
    def evaluate_rules(self, rules: Iterable[RuleBase], as_of: date,
                       progress: Callable[[int, int], None] | None = None
                       ) -> dict[str, list[Hit]]:
        """Hits for every enabled rule, keyed by rule id, in any order (find_gaps sorts).

        Rules arrive resolved: a required-role rule's ``phases`` is already filled in from
        the role catalog, and ``when.customers`` already narrowed to what was asked for.
        ``progress(done, total)`` is called after each rule, for a progress bar."""
        ...

    def accounts(self) -> list[str]:
        """Ids of the accounts: customers that consume a service or are party to an agreement."""
        ...

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names of the given node ids (unknown ids are left out)."""
        ...

    def close(self) -> None: ...
