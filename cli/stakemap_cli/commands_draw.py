"""The commands that draw: render (diagrams and the explorer) and report (the review
pack)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

import stakemap
from stakemap import choices
from stakemap_cli.app import (
    AS_OF_HELP,
    PLAYBOOK_HELP,
    cli,
    inputs_of,
    judged_by,
    say,
)
from stakemap_cli.sources import (
    file_or_store,
    with_source,
)

if TYPE_CHECKING:
    pass


@cli.command()
@file_or_store
@click.option("--customer", default=None, metavar="ID",
              help="The account to draw; without it, the portfolio overview.")
@click.option("--view", default=None,
              type=click.Choice(sorted({*choices.ACCOUNT_VIEWS, *choices.PORTFOLIO_VIEWS})),
              help=f"What to draw: of an account {', '.join(choices.ACCOUNT_VIEWS)} (default "
                   f"{choices.ACCOUNT_VIEWS[0]}); of the portfolio "
                   f"{', '.join(choices.PORTFOLIO_VIEWS)} (default "
                   f"{choices.PORTFOLIO_VIEWS[0]}).")
@click.option("--all", "everyone", is_flag=True,
              help="The account map with all of its people; by default a large account "
                   "shows those who matter and folds the rest into one node per manager.")
@click.option("--engine", type=click.Choice(choices.ENGINES),
              default=None, help="Graphviz layout engine (default: chosen by size).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write; the format follows its extension (- for DOT on stdout).")
@click.option("--format", "fmt", type=click.Choice(choices.DIAGRAM_FORMATS), default=None,
              help="Override the format the extension implies.")
@click.option("--playbook", "playbooks", multiple=True, metavar="NAME|FILE", help=PLAYBOOK_HELP)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=AS_OF_HELP)
def render(*, file: str | None, store_url: str | None, customer: str | None, view: str | None,
           everyone: bool, engine: str | None, output: str, fmt: str | None,
           playbooks: tuple[str, ...], as_of: Any) -> None:
    """Draw one account (both sides, reporting lines, relationships, services, its gaps), or
    without --customer the portfolio overview with each account's coverage score.

    An .html output (or --format html) is the account's explorer: one self-contained page to
    pan, zoom, search and click a person for their roles, ties, authority and findings."""
    if _explorer_wanted(output, fmt):
        _render_explorer(file=file, store_url=store_url, customer=customer, view=view,
                         engine=engine, output=output, playbooks=playbooks, as_of=as_of)
        return
    books, day = judged_by(file, playbooks, as_of)
    inputs = inputs_of(output, file, *books)
    playbook = stakemap.resolve_playbooks(books)
    diagram = with_source(file, store_url, lambda source: stakemap.diagram(
        source, customer=customer, playbook=playbook, engine=engine, as_of=day, view=view,
        everyone=everyone))
    if output == "-":
        click.echo(diagram.source, nl=False)
        return
    target = diagram.save(output, fmt, inputs=inputs)
    say(f"wrote {target}", err=True)


def _explorer_wanted(output: str, fmt: str | None) -> bool:
    """``render`` writes the explorer for ``--format html``, or an .html/.htm output."""
    if fmt is not None:
        return fmt == "html"
    return output != "-" and output.lower().endswith((".html", ".htm"))


def _render_explorer(*, file: str | None, store_url: str | None, customer: str | None,
                     view: str | None, engine: str | None, output: str,
                     playbooks: tuple[str, ...], as_of: Any) -> None:
    """``render --format html``: the explorer is one account's page, laid out in the
    browser, so a portfolio, another view or a Graphviz engine is refused before any work."""
    if customer is None:
        raise click.UsageError("the HTML explorer shows one account: give --customer ID")
    if view not in (None, choices.ACCOUNT_VIEWS[0]):
        raise click.UsageError(f"the HTML explorer has no --view {view}; leave --view out")
    if engine is not None:
        raise click.UsageError("--engine is Graphviz's; the HTML explorer lays itself out")
    books, day = judged_by(file, playbooks, as_of)
    inputs = inputs_of(output, file, *books)
    playbook = stakemap.resolve_playbooks(books)
    page = with_source(file, store_url, lambda source: stakemap.explorer(
        source, customer=customer, playbook=playbook, as_of=day))
    if output == "-":
        click.echo(page.html, nl=False)
        return
    say(f"wrote {page.save(output, inputs=inputs)}", err=True)


@cli.command()
@file_or_store
@click.option("--customer", required=True, metavar="ID", help="The account to review.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write (.html, .md or .pdf); - for the pack on stdout.")
@click.option("--format", "fmt", type=click.Choice(choices.PACK_FORMATS), default=None,
              help="Override the format the extension implies (default for -: markdown).")
@click.option("--interactive", is_flag=True,
              help="Also write the account's explorer next to the pack (NAME.explorer.html) "
                   "and link to it from the pack; the pack itself stays script-free.")
@click.option("--playbook", "playbooks", multiple=True, metavar="NAME|FILE", help=PLAYBOOK_HELP)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=AS_OF_HELP)
def report(*, file: str | None, store_url: str | None, customer: str, output: str,
           fmt: str | None, interactive: bool, playbooks: tuple[str, ...],
           as_of: Any) -> None:
    """Write the account-review pack: summary, coverage score, findings with what to do,
    the key connectors, the departures that would cost most, the diagram, who holds which
    role on each side, and the power-interest grid.

    HTML is one self-contained file to mail around; Markdown suits wikis and tickets; PDF
    (A4, printed by a headless Chromium) suits print and archives.
    """
    books, day = judged_by(file, playbooks, as_of)
    inputs = inputs_of(output, file, *books)
    playbook = stakemap.resolve_playbooks(books)
    if interactive and output == "-":
        raise click.UsageError("--interactive writes the explorer next to the pack: give "
                               "-o FILE, not -")
    if fmt == "pdf" and output == "-":
        raise click.UsageError("a PDF pack is not text: give -o FILE.pdf, not -")
    pack = with_source(file, store_url, lambda source: stakemap.review_pack(
        source, customer=customer, playbook=playbook, as_of=day, interactive=interactive))
    if output == "-":
        click.echo(pack.text(fmt or "markdown"), nl=False)
        return
    target = pack.save(output, fmt, inputs=inputs)
    if pack.explorer is not None:
        say(f"wrote {pack.explorer_path(target)}", err=True)
    say(f"wrote {target}", err=True)
