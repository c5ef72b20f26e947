"""Where a command reads its graph from: a portfolio FILE, or a store named by ``--store``.

Every reading command takes the same pair, so users learn it once. ``--store`` falls back to
``STAKEMAP_STORE``, then to ``NEO4J_URI``: the variable Neo4j's own tools, its GDS client and
LangChain read (with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``, which the
store reads whatever named the URL), so an environment set up for them works as it is.
FILE may be ``-``: the portfolio is read from standard input, YAML or JSON told apart by its
content, and messages call it ``<stdin>``.

The rules about passwords are the library's (``stakemap.connect``): a URL typed on the
command line may not carry one (other users can read a process's arguments), and on a
terminal the store asks for it when neither the URL in ``STAKEMAP_STORE`` or ``NEO4J_URI``
nor ``NEO4J_PASSWORD`` gives one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

import stakemap

if TYPE_CHECKING:
    from stakemap import Portfolio, StakeholderGraph

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

STORE_HELP = ("Read from this store instead of a file, e.g. neo4j://localhost:7687/neo4j "
              "(env STAKEMAP_STORE, then NEO4J_URI). The password comes from NEO4J_PASSWORD "
              "or a prompt.")
STORE_ENV = ("STAKEMAP_STORE", "NEO4J_URI")
"""Where ``--store`` comes from when it is not given, in order."""
NO_SOURCE = "give a portfolio FILE, or --store URL (or set STAKEMAP_STORE or NEO4J_URI)"


def store_option(*, required: bool = False, help: str = STORE_HELP) -> Callable[[F], F]:
    """``--store URL``, else ``STAKEMAP_STORE``, else ``NEO4J_URI``.

    click reads the first variable itself (so ``--help`` and the parameter source stay
    click's); ``NEO4J_URI`` is filled in by the callback, which is also where a required
    store is checked, because click checks ``required`` before any callback runs."""
    def fallback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            value = os.environ.get("NEO4J_URI", "").strip() or None
        if value is None and required:
            raise click.MissingParameter(
                ctx=ctx, param=param,
                message="give --store URL (or set STAKEMAP_STORE or NEO4J_URI)")
        return value

    return click.option("--store", "store_url", envvar="STAKEMAP_STORE", metavar="URL",
                        callback=fallback, help=help)


def file_or_store(f: F) -> F:
    """Add the optional FILE argument and ``--store`` to a command that reads a graph."""
    f = store_option()(f)
    return click.argument("file", required=False, type=click.Path(dir_okay=False))(f)


def _from_argv() -> bool:
    return (click.get_current_context().get_parameter_source("store_url")
            is ParameterSource.COMMANDLINE)


def read_source(file: str | None, store_url: str | None) -> tuple[Portfolio, str]:
    """The graph a command should read, as a snapshot, and a name for it to print."""
    if file is not None and store_url is not None and _from_argv():
        raise click.UsageError("give a portfolio FILE or --store URL, not both")
    if file is not None:
        portfolio, name, _ = read_file(file)
        return portfolio, name
    if store_url is None:
        raise click.UsageError(NO_SOURCE)
    with open_cli_store(store_url) as graph:
        return graph.snapshot(), graph.store.url


def with_source(file: str | None, store_url: str | None,
                job: Callable[[StakeholderGraph], T]) -> T:
    """Run ``job`` where the data lives: on an in-memory graph of FILE, or on the store itself
    (so gap rules run as Cypher inside Neo4j instead of on a pulled copy)."""
    if file is not None or store_url is None:
        portfolio, _ = read_source(file, store_url)
        return job(stakemap.StakeholderGraph.from_portfolio(portfolio))
    with open_cli_store(store_url) as graph:
        return job(graph)


def read_file(file: str) -> tuple[Portfolio, str, str]:
    """A portfolio FILE (``-``: standard input), the name messages use for it, and its
    text (for ``stakemap.entry_lines``: where each entry is, for annotations)."""
    name, text = stakemap.portfolio_text(file)
    return stakemap.parse_portfolio(text, name), name, text


def open_cli_store(url: str, **options: Any) -> StakeholderGraph:
    """Open a store for a command: no password in a URL typed on the command line; on a
    terminal, ask for one the environment does not give."""
    def ask(label: str) -> str:
        answer: str = click.prompt(label, hide_input=True, err=True)
        return answer

    return stakemap.connect(url, password_in_url=not _from_argv(),
                            prompt=ask if sys.stdin.isatty() else None, **options)
