"""Portfolio files: the YAML/JSON format, loading with located errors, and saving."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["load_portfolio", "save_portfolio"]


def load_portfolio(
    path: str | os.PathLike[str], store: GraphStore | str | None = None
) -> StakeholderGraph:
    """Load and validate a portfolio file into a graph (in memory unless ``store`` is given).

    Raises ``PortfolioError`` with every problem found, each located as file:line:column.
    """
    from stakemap.files.load import read_portfolio
    from stakemap.graph import StakeholderGraph

    return StakeholderGraph.from_portfolio(read_portfolio(path), store)


def save_portfolio(graph: StakeholderGraph, path: str | os.PathLike[str]) -> None:
    """Write a graph to ``path`` as JSON (``.json``) or YAML; the old file survives a failure."""
    graph.save(path)
