"""GraphML files of a portfolio: for yEd, Gephi, Cytoscape and any networkx program.

The graph is ``portfolio_to_networkx``'s: every attribute is a typed GraphML key (text,
integer, double, boolean), maps and lists are JSON text, edge ids are printable keys. The
file is written whole or not at all (``write_atomic``).
"""

from __future__ import annotations

import io
import os
from typing import Any

import networkx as nx

from stakemap.atomic_write import StrPath, write_atomic
from stakemap.exports.networkx_graph import portfolio_from_networkx, portfolio_to_networkx
from stakemap.exports.xml_files import check_xml_text, keep_carriage_returns
from stakemap.model.portfolio import Portfolio

__all__ = ["graphml_bytes", "read_graphml", "write_graphml"]


def graphml_bytes(portfolio: Portfolio) -> bytes:
    """``portfolio`` as a GraphML document (UTF-8)."""
    graph = portfolio_to_networkx(portfolio)
    check_xml_text(graph, "GraphML")
    out = io.BytesIO()
    nx.write_graphml(graph, out, encoding="utf-8")
    return keep_carriage_returns(out.getvalue())


def write_graphml(portfolio: Portfolio, path: StrPath, *,
                  inputs: tuple[StrPath, ...] = ()) -> None:
    """Write ``portfolio`` to ``path`` as GraphML (nothing is written if it cannot be)."""
    write_atomic(path, graphml_bytes(portfolio), inputs=inputs)


def read_graphml(path: StrPath | Any) -> Portfolio:
    """The portfolio in a GraphML file written by ``write_graphml`` (a path or a binary
    file object)."""
    source = os.fspath(path) if isinstance(path, str | os.PathLike) else path
    return portfolio_from_networkx(nx.read_graphml(source, force_multigraph=True))
