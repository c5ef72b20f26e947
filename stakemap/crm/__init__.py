"""Contacts from a CRM's CSV export into a portfolio: ``import_csv``.

    result = stakemap.import_csv(["contacts.csv", "contact-roles.csv"], preset="salesforce",
                                 into=stakemap.read_portfolio("portfolio.yaml"))
    result.changes       # what would be added or changed, each with its file:line
    result.vanished      # people with a CRM id at these companies, not in this export
    result.write("portfolio.yaml")     # or result.write(graph) for a graph or store

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
           "Preset", "Vanished", "import_csv", "load_mapping"]


def import_csv(files: Iterable[str | os.PathLike[str]], *, preset: str = "salesforce",
               mapping: str | os.PathLike[str] | CrmMapping | None = None,
               into: Portfolio | StakeholderGraph | GraphStore | None = None) -> CrmImport:
    """Read CRM exports and merge their contacts into ``into`` (a portfolio, a graph or a
    store, read once; None: an empty portfolio). Nothing is written: ``write`` the
    result. ``CrmImportError`` lists every problem of every file."""
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
