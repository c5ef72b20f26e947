"""Contacts from a CRM's CSV export into a portfolio: ``import_csv``.

    result = stakemap.import_csv(["contacts.csv", "contact-roles.csv"], preset="salesforce",
                                 into=stakemap.read_portfolio("portfolio.yaml"))
    result.changes       # what would be added or changed, each with its file:line
    result.vanished      # people with a CRM id at these companies, not in this export
    result.save("portfolio.yaml")      # or result.write_to(graph) for a store

The preset (``stakemap.crm.presets``) knows the CRM's usual column names; a mapping file
(``stakemap.crm.mapping``) covers the rest. Every node keeps its CRM id in
``external_ids``, so importing the next export updates the same people (see
``stakemap.crm.merge`` for how people are found again, and why nothing is ever deleted).
A row that cannot be imported stops the whole import with ``CrmImportError``, every
problem located ``file:line``, before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from stakemap.crm.mapping import CrmImportError, CrmMapping, load_mapping
from stakemap.crm.merge import Change, CrmImport, Vanished, merge
from stakemap.crm.presets import FIELDS, PRESETS, Preset
from stakemap.crm.read import Table, read_table
from stakemap.errors import Problem, UsageError
from stakemap.model.portfolio import Portfolio

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["FIELDS", "PRESETS", "Change", "CrmImport", "CrmImportError", "CrmMapping",
           "Preset", "Vanished", "import_csv", "load_mapping", "summary", "write"]


def import_csv(files: Iterable[str | os.PathLike[str]], *, preset: str = "salesforce",
               mapping: str | os.PathLike[str] | CrmMapping | None = None,
               into: Portfolio | StakeholderGraph | GraphStore | None = None) -> CrmImport:
    """Read CRM exports and merge their contacts into ``into`` (a portfolio, a graph or a
    store, read once; None: an empty portfolio). Nothing is written: ``save`` or
    ``write_to`` the result. ``CrmImportError`` lists every problem of every file."""
    chosen = PRESETS.get(preset)
    if chosen is None:
        raise UsageError(f"no CRM preset {preset!r}; use one of: {', '.join(PRESETS)}")
    mapping_name = None
    if mapping is None:
        mapping = CrmMapping()
    elif not isinstance(mapping, CrmMapping):
        mapping_name = os.fspath(mapping)
        mapping = load_mapping(mapping)
    columns = {f: (*mapping.columns.get(f, ()), *chosen.columns.get(f, ()))
               for f in FIELDS if f in mapping.columns or f in chosen.columns}
    ignore = (*chosen.ignore, *mapping.ignore)
    names = [os.fspath(f) for f in files]
    if not names:
        raise UsageError("give at least one CSV export to import")
    tables: list[Table] = []
    problems: list[Problem] = []
    for name in names:
        try:
            tables.append(read_table(name, columns, ignore))
        except CrmImportError as exc:
            problems += exc.problems
    if problems:  # a file unreadable as a whole; the others' unreadable rows too
        raise CrmImportError([*problems, *(p for t in tables for p in t.problems)])
    return merge(tables, _base(into), chosen, mapping, mapping_name=mapping_name)


def _base(into: Portfolio | StakeholderGraph | GraphStore | None) -> Portfolio:
    from stakemap.graph import StakeholderGraph

    if into is None:
        return Portfolio()
    if isinstance(into, Portfolio):
        return into
    store = into.store if isinstance(into, StakeholderGraph) else into
    return store.export()


def write(result: CrmImport, target: str | os.PathLike[str] | StakeholderGraph | GraphStore,
          *, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write an import: a portfolio file is replaced whole, atomically (never one of
    ``inputs``); a graph or store is given only the nodes and edges that changed."""
    from stakemap.files.save import write_portfolio
    from stakemap.graph import StakeholderGraph

    if isinstance(target, str | os.PathLike):
        write_portfolio(result.portfolio, Path(target), inputs=inputs)
        return
    store = target.store if isinstance(target, StakeholderGraph) else target
    store.put_nodes(result.written_nodes)
    store.put_edges(result.written_edges)


_WHAT = {"organization": "organizations", "person": "people", "role": "roles",
         "reporting line": "reporting lines", "relationship": "relationships"}


def summary(result: CrmImport, *, files: int) -> list[str]:
    """The import in lines of plain text (the CLI's report): what is added and changed,
    who vanished, what nothing read, what was left out."""
    counts = result.counts()

    def listed(action: str) -> str:
        parts = [f"{counts[(action, what)]} {_WHAT[what] if counts[(action, what)] != 1 else what}"
                 for what in _WHAT if counts[(action, what)]]
        return ", ".join(parts) or "nothing"

    out = [f"{result.system}: {files} file{'s' if files != 1 else ''}, {result.rows} rows",
           f"added: {listed('added')}", f"updated: {listed('updated')}"]
    for change in result.changes:
        if change.action == "updated":
            fields = "; ".join(f"{f} {b or '-'} -> {a or '-'}" for f, b, a in change.fields)
            out.append(f"  {change.name} ({change.id}): {fields}")
    if result.vanished:
        out.append(f"not in this export, kept ({len(result.vanished)}; mark them left if "
                   "they left):")
        out += [f"  {v.name} ({v.id}, {result.system} {v.external_id}) at "
                f"{v.organization_name or v.organization}" for v in result.vanished]
    for file, columns in result.unmapped_columns.items():
        out.append(f"unmapped columns in {file}: {', '.join(columns)} (map them under "
                   "columns: or ignore: in --mapping)")
    if result.unmapped_roles:
        roles = ", ".join(f"{name} ({n})" for name, n in result.unmapped_roles.items())
        out.append(f"unmapped roles: {roles} (map them under roles: in --mapping)")
    for file, lines in result.skipped.items():
        out.append(f"skipped in {file}: {len(lines)} line{'s' if len(lines) != 1 else ''} "
                   f"of one cell (a report's totals or footer), from line {lines[0]}")
    if result.warnings:
        out.append(f"left out ({len(result.warnings)}):")
        out += [f"  {w}" for w in result.warnings]
    return out
