"""GEXF files of a portfolio: Gephi's own format.

The graph is ``portfolio_to_networkx``'s, with two GEXF conventions applied: a node's
``label`` (what Gephi shows) is its name, and an edge attribute GEXF reserves for itself
(``type``, which GEXF reads as directed/undirected; ``label``, ``weight``, ``start``,
``end``, ``id``) is written as ``stakemap_<name>`` (a directed tie's ``type`` is
``stakemap_type``). GEXF keeps no graph attributes but the name, so the portfolio's own
roles go in the file's ``<meta><description>`` as JSON. ``read_gexf`` undoes all three.
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from stakemap.atomic_write import StrPath, write_atomic
from stakemap.exports.networkx_graph import portfolio_from_networkx, portfolio_to_networkx
from stakemap.exports.xml_files import check_xml_text
from stakemap.model.portfolio import Portfolio

__all__ = ["RESERVED_EDGE_ATTRIBUTES", "gexf_bytes", "read_gexf", "write_gexf"]

RESERVED_EDGE_ATTRIBUTES = ("id", "label", "weight", "type", "start", "end")
"""Edge attribute names networkx's GEXF writer takes for GEXF's own edge fields."""
_PREFIX = "stakemap_"
_ROLES = "stakemap-roles: "
_NS = "{http://www.gexf.net/1.2draft}"


def gexf_bytes(portfolio: Portfolio) -> bytes:
    """``portfolio`` as a GEXF 1.2 document (UTF-8)."""
    graph = portfolio_to_networkx(portfolio)
    roles = graph.graph.pop("roles", None)
    for _, data in graph.nodes(data=True):
        data["label"] = data["name"]
    for _, _, data in graph.edges(data=True):
        for name in RESERVED_EDGE_ATTRIBUTES:
            if name in data:
                data[_PREFIX + name] = data.pop(name)
    check_xml_text(graph, "GEXF")
    out = io.BytesIO()
    nx.write_gexf(graph, out, encoding="utf-8")
    xml = out.getvalue()
    if roles is not None:  # JSON with ASCII escapes: no character XML could not hold
        text = escape(_ROLES + json.dumps(json.loads(roles))).encode("ascii")
        xml = xml.replace(b"</creator>", b"</creator><description>" + text
                          + b"</description>", 1)
    return xml


def write_gexf(portfolio: Portfolio, path: StrPath, *,
               inputs: tuple[StrPath, ...] = ()) -> None:
    """Write ``portfolio`` to ``path`` as GEXF (nothing is written if it cannot be)."""
    write_atomic(path, gexf_bytes(portfolio), inputs=inputs)


def read_gexf(path: StrPath | Any) -> Portfolio:
    """The portfolio in a GEXF file written by ``write_gexf`` (a path or a binary file
    object)."""
    data: bytes = (Path(path).read_bytes() if isinstance(path, str | os.PathLike)
                   else path.read())
    graph = nx.read_gexf(io.BytesIO(data))
    for _, attrs in graph.nodes(data=True):
        attrs.pop("label", None)
    for _, _, attrs in graph.edges(data=True):
        for name in RESERVED_EDGE_ATTRIBUTES:
            if _PREFIX + name in attrs:
                attrs[name] = attrs.pop(_PREFIX + name)
    description = ET.fromstring(data).find(f"{_NS}meta/{_NS}description")
    if description is not None and (description.text or "").startswith(_ROLES):
        graph.graph["roles"] = description.text[len(_ROLES):]  # type: ignore[index]
    return portfolio_from_networkx(graph)
