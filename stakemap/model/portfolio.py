"""``Portfolio``: a whole graph as plain, canonically ordered data.

It is what a store exports and imports, what portfolio files convert to and from, and what
tests compare: two stores hold the same graph exactly when their portfolios are equal.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from stakemap.model.edges import Edge
from stakemap.model.nodes import Node
from stakemap.model.roles import RoleCatalog, RoleDefinition

__all__ = ["Portfolio"]


class Portfolio(BaseModel):
    """Nodes sorted by id, edges sorted by key, and the portfolio's own (non-built-in) roles."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    roles: tuple[RoleDefinition, ...] = ()
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        name: str | None = None,
        roles: Iterable[RoleDefinition] = (),
        nodes: Iterable[Node] = (),
        edges: Iterable[Edge] = (),
    ) -> Portfolio:
        """Assemble a portfolio in canonical order without re-validating the parts."""
        return cls.model_construct(
            name=name,
            roles=tuple(sorted(roles, key=lambda r: r.id)),
            nodes=tuple(sorted(nodes, key=lambda n: n.id)),
            edges=tuple(sorted(edges, key=lambda e: e.key)),
        )

    def catalog(self) -> RoleCatalog:
        return RoleCatalog(self.roles)
