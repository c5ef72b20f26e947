"""The relationship commands: network (brokers, gatekeepers, hidden influencers), path
(warm introductions) and whatif (departures)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

import stakemap
from stakemap import choices
from stakemap_cli.app import (
    AS_OF_HELP,
    PLAYBOOK_HELP,
    cli,
    emit,
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
@click.option("--customer", "customers", multiple=True, metavar="ID",
              help="Only these accounts (repeatable).")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=AS_OF_HELP)
@click.option("--reporting/--no-reporting", default=True, show_default=True,
              help="Count reporting lines as ties between people.")
@click.option("--format", "fmt", type=click.Choice(choices.NETWORK_FORMATS),
              default="table", show_default=True)
def network(*, file: str | None, store_url: str | None, customers: tuple[str, ...],
            as_of: Any, reporting: bool, fmt: str) -> None:
    """Brokers, gatekeepers and hidden influencers of each account: who holds its network
    of people together (betweenness, articulation points, influence on 'influences' ties
    and reporting lines)."""
    _, day = judged_by(file, (), as_of)
    report = with_source(file, store_url, lambda source: stakemap.network_roles(
        source, customers=customers, as_of=day, reporting=reporting))
    if not emit(report, fmt):
        from stakemap_cli.tables import print_network

        print_network(report)


@cli.command()
@file_or_store
@click.option("--to", "target", required=True, metavar="PERSON", help="Whom to reach.")
@click.option("--from", "sources", multiple=True, metavar="PERSON",
              help="Start from these people (repeatable; default: the account's team).")
@click.option("--customer", default=None, metavar="ID",
              help="The account whose network to search (default: the target's).")
@click.option("-k", "k", type=click.IntRange(min=1, max=50), default=3, show_default=True,
              help="How many paths.")
@click.option("--max-hops", type=click.IntRange(min=1, max=10), default=4, show_default=True)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=AS_OF_HELP)
@click.option("--format", "fmt", type=click.Choice(choices.NETWORK_FORMATS),
              default="table", show_default=True)
def path(*, file: str | None, store_url: str | None, target: str, sources: tuple[str, ...],
         customer: str | None, k: int, max_hops: int, as_of: Any, fmt: str) -> None:
    """The warmest introduction paths from our people to PERSON, hop by hop: who knows whom,
    how (relationship, meeting, reporting line, influence), how strong, how recent."""
    _, day = judged_by(file, (), as_of)
    report = with_source(file, store_url, lambda source: stakemap.paths(
        source, to=target, sources=sources, customer=customer, k=k, max_hops=max_hops,
        as_of=day))
    if not emit(report, fmt):
        for line in report.lines():
            say(line)


@cli.command()
@file_or_store
@click.option("--leaves", "leaves", multiple=True, metavar="PERSON",
              help="Who leaves (repeatable; either side).")
@click.option("--rank", is_flag=True,
              help="Instead: rank the people, ours and theirs, whose departure would cost the "
                   "most across the portfolio (or --customer accounts).")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="With --rank: how many people of each side.")
@click.option("--customer", "customers", multiple=True, metavar="ID",
              help="Only these accounts (default: every account the leavers touch; with "
                   "--rank, every account).")
@click.option("--playbook", "playbooks", multiple=True, metavar="NAME|FILE", help=PLAYBOOK_HELP)
@click.option("--max-hops", type=click.IntRange(min=1, max=10), default=4, show_default=True)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=AS_OF_HELP)
@click.option("--format", "fmt", type=click.Choice(choices.NETWORK_FORMATS),
              default="table", show_default=True)
def whatif(*, file: str | None, store_url: str | None, leaves: tuple[str, ...], rank: bool,
           limit: int, customers: tuple[str, ...], playbooks: tuple[str, ...], max_hops: int,
           as_of: Any, fmt: str) -> None:
    """What each account loses if these people leave: the findings they would cause (seats
    vacant, services unowned, decision-makers uncovered, threads cut), the score before and
    after, and their people we could no longer reach, or only much more coldly. With
    --rank: whose departure, on our side and theirs, would cost the most."""
    if bool(leaves) == rank:
        raise click.UsageError("give --leaves PERSON (repeatable) or --rank, not both or "
                               "neither")
    books, day = judged_by(file, playbooks, as_of)
    playbook = stakemap.resolve_playbooks(books)
    report: Any
    if rank:
        report = with_source(file, store_url, lambda source: stakemap.key_people_at_risk(
            source, customers=customers, playbook=playbook, as_of=day, max_hops=max_hops,
            limit=limit))
    else:
        report = with_source(file, store_url, lambda source: stakemap.what_if(
            source, leaves=leaves, customers=customers, playbook=playbook, as_of=day,
            max_hops=max_hops))
    if not emit(report, fmt):
        for line in report.lines():
            say(line)
