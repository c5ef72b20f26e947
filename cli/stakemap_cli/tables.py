"""Laying out a portfolio summary: rich tables on a terminal, plain columns in a pipe."""

from __future__ import annotations

from collections.abc import Sequence

import click

from stakemap.analysis.gaps import GapReport
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


def print_gaps(report: GapReport, *, rich: bool) -> None:
    """Findings grouped by account, worst first, then the scores and how they are made."""
    headers = ["severity", "code", "finding", "what to do"]
    scores = [(s.customer, s.name, s.score, s.taken_off() or "-") for s in report.scores]
    if rich:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        colors = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan",
                  "info": "dim"}
        for customer, findings in report.by_customer().items():
            table = Table(title=customer or "Across accounts", title_justify="left")
            for h in headers:
                table.add_column(h, overflow="fold")
            for f in findings:
                table.add_row(f"[{colors[f.severity.value]}]{f.severity.value}[/]", f.code,
                              f.message, f.remediation)
            console.print(table)
        table = Table(title="Coverage score (100 minus critical 30, high 15, medium 7, low 3)",
                      title_justify="left")
        for h in ["customer", "name", "score", "taken off"]:
            table.add_column(h)
        for row in scores:
            table.add_row(*map(str, row))
        console.print(table)
        return
    for customer, findings in report.by_customer().items():
        click.echo(f"{customer or 'Across accounts'} ({len(findings)})")
        click.echo(plain_table(headers[:3], [(f.severity.value, f.code, f.message)
                                             for f in findings]))
        click.echo()
    if not report.findings:
        click.echo("No gaps found.\n")
    click.echo("Coverage score (100 minus critical 30, high 15, medium 7, low 3 per finding)")
    click.echo(plain_table(["customer", "name", "score", "taken off"], scores))
