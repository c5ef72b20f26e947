"""Where a command reads its graph from: a portfolio FILE, or a store named by ``--store``.

Every reading command takes the same pair, so users learn it once. ``--store`` falls back to
``STAKEMAP_STORE``. A password is never taken from the command line (other users can read a
process's arguments); it comes from the URL in ``STAKEMAP_STORE``, from ``NEO4J_PASSWORD``,
or from a prompt on a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.model.portfolio import Portfolio

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

STORE_HELP = ("Read from this store instead of a file, e.g. neo4j://localhost:7687/neo4j "
              "(env STAKEMAP_STORE). The password comes from NEO4J_PASSWORD or a prompt.")


def store_option(*, required: bool = False) -> Callable[[F], F]:
    return click.option("--store", "store_url", envvar="STAKEMAP_STORE", metavar="URL",
                        required=required, help=STORE_HELP)


def file_or_store(f: F) -> F:
    """Add the optional FILE argument and ``--store`` to a command that reads a graph."""
    f = store_option()(f)
    return click.argument("file", required=False, type=click.Path(dir_okay=False))(f)


def read_source(file: str | None, store_url: str | None) -> tuple[Portfolio, str]:
    """The graph a command should read, and a name for it to print."""
    ctx = click.get_current_context()
    from_argv = ctx.get_parameter_source("store_url") is ParameterSource.COMMANDLINE
    if file is not None and store_url is not None and from_argv:
        raise click.UsageError("give a portfolio FILE or --store URL, not both")
    if file is not None:
        from stakemap.files.load import read_portfolio

        return read_portfolio(file), file
    if store_url is None:
        raise click.UsageError("give a portfolio FILE, or --store URL (or set STAKEMAP_STORE)")
    store = open_cli_store(store_url)
    try:
        return store.export(), store.url
    finally:
        store.close()


def with_source(file: str | None, store_url: str | None, job: Callable[[Any], T]) -> T:
    """Run ``job`` where the data lives: on an in-memory graph of FILE, or on the store itself
    (so gap rules run as Cypher inside Neo4j instead of on a pulled copy)."""
    if file is not None or store_url is None:
        from stakemap.graph import StakeholderGraph

        portfolio, _ = read_source(file, store_url)
        return job(StakeholderGraph.from_portfolio(portfolio))
    store = open_cli_store(store_url)
    try:
        return job(store)
    finally:
        store.close()


def open_cli_store(url: str, **options: Any) -> GraphStore:
    """Open a store for a command, enforcing the rules about where passwords may come from."""
    from stakemap.backends import NEO4J_SCHEMES, open_store
    from stakemap.backends.neo4j import Neo4jURL, url_has_password

    ctx = click.get_current_context()
    if (ctx.get_parameter_source("store_url") is ParameterSource.COMMANDLINE
            and url_has_password(url)):
        raise click.UsageError(
            "--store has a password in it, and the command line is visible to other users; "
            "remove it from the URL and set NEO4J_PASSWORD (or put the URL in STAKEMAP_STORE)")
    scheme = url.partition("://")[0].lower()
    if scheme in NEO4J_SCHEMES:
        # The driver logs each retry as a warning; the command reports one error line instead.
        import logging  # here, not at the top: it is 5 ms of every `stakemap --help`

        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        logging.getLogger("neo4j").propagate = False
        where = Neo4jURL.parse(url)
        if where.password is None and "NEO4J_PASSWORD" not in os.environ and sys.stdin.isatty():
            options["password"] = click.prompt(
                f"Neo4j password for {where.redacted}", hide_input=True, err=True)
    return open_store(url, **options)
