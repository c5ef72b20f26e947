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

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from stakemap.model.edges import Edge, EdgeBase
from stakemap.model.enums import EdgeKind, NodeKind
from stakemap.model.nodes import Node
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleDefinition

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

    def close(self) -> None: ...
