"""The commands that read and check portfolios: validate, show, schema, roles and
playbooks."""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING, Any

import click

import stakemap
from stakemap import choices
from stakemap_cli.app import (
    EXIT_BAD_INPUT,
    annotate_problems,
    cli,
    describe,
    node_counts,
    print_problems,
    say,
)
from stakemap_cli.many import Target, targets
from stakemap_cli.sources import (
    file_or_store,
    read_file,
    read_source,
    store_option,
)

if TYPE_CHECKING:
    from stakemap import Portfolio


_VALIDATE_FORMATS = ("text", "json", "github")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@store_option()
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, not the ok lines.")
@click.option("--format", "fmt", type=click.Choice(_VALIDATE_FORMATS), default="text",
              show_default=True,
              help="text: problems as file:line:column; json: one document (see README); "
                   "github: workflow annotations on the files' lines.")
def validate(files: tuple[str, ...], store_url: str | None, quiet: bool, fmt: str) -> None:
    """Check portfolio FILES (or the graph in --store); list every problem found.

    A FILE may be a folder (every .yaml, .yml and .json file under it, hidden folders left
    out) or - (standard input). File problems are located as file:line:column. Exits 0 when
    everything is valid, 2 when anything is not.
    """
    if not files:
        if store_url is None:
            raise click.UsageError("give portfolio FILES, or --store URL (or set "
                                   "STAKEMAP_STORE or NEO4J_URI)")
        results = [_validate_store(store_url)]
    else:
        results = [_validate_file(target) for target in targets(files)]
    if fmt == "json":
        import json

        click.echo(json.dumps({"valid": all(r.valid for r in results),
                               "files": [r.as_json() for r in results]},
                              indent=2, ensure_ascii=False))
    elif fmt == "github":
        for r in results:
            annotate_problems(r.problems, "stakemap validate")
    else:
        for r in results:
            if r.valid:
                if not quiet:
                    say(f"{r.name}: ok ({describe(r.portfolio)})")  # type: ignore[arg-type]
                continue
            print_problems(r.problems)
            count = len(r.problems)
            say(f"{r.name}: invalid ({count} problem{'s' if count != 1 else ''})", err=True)
    if not all(r.valid for r in results):
        sys.exit(EXIT_BAD_INPUT)


@dataclasses.dataclass
class _Checked:
    """One file's (or the store's) validation: the portfolio, or every problem found."""

    name: str
    portfolio: Portfolio | None
    problems: list[stakemap.Problem]

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        """``{"file", "valid", "counts", "problems": [{"file", "line", "column", "message",
        "hint"}]}``; ``counts`` (nodes by kind, and ``links``) is null when invalid."""
        counts = None
        if self.portfolio is not None and self.valid:
            counts = dict(sorted(node_counts(self.portfolio).items()))
            counts["links"] = len(self.portfolio.edges)
        return {"file": self.name, "valid": self.valid, "counts": counts,
                "problems": [dataclasses.asdict(p) for p in self.problems]}


def _validate_file(target: Target) -> _Checked:
    if target.problem is not None:
        return _Checked(target.name, None, [stakemap.Problem(
            target.name, None, None, target.problem, target.hint)])
    try:
        portfolio, name, _ = read_file(target.name)
    except stakemap.PortfolioError as exc:
        shown = exc.problems[0].file if exc.problems else target.name
        return _Checked(shown, None, list(exc.problems))
    return _Checked(name, portfolio, [])


def _validate_store(store_url: str) -> _Checked:
    try:
        portfolio, where = read_source(None, store_url)
    except stakemap.StoreDataError as exc:  # data stakemap cannot read back, node by node
        where = exc.problems[0].file if exc.problems else store_url
        return _Checked(where, None, list(exc.problems))
    problems = [stakemap.Problem(where, None, None, v.message, v.hint)
                for v in stakemap.check_portfolio(portfolio)]
    return _Checked(where, portfolio, problems)


