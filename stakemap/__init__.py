"""stakemap: map the people around a customer account and find where coverage is weak.

The public API is what ``__all__`` lists (and ``stakemap.render``, ``stakemap.testing``);
everything else is importable but not promised. Names load on first use, so
``import stakemap`` stays cheap for the CLI.

- open and keep graphs: ``connect``, ``load_portfolio``, ``save_portfolio``,
  ``read_portfolio`` / ``dump_portfolio`` / ``check_portfolio`` (files without a graph;
  ``portfolio_text`` reads ``-`` as standard input, ``parse_portfolio`` its text,
  ``entry_lines`` where each entry is),
  ``StakeholderGraph``;
- analyse: ``find_gaps`` with a ``Playbook``; ``summarize``;
- show: ``diagram``, ``review_pack`` and ``explorer`` (also ``stakemap.render.render`` /
  ``report``);
- exchange: ``export_graph`` (GraphML, GEXF, CSV tables, a Cypher script; by
  ``export_format``), ``StakeholderGraph.to_networkx`` / ``from_networkx``, and pandas
  frames: ``people_table``, ``GapReport.to_pandas``;
- try out: ``GeneratorSpec``, ``generate_portfolio``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stakemap._version import __version__

if TYPE_CHECKING:
    from stakemap.analysis.gaps import (
        SCORE_RULE,
        CustomerScore,
        Finding,
        Folded,
        GapReport,
        find_gaps,
    )
    from stakemap.analysis.keypeople import (
        AccountCost,
        KeyPersonRanking,
        KeyPersonRisk,
        key_people_at_risk,
    )
    from stakemap.analysis.network import (
        AccountNetwork,
        NetworkReport,
        PersonRole,
        network_roles,
    )
    from stakemap.analysis.paths import Hop, IntroPath, PathReport, paths
    from stakemap.analysis.playbook import (
        BUILTIN_PLAYBOOKS,
        Playbook,
        load_playbook,
        playbook_schema,
        playbook_source,
        resolve_playbooks,
    )
    from stakemap.analysis.summary import Summary, summarize
    from stakemap.analysis.whatif import AccountLoss, WhatIfReport, what_if
    from stakemap.api import connect, load_portfolio, save_portfolio
    from stakemap.atomic_write import check_not_input
    from stakemap.backends import Capability, GraphStore
    from stakemap.crm import CrmImport, CrmImportError, import_csv
    from stakemap.defaults import ConfigError, Defaults, find_defaults
    from stakemap.errors import (
        ArgumentError,
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
        StoreDataError,
        StoreError,
        StoreURLError,
        UsageError,
    )
    from stakemap.exports.formats import export_format, export_graph
    from stakemap.exports.frames import people_table
    from stakemap.files.load import entry_lines, parse_portfolio, portfolio_text, read_portfolio
    from stakemap.files.save import dump_portfolio
    from stakemap.files.schema import portfolio_schema
    from stakemap.generate import Generated, GeneratorSpec, generate_portfolio
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
        RoleCatalog,
        RoleDefinition,
        Sentiment,
        Side,
        Stance,
        TieType,
    )
    from stakemap.model.integrity import Violation, check_portfolio
    from stakemap.render.diagram import Diagram
    from stakemap.render.diagram import render as diagram
    from stakemap.render.explorer import Explorer, explorer
    from stakemap.render.review import ReviewPack
    from stakemap.render.review import report as review_pack
    from stakemap.rules import Dimension, RuleNotImplementedError, Scope, Severity

__all__ = [
    "BUILTIN_PLAYBOOKS",
    "SCORE_RULE",
    "AccountCost",
    "AccountLoss",
    "AccountNetwork",
    "ArgumentError",
    "AuthorityScope",
    "Capability",
    "ConfigError",
    "CrmImport",
    "CrmImportError",
    "CustomerScore",
    "Defaults",
    "Diagram",
    "Dimension",
    "EdgeKind",
    "Explorer",
    "Finding",
    "Folded",
    "GapReport",
    "Generated",
    "GeneratorSpec",
    "GraphError",
    "GraphStore",
    "Hop",
    "InputError",
    "IntroPath",
    "KeyPersonRanking",
    "KeyPersonRisk",
    "MeetingKind",
    "MissingDependencyError",
    "NetworkReport",
    "NodeKind",
    "NotFoundError",
    "OrgKind",
    "OutputError",
    "PathReport",
    "PersonRole",
    "PersonStatus",
    "Phase",
    "Playbook",
    "PlaybookError",
    "Portfolio",
    "PortfolioError",
    "Problem",
    "ReportLine",
    "ReviewPack",
    "RoleCatalog",
    "RoleDefinition",
    "RuleNotImplementedError",
    "Scope",
    "Sentiment",
    "Severity",
    "Side",
    "StakeholderGraph",
    "StakemapError",
    "Stance",
    "StoreConnectionError",
    "StoreDataError",
    "StoreError",
    "StoreURLError",
    "Summary",
    "TieType",
    "UsageError",
    "Violation",
    "WhatIfReport",
    "__version__",
    "check_not_input",
    "check_portfolio",
    "connect",
    "diagram",
    "dump_portfolio",
    "entry_lines",
    "explorer",
    "export_format",
    "export_graph",
    "find_defaults",
    "find_gaps",
    "generate_portfolio",
    "import_csv",
    "key_people_at_risk",
    "load_playbook",
    "load_portfolio",
    "network_roles",
    "parse_portfolio",
    "paths",
    "people_table",
    "playbook_schema",
    "playbook_source",
    "portfolio_schema",
    "portfolio_text",
    "read_portfolio",
    "resolve_playbooks",
    "review_pack",
    "save_portfolio",
    "summarize",
    "what_if",
]

_LAZY: dict[str, str | tuple[str, str]] = {
    **dict.fromkeys(["SCORE_RULE", "CustomerScore", "Finding", "Folded", "GapReport",
                     "find_gaps"], "stakemap.analysis.gaps"),
    **dict.fromkeys(["AccountNetwork", "NetworkReport", "PersonRole", "network_roles"],
                    "stakemap.analysis.network"),
    **dict.fromkeys(["Hop", "IntroPath", "PathReport", "paths"], "stakemap.analysis.paths"),
    **dict.fromkeys(["AccountCost", "KeyPersonRanking", "KeyPersonRisk", "key_people_at_risk"],
                    "stakemap.analysis.keypeople"),
    **dict.fromkeys(["AccountLoss", "WhatIfReport", "what_if"], "stakemap.analysis.whatif"),
    **dict.fromkeys(["CrmImport", "CrmImportError", "import_csv"], "stakemap.crm"),
    **dict.fromkeys(["BUILTIN_PLAYBOOKS", "Playbook", "load_playbook", "playbook_schema",
                     "playbook_source", "resolve_playbooks"], "stakemap.analysis.playbook"),
    **dict.fromkeys(["Summary", "summarize"], "stakemap.analysis.summary"),
    **dict.fromkeys(["connect", "load_portfolio", "save_portfolio"], "stakemap.api"),
    "check_not_input": "stakemap.atomic_write",
    **dict.fromkeys(["ConfigError", "Defaults", "find_defaults"], "stakemap.defaults"),
    **dict.fromkeys(["Capability", "GraphStore"], "stakemap.backends"),
    **dict.fromkeys(
        ["ArgumentError", "GraphError", "InputError", "MissingDependencyError", "NotFoundError",
         "OutputError",
         "PlaybookError", "PortfolioError", "Problem", "StakemapError", "StoreConnectionError",
         "StoreDataError", "StoreError", "StoreURLError", "UsageError"], "stakemap.errors"),
    **dict.fromkeys(["export_format", "export_graph"], "stakemap.exports.formats"),
    "people_table": "stakemap.exports.frames",
    **dict.fromkeys(["entry_lines", "parse_portfolio", "portfolio_text", "read_portfolio"],
                    "stakemap.files.load"),
    "dump_portfolio": "stakemap.files.save",
    "portfolio_schema": "stakemap.files.schema",
    **dict.fromkeys(["Generated", "GeneratorSpec", "generate_portfolio"], "stakemap.generate"),
    "StakeholderGraph": "stakemap.graph",
    **dict.fromkeys(
        ["AuthorityScope", "EdgeKind", "MeetingKind", "NodeKind", "OrgKind", "PersonStatus",
         "Phase", "Portfolio", "ReportLine", "RoleCatalog", "RoleDefinition", "Sentiment",
         "Side", "Stance", "TieType"], "stakemap.model"),
    **dict.fromkeys(["Violation", "check_portfolio"], "stakemap.model.integrity"),
    "Diagram": "stakemap.render.diagram",
    **dict.fromkeys(["Explorer", "explorer"], "stakemap.render.explorer"),
    "diagram": ("stakemap.render.diagram", "render"),
    "ReviewPack": "stakemap.render.review",
    "review_pack": ("stakemap.render.review", "report"),
    **dict.fromkeys(["Dimension", "RuleNotImplementedError", "Scope", "Severity"],
                    "stakemap.rules"),
}
"""Public name -> the module that defines it (or (module, name there))."""


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'stakemap' has no attribute '{name}'")
    module, attribute = where if isinstance(where, tuple) else (where, name)
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
