"""The verbs of the public API that compose the layers below: open a store, load a portfolio
file into a graph, save a graph or portfolio to a file.

They live here, above ``files``, ``backends`` and ``graph``, so that none of those imports a
layer above itself (``files`` reads and writes portfolio files and knows nothing of graphs or
stores). ``stakemap`` re-exports them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph
    from stakemap.model.portfolio import Portfolio

__all__ = ["connect", "load_portfolio", "save_portfolio"]

StrPath = str | os.PathLike[str]


def _path(verb: str, name: str, value: object) -> StrPath:
    """A path argument checked before it reaches ``open``: ``None`` or a number there
    raises a bare ``TypeError`` about ``os.PathLike`` that names neither verb nor argument."""
    from stakemap.errors import ArgumentError

    if isinstance(value, str | os.PathLike) and not isinstance(value, bytes):
        if not os.fspath(value):
            raise ArgumentError(f"{verb}: {name} is empty; give a file path")
        return value
    raise ArgumentError(f"{verb}: {name} should be a file path (str or pathlib.Path), not "
                        f"{type(value).__name__} {value!r}")


def connect(url: str | Any = "memory://", **options: Any) -> StakeholderGraph:
    """Open the graph stored at ``url``: ``memory://`` (the default) is a new in-memory graph,
    ``neo4j://host:7687/db`` a Neo4j database. A ``neo4j.Driver`` may be given instead of a
    URL. The graph is a context manager: ``with stakemap.connect(url) as graph:`` closes the
    connection at the end.

    ``options`` go to the backend. Neo4j: ``database``, ``password``, ``batch_size``;
    ``prompt`` (a function asked for the password, e.g. ``getpass.getpass``, when neither
    the URL nor ``NEO4J_PASSWORD`` gives one) and ``password_in_url=False`` (refuse a URL that
    carries a password, as the CLI does for URLs typed on its command line).
    """
    from stakemap.backends import open_store
    from stakemap.graph import StakeholderGraph

    return StakeholderGraph(open_store(url, **options))


def load_portfolio(path: StrPath, store: GraphStore | str | None = None, *,
                   progress: Callable[[int, int], None] | None = None) -> StakeholderGraph:
    """Load and validate a portfolio file into a graph (in memory unless ``store`` is given;
    into a store, the file is upserted).

    Raises ``PortfolioError`` with every problem found, each located as file:line:column.
    """
    from stakemap.files.load import read_portfolio
    from stakemap.graph import StakeholderGraph

    path = _path("load_portfolio", "path", path)
    return StakeholderGraph.from_portfolio(read_portfolio(path), store, progress=progress)


def save_portfolio(source: StakeholderGraph | Portfolio, path: StrPath, *,
                   inputs: Iterable[StrPath] = ()) -> Path:
    """Write a graph (or a portfolio snapshot) to ``path`` as JSON (``.json``) or YAML.

    The file is replaced in one step: a failure leaves the old one intact and raises
    ``OutputError`` naming the path and the fix. ``inputs`` are files the caller read,
    refused as the target so a command cannot overwrite its own input.
    """
    from stakemap.errors import ArgumentError
    from stakemap.files.save import write_portfolio
    from stakemap.graph import StakeholderGraph
    from stakemap.model.portfolio import Portfolio

    path = _path("save_portfolio", "path", path)
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]  # one input file given bare: still refused as the target
    inputs = [_path("save_portfolio", "inputs", i) for i in inputs]
    if isinstance(source, StakeholderGraph):
        portfolio = source.snapshot()
    elif isinstance(source, Portfolio):
        portfolio = source
    else:
        raise ArgumentError(f"save_portfolio: source should be a StakeholderGraph or a "
                            f"Portfolio, not {type(source).__name__}")
    return write_portfolio(portfolio, path, inputs=inputs)