@cli.command()
@file_or_store
@click.option("--format", "fmt", type=click.Choice(choices.SHOW_FORMATS),
              default="auto", show_default=True,
              help="table: rich tables; text: plain columns; auto: table on a terminal.")
def show(file: str | None, store_url: str | None, fmt: str) -> None:
    """Summarize a portfolio: customers, people per side, roles held, services."""
    summary = stakemap.summarize(read_source(file, store_url)[0])
    if fmt == "json":
        import dataclasses
        import json

        click.echo(json.dumps(dataclasses.asdict(summary), indent=2, ensure_ascii=False))
        return
    if fmt == "table" or (fmt == "auto" and sys.stdout.isatty()):
        from stakemap_cli.tables import print_rich

        print_rich(summary)
    else:
        from stakemap_cli.tables import print_plain

        print_plain(summary)


@cli.command()
@click.option("--playbook", "of_playbooks", is_flag=True,
              help="The schema of playbook files instead of portfolio files.")
def schema(of_playbooks: bool) -> None:
    """Print the JSON Schema of portfolio files (or, with --playbook, of playbook files),
    for editor validation. The repository ships both as schema/*.schema.json."""
    import json

    found = stakemap.playbook_schema() if of_playbooks else stakemap.portfolio_schema()
    click.echo(json.dumps(found, indent=2))


@cli.command()
@file_or_store
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True, help='json: {"roles": [{"id", "side", "name", '
              '"description", "deliverable", "phases"}]}.')
def roles(file: str | None, store_url: str | None, fmt: str) -> None:
    """List the role vocabulary: the built-in roles, plus a portfolio's own roles if given
    (FILE may be - for standard input)."""
    from stakemap_cli.tables import plain_table

    if file is None and store_url is None:
        catalog = stakemap.RoleCatalog()
    else:
        catalog = read_source(file, store_url)[0].catalog()
    if fmt == "json":
        import json

        click.echo(json.dumps({"roles": [
            {"id": r.id, "side": r.side.value, "name": r.name, "description": r.description,
             "deliverable": r.deliverable, "phases": [p.value for p in r.phases]}
            for r in catalog]}, indent=2, ensure_ascii=False))
        return
    rows = [(r.id, r.side.value, r.name, ", ".join(p.value for p in r.phases))
            for r in catalog]
    click.echo(plain_table(["id", "side", "name", "phases"], rows))


@cli.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True, help='json: {"playbooks": [{"name", "version", "rules", '
              '"description"}]} (rules: how many are enabled).')
@click.pass_context
def playbooks(ctx: click.Context, fmt: str) -> None:
    """List the built-in playbooks; `playbooks show NAME|FILE` prints one."""
    if ctx.invoked_subcommand is not None:
        return
    from stakemap_cli.tables import plain_table

    rows = []
    for name in stakemap.BUILTIN_PLAYBOOKS:
        book = stakemap.load_playbook(name)
        rows.append((name, book.version, len(book.enabled()), book.description))
    if fmt == "json":
        import json

        keys = ("name", "version", "rules", "description")
        click.echo(json.dumps({"playbooks": [dict(zip(keys, row, strict=True))
                                             for row in rows]}, indent=2, ensure_ascii=False))
        return
    click.echo(plain_table(["name", "version", "rules", "description"], rows))


@playbooks.command("show")
@click.argument("name")
@click.option("--resolved", is_flag=True,
              help="Print every rule after 'extends' is applied, instead of the source.")
def playbooks_show(name: str, resolved: bool) -> None:
    """Print a playbook: its YAML source, or with --resolved every rule it ends up with."""
    if not resolved:
        click.echo(stakemap.playbook_source(name), nl=False)
        return
    import yaml

    book = stakemap.load_playbook(name)

    rules = [{"type": r.type} | r.model_dump(mode="json", exclude_defaults=True)
             for r in book.rules]
    click.echo(yaml.safe_dump({"playbook": book.name, "version": book.version,
                               "rules": rules}, sort_keys=False, allow_unicode=True), nl=False)
