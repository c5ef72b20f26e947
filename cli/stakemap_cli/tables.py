"""Laying out summaries and findings: rich tables on a terminal, plain columns in a pipe.

Names, ids, messages and titles come from the user's portfolio, so they are data, never
markup: every one goes to rich as a ``rich.text.Text`` (styles via ``style=``), because a
plain string is parsed as console markup, so ``Acme [legacy]`` would lose ``[legacy]`` and
``[/bold]`` would crash with a ``MarkupError``. The plain tables measure text in terminal
cells, so CJK names (two cells a character) still line up.

Every cell and title, in both paths, also goes through ``stakemap.escape.terminal_text``:
``Text`` keeps ESC, and a pipe often ends in a terminal (``| less -R``, ``| tee``), so an
escape sequence in a name (``\x1b]52;`` writes the clipboard, ``\x1b]8;;`` makes a hidden
link, ``\x1b[2J`` clears the screen) is shown as ``\x1b]52;...``, never sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click
from rich.cells import cell_len
from rich.text import Text

import stakemap
from stakemap.escape import terminal_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from stakemap import Finding, GapReport, NetworkReport, Summary

__all__ = ["plain_table", "print_gaps", "print_plain", "print_rich"]

_Section = tuple[str, list[str], list[Sequence[object]]]
_SEVERITY_STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan",
                    "info": "dim"}


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns separated by two spaces, padded to the widest cell; numbers right-aligned.

    For pipes and files: no colour, no box drawing, so ``grep`` and ``awk`` work. Widths are
    terminal cells (``李娜`` is four), not characters, so columns line up on screen.
    """
    cells = [[terminal_text(str(h)) for h in headers],
             *[["" if c is None else terminal_text(str(c)) for c in r] for r in rows]]
    widths = [max(cell_len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(r[i], int | float) for r in rows) and bool(rows)
               for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = []
        for cell, width, right in zip(row, widths, numeric, strict=True):
            pad = " " * (width - cell_len(cell))
            parts.append(pad + cell if right else cell + pad)
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


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
        click.echo(f"Portfolio: {terminal_text(summary.name)}\n")
    for title, headers, rows in _sections(summary):
        click.echo(f"{terminal_text(title)} ({len(rows)})")
        click.echo(plain_table(headers, rows) if rows else "(none)")
        click.echo()


def _console(console: Console | None) -> Console:
    if console is not None:
        return console
    from rich.console import Console

    return Console()


def _table(title: str) -> Table:
    """A table whose title is text, not markup (titles carry customer ids and names)."""
    from rich.table import Table

    return Table(title=Text(terminal_text(title)), title_justify="left")


def _cell(value: object) -> Text:
    """A user-derived cell: text, not markup, with its control characters made visible."""
    return Text("" if value is None else terminal_text(str(value)))


def print_rich(summary: Summary, *, console: Console | None = None) -> None:
    """The summary as rich tables; ``console`` defaults to one on stdout."""
    console = _console(console)
    if summary.name:
        console.print(Text(terminal_text(summary.name), style="bold"))
    for title, headers, rows in _sections(summary):
        table = _table(f"{title} ({len(rows)})")
        for index, header in enumerate(headers):
            numeric = bool(rows) and all(isinstance(r[index], int) for r in rows)
            table.add_column(Text(header), justify="right" if numeric else "left")
        for row in rows:
            table.add_row(*map(_cell, row))
        console.print(table)


def print_gaps(report: GapReport, *, rich: bool, console: Console | None = None) -> None:
    """Per account: its top actions, then its findings, worst first; then the scores and
    how they are made.

    ``console`` (rich only) defaults to one on stdout.
    """
    headers = ["severity", "code", "finding", "what to do"]
    scores = [(s.customer, s.name, s.score, s.breakdown() or "-") for s in report.scores]
    score_headers = ["customer", "name", "score", "weak dimensions"]
    if rich:
        console = _console(console)
        for customer, findings in report.by_customer().items():
            if customer is not None:
                console.print(Text(f"{terminal_text(customer)}: top actions", style="bold"))
                for line in _actions(report, customer):
                    console.print(Text(line))
            table = _table(customer or "Across accounts")
            for h in headers:
                table.add_column(Text(h), overflow="fold")
            for f in findings:
                severity = f.severity.value
                table.add_row(Text(severity, style=_SEVERITY_STYLES[severity]), _cell(f.code),
                              _cell(_with_also(f)), _cell(f.remediation))
            console.print(table)
        table = _table("Coverage score")
        for h in score_headers:
            table.add_column(Text(h))
        for row in scores:
            table.add_row(*map(_cell, row))
        console.print(table)
        console.print(Text(stakemap.SCORE_RULE))
        return
    for customer, findings in report.by_customer().items():
        click.echo(f"{terminal_text(customer or 'Across accounts')} ({len(findings)})")
        if customer is not None:
            click.echo("top actions:")
            for line in _actions(report, customer):
                click.echo(line)
        click.echo(plain_table(headers[:3], [(f.severity.value, f.code, _with_also(f))
                                             for f in findings]))
        click.echo()
    if not report.findings:
        click.echo("No gaps found.\n")
    click.echo("Coverage score")
    click.echo(plain_table(score_headers, scores))
    click.echo(stakemap.SCORE_RULE)


def _actions(report: GapReport, customer: str) -> list[str]:
    """The account's top actions, numbered: what to do, and about what."""
    return [f"  {i}. {terminal_text(f.remediation)} ({terminal_text(f.code)}: "
            f"{terminal_text(f.subject_name)})"
            for i, f in enumerate(report.top_actions(customer), start=1)]


def _with_also(finding: Finding) -> str:
    """The message, and the findings folded into it (one cause, one row)."""
    if not finding.also:
        return finding.message
    return finding.message + "; also: " + "; ".join(f.message for f in finding.also)


def print_network(report: NetworkReport) -> None:
    """Per account: its brokers, gatekeepers (and whom they cut off) and hidden influencers."""
    for account in report.accounts:
        click.echo(terminal_text(
            f"{account.account}: {len(account.people)} people, {account.ties} ties "
            f"(reporting lines {'count' if account.reporting else 'do not count'})"))
        rows = [(role, p.name, p.side.value, f"{p.betweenness:.3f}", f"{p.influence_rank:.3f}",
                 "-" if p.influence is None else p.influence, ", ".join(p.cuts_off))
                for role, people in (("broker", account.brokers()),
                                     ("gatekeeper", account.gatekeepers()),
                                     ("hidden influencer", account.hidden_influencers()))
                for p in people]
        click.echo(plain_table(["role", "person", "side", "betweenness", "influence rank",
                                "rated", "cuts off"], rows) if rows else "  (none)")
        click.echo()
