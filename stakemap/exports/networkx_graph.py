"""A portfolio as a plain ``networkx.MultiDiGraph`` and back.

The attributes are what networkx's file writers (GraphML, GEXF) accept: text, numbers and
booleans only. Unset fields are left out (the writers refuse None), enums and dates are their
text, and the fields that hold a map or a list (``external_ids``, a person's ``assessments``)
are one JSON text each, as in Neo4j. Edge keys are printable: the edge's kind and the parts
that tell parallel edges apart (``holds_role|account-manager|operations``), which is unique
among the edges between two nodes because source and target are the pair itself. The
model's own keys join their parts with a control character that XML cannot hold.

The graph's ``name`` is the portfolio's name and ``roles`` its own roles as JSON text, so
``portfolio_from_networkx`` gives back the same portfolio.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx
from pydantic import ValidationError

from stakemap.errors import GraphError
from stakemap.model.edges import EDGE_TYPES, Edge, EdgeBase
from stakemap.model.enums import EdgeKind, NodeKind
from stakemap.model.nodes import NODE_TYPES, Node, NodeBase
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleDefinition

__all__ = ["JSON_ATTRIBUTES", "KEY_SEPARATOR", "edge_key", "node_attributes",
           "portfolio_from_networkx", "portfolio_to_networkx"]

KEY_SEPARATOR = "|"
"""Joins an edge's kind and distinguishing parts into its networkx key."""

JSON_ATTRIBUTES = frozenset({"external_ids", "assessments"})
"""Node fields written as one JSON text attribute (a map, a list of assessments)."""


def edge_key(edge: EdgeBase) -> str:
    """The printable networkx key of ``edge``: its kind and what distinguishes it from
    parallel edges of that kind (role and phase, scope, tie type), joined by ``|``."""
    return KEY_SEPARATOR.join((edge.kind.value, *edge._key_parts()))


def _plain(value: Any) -> Any:
    """A dumped (JSON-mode) value as a writer-friendly one: maps and lists as JSON text."""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def node_attributes(node: NodeBase) -> dict[str, Any]:
    """A node's fields as networkx attributes: set fields only, JSON text for maps and lists
    (an empty map or list is left out, like an unset field)."""
    data = node.model_dump(mode="json", exclude_none=True)
    return {k: _plain(v) for k, v in data.items() if v not in ({}, [])}


def edge_attributes(edge: EdgeBase) -> dict[str, Any]:
    """An edge's fields as networkx attributes (its endpoints are the edge's ends)."""
    data = edge.model_dump(mode="json", exclude_none=True, exclude={"source", "target"})
    return {k: _plain(v) for k, v in data.items()}


def portfolio_to_networkx(portfolio: Portfolio) -> Any:
    """``portfolio`` as a ``networkx.MultiDiGraph`` whose attributes any networkx writer
    accepts (see the module doc)."""
    graph = nx.MultiDiGraph()
    if portfolio.name is not None:
        graph.graph["name"] = portfolio.name
    if portfolio.roles:
        graph.graph["roles"] = json.dumps(
            [r.model_dump(mode="json") for r in portfolio.roles], ensure_ascii=False)
    for node in portfolio.nodes:
        graph.add_node(node.id, **node_attributes(node))
    for edge in portfolio.edges:
        key = edge_key(edge)
        if graph.has_edge(edge.source, edge.target, key):  # only a role id holding '|'
            raise GraphError(f"{edge.kind.value} '{edge.source}' -> '{edge.target}': two "
                             f"edges would share the key '{key}'; a role id has no '|'")
        graph.add_edge(edge.source, edge.target, key=key, **edge_attributes(edge))
    return graph


def portfolio_from_networkx(graph: Any) -> Portfolio:
    """The portfolio a graph made by ``portfolio_to_networkx`` holds, also after a trip
    through a file (``read_graphml``, ``read_gexf``): attributes that are no model field
    (a GEXF ``label``) are ignored, a missing ``id`` is the node's own key, and JSON text
    fields are read back. ``GraphError`` names the node or edge whose attributes are not
    a valid model."""
    nodes: list[Node] = []
    for node_id, data in graph.nodes(data=True):
        try:  # JSON text that is not JSON is a ValueError too
            values = {k: (json.loads(v) if k in JSON_ATTRIBUTES and isinstance(v, str)
                          else v) for k, v in data.items()}
            values.setdefault("id", str(node_id))
            model = NODE_TYPES[NodeKind(str(values.get("kind")))]
            fields = {k: v for k, v in values.items() if k in model.model_fields}
            nodes.append(model.model_validate(fields))  # type: ignore[arg-type]
        except (ValueError, ValidationError) as exc:
            raise GraphError(f"node '{node_id}': {_first_line(exc)}") from exc
    edges: list[Edge] = []
    for source, target, data in graph.edges(data=True):
        try:
            model_type = EDGE_TYPES[EdgeKind(str(data.get("kind")))]
            fields = {k: v for k, v in data.items()
                      if k in model_type.model_fields and k not in ("source", "target")}
            edges.append(model_type.model_validate(  # type: ignore[arg-type]
                {**fields, "source": str(source), "target": str(target)}))
        except (ValueError, ValidationError) as exc:
            raise GraphError(f"edge '{source}' -> '{target}': {_first_line(exc)}") from exc
    roles_text = graph.graph.get("roles")
    try:
        roles = [RoleDefinition.model_validate(r) for r in json.loads(roles_text)] \
            if isinstance(roles_text, str) and roles_text else []
    except (ValueError, TypeError, ValidationError) as exc:
        raise GraphError(f"the graph's roles: {_first_line(exc)}") from exc
    name = graph.graph.get("name")
    return Portfolio.build(name=name if isinstance(name, str) and name else None,
                           roles=roles, nodes=nodes, edges=edges)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
