"""The Neo4j layout as a Cypher script: parameter-free ``MERGE`` statements that
``cypher-shell -f`` runs, and that leave in an empty database exactly what
``Neo4jStore`` writes for the same portfolio (see ``stakemap.backends.neo4j``).

It lives beside the store because it is the store's layout written out: the same
constraints (``_SCHEMA``), labels (``LABELS``), relationship types (``REL_TYPES``) and
properties (``_properties``: enums as text, dates as Cypher dates, ``JSON_FIELDS`` as JSON
text, edges with their ``key``). A script cannot use parameters, so every value is a
literal; labels and types come only from those fixed tables, and every text is a string
literal escaped by ``cypher_string``, so no user text is ever read as Cypher.

One statement per line, each ending in ``;``: a line feed inside a text is written ``\\n``,
so a reader may split the script on lines.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import date
from typing import Any

from stakemap.backends.neo4j import (
    _SCHEMA,
    LABELS,
    META,
    NODE,
    REL_TYPES,
    _properties,
)
from stakemap.errors import GraphError
from stakemap.model.edges import EdgeBase
from stakemap.model.nodes import Node
from stakemap.model.portfolio import Portfolio

__all__ = ["cypher_literal", "cypher_script", "cypher_statements", "cypher_string"]

_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}


def cypher_string(text: str) -> str:
    """``text`` as a single-quoted Cypher string literal.

    Backslash and both quotes are escaped with a backslash, the usual control characters
    by name (``\\n``), and every other character that is not printable (other controls,
    line and paragraph separators, lone surrogates) as ``\\uXXXX``: Cypher's string escapes.
    """
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif not ch.isprintable() and ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_literal(value: Any) -> str:
    """A property value as a Cypher literal: text, integer, float, boolean, date or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GraphError(f"{value!r} has no Cypher literal")
        return repr(value)
    if isinstance(value, date):
        return f"date({cypher_string(value.isoformat())})"
    if isinstance(value, str):
        return cypher_string(value)
    raise GraphError(f"a {type(value).__name__} has no Cypher literal")


def _map(properties: dict[str, Any]) -> str:
    """A property map literal; the names are model fields, quoted anyway."""
    items = (f"`{name}`: {cypher_literal(value)}" for name, value in sorted(properties.items()))
    return "{" + ", ".join(items) + "}"


def _stored(model: Node | EdgeBase) -> dict[str, Any]:
    """The properties ``Neo4jStore.put_nodes``/``put_edges`` write (its ``nulls`` form, so
    the JSON text fields are the same text), less the nulls: on a new node a null is no
    property at all."""
    return {k: v for k, v in _properties(model, nulls=True).items() if v is not None}


def cypher_statements(portfolio: Portfolio) -> Iterator[str]:
    """The script's statements, without the ``;``: the store's constraints, the portfolio's
    name and roles, then every node, then every edge."""
    yield from _SCHEMA
    if portfolio.name is not None or portfolio.roles:
        roles = json.dumps([r.model_dump(mode="json") for r in portfolio.roles],
                           ensure_ascii=False)
        yield (f"MERGE (m:{META} {{singleton: true}}) SET m.name = "
               f"{cypher_literal(portfolio.name)}, m.roles = {cypher_string(roles)}")
    for node in portfolio.nodes:
        properties = _stored(node)
        yield (f"MERGE (n:{NODE} {{id: {cypher_string(node.id)}}}) "
               f"SET n:{LABELS[node.kind]} SET n += {_map(properties)}")
    for edge in portfolio.edges:
        properties = _stored(edge)
        yield (f"MATCH (a:{NODE} {{id: {cypher_string(edge.source)}}}) "
               f"MATCH (b:{NODE} {{id: {cypher_string(edge.target)}}}) "
               f"MERGE (a)-[r:{REL_TYPES[edge.kind]} {{key: {cypher_string(edge.key)}}}]->(b) "
               f"SET r += {_map(properties)}")


def cypher_script(portfolio: Portfolio) -> str:
    """The whole script: a comment saying how to run it, then one statement per line."""
    head = ("// stakemap graph export: run it on an empty database, e.g.\n"
            "// cypher-shell -a neo4j://localhost:7687 -d neo4j -f this-file.cypher\n")
    return head + "".join(f"{statement};\n" for statement in cypher_statements(portfolio))
