"""A portfolio as CSV tables: one per kind of node and one per kind of link, for
spreadsheets and BI tools.

Nodes: ``organizations.csv``, ``people.csv``, ``services.csv``, ``agreements.csv``,
``meetings.csv``, one row per node, one column per field of the kind (maps and lists as JSON
text, unset fields empty). Links: ``<kind>.csv`` (``holds_role.csv``, ``reports_to.csv``, ...)
with ``source`` and ``target`` first. Every table is written, empty ones with their header
only, so a consumer finds the same files every time. The portfolio's own roles, if any, are
``roles.csv``.

Every cell, header included, goes through ``stakemap.escape.csv_cell``: a name such as
``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)`` so no spreadsheet runs it. The tables go
to a folder (one file each) or into one zip file; either is built in memory first, so a
table that cannot be made leaves nothing written, and each file is written atomically.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

from stakemap.atomic_write import StrPath, write_atomic
from stakemap.errors import OutputError
from stakemap.escape import csv_cell
from stakemap.exports.networkx_graph import edge_attributes, node_attributes
from stakemap.model.edges import EDGE_TYPES
from stakemap.model.enums import EdgeKind, NodeKind
from stakemap.model.nodes import NODE_TYPES
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleDefinition

__all__ = ["NODE_TABLES", "csv_tables", "write_csv"]

NODE_TABLES: dict[NodeKind, str] = {
    NodeKind.ORGANIZATION: "organizations.csv",
    NodeKind.PERSON: "people.csv",
    NodeKind.SERVICE: "services.csv",
    NodeKind.AGREEMENT: "agreements.csv",
    NodeKind.MEETING: "meetings.csv",
}
"""The file of each kind of node."""


def _table(header: list[str], rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(_cell(row.get(h))) for h in header])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_tables(portfolio: Portfolio) -> dict[str, str]:
    """File name -> CSV text, for every table (see the module doc)."""
    tables: dict[str, str] = {}
    for kind, name in NODE_TABLES.items():
        header = [f for f in NODE_TYPES[kind].model_fields if f != "kind"]
        rows = [node_attributes(n) for n in portfolio.nodes if n.kind is kind]
        tables[name] = _table(header, rows)
    for edge_kind in EdgeKind:
        fields = [f for f in EDGE_TYPES[edge_kind].model_fields
                  if f not in ("kind", "source", "target")]
        rows = [{"source": e.source, "target": e.target, **edge_attributes(e)}
                for e in portfolio.edges if e.kind is edge_kind]
        tables[f"{edge_kind.value}.csv"] = _table(["source", "target", *fields], rows)
    if portfolio.roles:
        header = list(RoleDefinition.model_fields)
        rows = [{k: (", ".join(v) if isinstance(v, list) else v)
                 for k, v in r.model_dump(mode="json").items()} for r in portfolio.roles]
        tables["roles.csv"] = _table(header, rows)
    return tables


def write_csv(portfolio: Portfolio, path: StrPath, *,
              inputs: tuple[StrPath, ...] = ()) -> list[Path]:
    """Write the tables into the folder ``path`` (created if missing; a path ending in
    ``/`` or naming a folder), or into one zip file when ``path`` ends in ``.zip``.
    Returns the files written."""
    tables = csv_tables(portfolio)
    target = Path(path)
    if os.fspath(path).lower().endswith(".zip"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in tables.items():
                archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)),
                                 text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        return [write_atomic(path, out.getvalue(), inputs=inputs)]
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {os.fspath(path)}: "
                          f"{exc.strerror or exc}; choose a folder you can write to",
                          filename=os.fspath(path), errno=exc.errno) from exc
    return [write_atomic(target / name, text, inputs=inputs) for name, text in tables.items()]
