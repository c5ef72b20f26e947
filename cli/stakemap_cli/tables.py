"""Laying out a portfolio summary: rich tables on a terminal, plain columns in a pipe."""

from __future__ import annotations

from collections.abc import Sequence

import click

from stakemap.analysis.summary import Summary
from stakemap.render.text import plain_table

_Section = tuple[str, list[str], list[Sequence[object]]]


def _sections(summary: Summary) -> list[_Section]:
    return [
        ("Customers", ["id", "name", "phase", "parent", "people", "our team", "services", "vital"],
         [(c.id, c.name, c.phase, c.parent, c.people, c.provider_team, c.services,
           c.vital_services) for c in summary.customers]),
        ("People", ["side", "active", "left"],
         [(side, counts["active"], counts["left"])
          for side, counts in summary.people_by_side.items()]),
        ("Roles held", ["role", "name", "side", "holders"],
         [(r.role, r.name, r.side, r.holders) for r in summary.roles]),
        ("Services", ["id", "name", "provider", "consumers", "vital for", "owners"],
         [(s.id, s.name, s.providers, s.consumers, s.vital_for, s.owners or "-")
          for s in summary.services]),
    ]


def print_plain(summary: Summary) -> None:
    if summary.name:
        click.echo(f"Portfolio: {summary.name}\n")
    for title, headers, rows in _sections(summary):
        click.echo(f"{title} ({len(rows)})")
        click.echo(plain_table(headers, rows) if rows else "(none)")
        click.echo()


def print_rich(summary: Summary) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if summary.name:
        console.print(f"[bold]{summary.name}[/bold]")
    for title, headers, rows in _sections(summary):
        table = Table(title=f"{title} ({len(rows)})", title_justify="left")
        for header in headers:
            numeric = bool(rows) and all(isinstance(r[headers.index(header)], int) for r in rows)
            table.add_column(header, justify="right" if numeric else "left")
        for row in rows:
            table.add_row(*(str(c) for c in row))
        console.print(table)
