"""The ``stakemap`` command: parse arguments, call the library, format the result.

Exit codes are one contract across every command: 0 ok, 1 findings at or above the
threshold a command was given, 2 bad input or usage. ``_Group.invoke`` is the one place a
``StakemapError`` becomes a message and exit code 2, so no command prints a traceback for
bad data. Only click and the tiny errors module are imported at start-up: ``--help`` and
``--version`` never load pydantic, networkx or a driver.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from stakemap._version import __version__
from stakemap.errors import PortfolioError, StakemapError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
_PLURAL = {"organization": "organizations", "person": "people", "service": "services",
           "agreement": "agreements", "meeting": "meetings"}


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PortfolioError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except StakemapError as exc:
            click.echo(f"stakemap: error: {exc}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="stakemap")
def cli() -> None:
    """Map the people around customer accounts and find where coverage is weak.

    Exit codes: 0 ok, 1 findings at or above --fail-on, 2 bad input or usage.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, not the ok lines.")
def validate(files: tuple[str, ...], quiet: bool) -> None:
    """Check portfolio FILES; list every problem as file:line:column.

    Exits 0 when every file is valid, 2 when any is not.
    """
    from stakemap.files.load import read_portfolio

    failed = 0
    for name in files:
        try:
            portfolio = read_portfolio(name)
        except PortfolioError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            count = len(exc.problems)
            click.echo(f"{name}: invalid ({count} problem{'s' if count != 1 else ''})", err=True)
            continue
        if not quiet:
            kinds: dict[str, int] = {}
            for node in portfolio.nodes:
                kinds[node.kind.value] = kinds.get(node.kind.value, 0) + 1
            counts = ", ".join(f"{n} {_PLURAL[k] if n != 1 else k}"
                               for k, n in sorted(kinds.items()))
            click.echo(f"{name}: ok ({counts}, {len(portfolio.edges)} links)")
    if failed:
        sys.exit(EXIT_BAD_INPUT)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["auto", "table", "text", "json"]),
              default="auto", show_default=True,
              help="table: rich tables; text: plain columns; auto: table on a terminal.")
def show(file: str, fmt: str) -> None:
    """Summarize a portfolio: customers, people per side, roles held, services."""
    from stakemap.analysis.summary import summarize
    from stakemap.files.load import read_portfolio

    summary = summarize(read_portfolio(file))
    if fmt == "json":
        import dataclasses

        click.echo(json.dumps(dataclasses.asdict(summary), indent=2, ensure_ascii=False))
        return
    if fmt == "table" or (fmt == "auto" and sys.stdout.isatty()):
        from stakemap_cli.tables import print_rich

        print_rich(summary)
    else:
        from stakemap_cli.tables import print_plain

        print_plain(summary)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of portfolio files (for editor validation)."""
    from stakemap.files.schema import PortfolioDocument

    click.echo(json.dumps(PortfolioDocument.model_json_schema(), indent=2))


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
def roles(file: str | None) -> None:
    """List the role vocabulary: the built-in roles, plus FILE's own roles if given."""
    from stakemap.files.load import read_portfolio
    from stakemap.model.roles import RoleCatalog
    from stakemap.render.text import plain_table

    catalog = read_portfolio(file).catalog() if file else RoleCatalog()
    rows = [(r.id, r.side.value, r.name, ", ".join(p.value for p in r.phases))
            for r in catalog]
    click.echo(plain_table(["id", "side", "name", "phases"], rows))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="stakemap")


if __name__ == "__main__":
    main()
