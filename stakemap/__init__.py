"""stakemap: map the people around a customer account and find where coverage is weak.

The public API is what ``__all__`` lists, plus ``stakemap.render`` (``render`` for
diagrams, ``report`` for review packs); everything else is importable but not promised.
Names are loaded on first use so ``import stakemap`` stays cheap for the CLI.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stakemap._version import __version__

if TYPE_CHECKING:
    from stakemap.analysis.gaps import Finding, GapReport, find_gaps
    from stakemap.analysis.playbook import Playbook, load_playbook
    from stakemap.rules import Severity
    from stakemap.backends import GraphStore
    from stakemap.errors import (
        GraphError,
        InputError,
        MissingDependencyError,
        NotFoundError,
        OutputError,
        PlaybookError,
        PortfolioError,
        Problem,
        StakemapError,
        StoreConnectionError,
        StoreError,
        StoreURLError,
        UsageError,
    )
    from stakemap.files import load_portfolio, save_portfolio
    from stakemap.graph import StakeholderGraph
    from stakemap.model import (
        AuthorityScope,
        EdgeKind,
        MeetingKind,
        NodeKind,
        OrgKind,
        PersonStatus,
        Phase,
        Portfolio,
        ReportLine,
        RoleDefinition,
        Sentiment,
        Side,
        Stance,
    )

__all__ = [
    "AuthorityScope",
    "EdgeKind",
    "Finding",
    "GapReport",
    "GraphError",
    "GraphStore",
    "InputError",
    "MeetingKind",
    "MissingDependencyError",
    "NodeKind",
    "NotFoundError",
    "OrgKind",
    "OutputError",
    "PersonStatus",
    "Phase",
    "Playbook",
    "PlaybookError",
    "Portfolio",
    "PortfolioError",
    "Problem",
    "ReportLine",
    "RoleDefinition",
    "Sentiment",
    "Severity",
    "Side",
    "StakeholderGraph",
    "StakemapError",
    "Stance",
    "StoreConnectionError",
    "StoreError",
    "StoreURLError",
    "UsageError",
    "__version__",
    "connect",
    "find_gaps",
    "load_playbook",
    "load_portfolio",
    "save_portfolio",
]

_LAZY = {
    "Finding": "stakemap.analysis.gaps",
    "GapReport": "stakemap.analysis.gaps",
    "find_gaps": "stakemap.analysis.gaps",
    "Playbook": "stakemap.analysis.playbook",
    "load_playbook": "stakemap.analysis.playbook",
    "Severity": "stakemap.rules",
    "GraphStore": "stakemap.backends",
    "StakeholderGraph": "stakemap.graph",
    "load_portfolio": "stakemap.files",
    "save_portfolio": "stakemap.files",
    **dict.fromkeys(
        ["GraphError", "MissingDependencyError", "NotFoundError", "PortfolioError", "Problem",
         "StakemapError", "StoreConnectionError", "StoreError", "StoreURLError"],
        "stakemap.errors"),
    **dict.fromkeys(["InputError", "OutputError", "PlaybookError", "UsageError"],
                    "stakemap.errors"),
    **dict.fromkeys(
        ["AuthorityScope", "EdgeKind", "MeetingKind", "NodeKind", "OrgKind", "PersonStatus",
         "Phase", "Portfolio", "ReportLine", "RoleDefinition", "Sentiment", "Side", "Stance"],
        "stakemap.model"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stakemap' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def connect(url: str | Any = "memory://", **options: Any) -> StakeholderGraph:
    """Open the graph stored at ``url``: ``memory://`` (the default) is a new in-memory graph,
    ``neo4j://host:7687/db`` a Neo4j database. A ``neo4j.Driver`` may be given instead of a URL.

    ``options`` go to the backend (Neo4j: ``database``, ``password``, ``batch_size``).
    """
    from stakemap.backends import open_store
    from stakemap.graph import StakeholderGraph

    return StakeholderGraph(open_store(url, **options))
