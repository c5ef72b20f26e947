"""The commands that move data: generate, import, import-csv, export and migrate."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

import stakemap
from stakemap import choices
from stakemap_cli.app import (
    cli,
    describe,
    portfolio_file,
    say,
)
from stakemap_cli.progress import progress_bar
from stakemap_cli.sources import (
    file_or_store,
    open_cli_store,
    read_file,
    read_source,
    store_option,
)

if TYPE_CHECKING:
    pass


@cli.command()
@click.option("--customers", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many customers (about 50 people each): 10 = S, 100 = M, 1000 = L.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Same seed, same portfolio.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              callback=lambda ctx, param, value: portfolio_file(value),
              help="Portfolio file to write (.yaml, .yml or .json); - for YAML on stdout.")
def generate(customers: int, seed: int, output: str) -> None:
    """Write a realistic synthetic portfolio, for trying stakemap out and for benchmarks.

    Org charts with depth, account teams shared across customers, services (some vital),
    agreements, meetings, relationships with mostly weak ties, and gaps planted at known
    rates, which are printed, so `stakemap gaps` on the file can be checked against them.
    """
    spec = stakemap.GeneratorSpec(customers=customers, seed=seed)
    with progress_bar("generating", customers, min_rows=50) as advance:
        generated = spec.generate(progress=advance)
    portfolio = generated.portfolio
    if output == "-":
        click.echo(stakemap.dump_portfolio(portfolio), nl=False)
    else:
        stakemap.save_portfolio(portfolio, output)
    say(f"generated {output}: {describe(portfolio)} (seed {seed})", err=True)
    for code, planted, out_of in generated.summary():
        click.echo(f"  planted {code}: {planted} of {out_of} "
                   f"({planted / max(out_of, 1):.1%})", err=True)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@store_option(required=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=None, metavar="N",
              help="Rows per Neo4j transaction (default 5000).")
def import_(file: str, store_url: str, batch_size: int | None) -> None:
    """Validate FILE and write it into the store at --store.

    Writing is an upsert: importing the same file twice changes nothing, an interrupted
    import can be run again, and what the store holds that FILE does not mention is kept.
    """
    import time

    portfolio, name, _ = read_file(file)  # - reads standard input, called <stdin>
    options = {"batch_size": batch_size} if batch_size else {}
    started = time.perf_counter()
    total = len(portfolio.nodes) + len(portfolio.edges)
    with open_cli_store(store_url, **options) as graph, \
            progress_bar(f"importing {name}", total) as advance:
        graph.put(portfolio, progress=advance)
    took = time.perf_counter() - started
    say(f"imported {name} into {graph.store.url}: {describe(portfolio)} "
               f"({total} rows in {took:.1f} s, {total / max(took, 1e-9):,.0f} rows/s)")


@cli.command("import-csv")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--preset", type=click.Choice(["salesforce", "hubspot", "dynamics"]),
              default="salesforce", show_default=True,
              help="The CRM the export comes from: its usual column and role names.")
@click.option("--mapping", type=click.Path(dir_okay=False), metavar="MAP.yaml",
              help="Columns, roles and stances the preset does not know (YAML).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="PORTFOLIO",
              help="The portfolio file to update (.yaml or .json; created if missing; "
                   "rewritten whole, so comments in it are not kept).")
@store_option(help="Import into this store instead of a file (env STAKEMAP_STORE, then "
                   "NEO4J_URI); it is given only what changed. The password comes from "
                   "NEO4J_PASSWORD or a prompt.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to report what changed.")
def import_csv(*, files: tuple[str, ...], preset: str, mapping: str | None,
               output: str | None, store_url: str | None, dry_run: bool, fmt: str) -> None:
    """Import contacts from CRM CSV exports (Salesforce, HubSpot, Dynamics 365) into a
    portfolio file (-o) or a store (--store).

    Each person and company keeps its CRM id in external_ids, so importing the next export
    updates the same people: found by CRM id, then email, then name at the same company.
    Nothing is deleted: people no longer in the export are listed. A row that cannot be
    imported stops the import with file:line errors, and nothing is written.
    Unmapped columns and role names are listed; map them with --mapping.
    """
    from click.core import ParameterSource

    run = stakemap.import_csv

    if output is not None and store_url is not None and click.get_current_context(
            ).get_parameter_source("store_url") is not ParameterSource.COMMANDLINE:
        store_url = None  # -o names the target; STAKEMAP_STORE is only a default
    if (output is None) == (store_url is None):
        raise click.UsageError("give the portfolio to update with -o FILE, or --store URL")
    inputs = [*files, *([mapping] if mapping else [])]
    if output is not None:
        portfolio_file(output)
        stakemap.check_not_input(output, inputs)
        base = stakemap.read_portfolio(output) if os.path.exists(output) else None
        result = run(files, preset=preset, mapping=mapping, into=base)
        if not dry_run:
            result.write(output, inputs=inputs)
        _report_import(result, fmt, len(files), None if dry_run else output)
        return
    assert store_url is not None
    with open_cli_store(store_url) as graph:
        result = run(files, preset=preset, mapping=mapping, into=graph)
        if not dry_run:
            result.write(graph)
        _report_import(result, fmt, len(files), None if dry_run else graph.store.url)


def _report_import(result: Any, fmt: str, files: int, written: str | None) -> None:
    import json

    if fmt == "json":
        click.echo(json.dumps({**result.as_json(), "written": written}, indent=2,
                              ensure_ascii=False))
        return
    say("\n".join(result.summary(files=files)))
    say(f"wrote {written}" if written else "dry run: nothing written", err=True)


@cli.command()
@file_or_store
@click.option("--format", "fmt", type=click.Choice(choices.EXPORT_FORMATS), default=None,
              help="graphml, gexf, csv (a folder/ or a .zip), cypher (MERGE statements), "
                   "portfolio (.yaml/.json); default: from OUT's name.")
@click.option("-o", "--output", required=True, type=click.Path(allow_dash=True),
              help="File or folder to write: .graphml, .gexf, .cypher, .zip or folder/ "
                   "(CSV tables), .yaml/.yml/.json (portfolio); - for YAML on stdout.")
def export(file: str | None, store_url: str | None, fmt: str | None, output: str) -> None:
    """Write the graph in FILE or --store to OUT as GraphML, GEXF, CSV tables, a Cypher
    script or a portfolio file (atomically: a failure keeps the old one)."""
    if output == "-" and fmt in (None, "portfolio"):
        portfolio, _ = read_source(file, store_url)
        click.echo(stakemap.dump_portfolio(portfolio), nl=False)
        return
    if output == "-":
        raise click.BadParameter(f"{fmt} is written to a file or folder, not stdout; "
                                 "give -o a name", param_hint="'-o'")
    chosen = stakemap.export_format(output, fmt)  # refuse a bad name before reading
    if file is not None:
        stakemap.check_not_input(output, [file])
    portfolio, where = read_source(file, store_url)
    stakemap.export_graph(portfolio, output, chosen, inputs=[file] if file else [])
    say(f"exported {where} to {output} ({chosen}): {describe(portfolio)}", err=True)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              callback=lambda ctx, param, value: portfolio_file(value),
              help="Portfolio file to write (.yaml, .yml or .json); - for YAML on stdout.")
def migrate(file: str, output: str) -> None:
    """Rewrite FILE (format version 1 or 2) as a version 2 portfolio file.

    The portfolio means the same afterwards; only the version line and the file's layout
    change (the same short forms `export` writes). Comments are not carried over, which is
    why the output is always another file: OUT may not be FILE. Written atomically.
    """
    if output != "-":
        stakemap.check_not_input(output, [file])
    portfolio = read_file(file)[0]  # - reads standard input
    if output == "-":
        click.echo(stakemap.dump_portfolio(portfolio), nl=False)
        return
    stakemap.save_portfolio(portfolio, output, inputs=[file])
    say(f"migrated {file} to {output} (format version 2): {describe(portfolio)}", err=True)
