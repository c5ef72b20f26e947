"""``stakemap gaps``: one report, or one per file for several files and folders, in
every format (GitHub annotations too)."""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import TYPE_CHECKING, Any

import click

import stakemap
from stakemap import choices
from stakemap_cli.app import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    PLAYBOOK_HELP,
    annotate_problems,
    cli,
    emit,
    judged_by,
    print_problems,
    say,
)
from stakemap_cli.many import annotation, targets
from stakemap_cli.progress import working
from stakemap_cli.sources import (
    read_file,
    store_option,
    with_source,
)

if TYPE_CHECKING:
    pass


_GAP_FORMATS = (*choices.GAP_FORMATS, "github")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@store_option()
@click.option("--playbook", "playbooks", multiple=True, metavar="NAME|FILE", help=PLAYBOOK_HELP)
@click.option("--customer", "customers", multiple=True, metavar="ID",
              help="Only these accounts (repeatable); their scores are unchanged.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help="Judge staleness and overdue reviews as of this day, so "
              "reports are reproducible (default: STAKEMAP_AS_OF, stakemap.toml, today).")
@click.option("--only", multiple=True, metavar="CODE", help="Only these finding codes.")
@click.option("--ignore", multiple=True, metavar="CODE", help="Leave out these finding codes.")
@click.option("--format", "fmt", type=click.Choice(_GAP_FORMATS),
              default="table", show_default=True,
              help="github: workflow annotations on the lines of the findings' subjects.")
@click.option("--fail-on", type=click.Choice(choices.FAIL_ON),
              default="high", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
def gaps(*, files: tuple[str, ...], store_url: str | None, playbooks: tuple[str, ...],
         customers: tuple[str, ...], as_of: Any, only: tuple[str, ...],
         ignore: tuple[str, ...], fmt: str, fail_on: str) -> None:
    """Find coverage gaps: vacant roles, unowned services, uncovered decision-makers, ...

    FILES: one or more portfolio files, folders (every .yaml, .yml and .json file under
    them) or - (standard input); none with --store. Several are checked one by one, each
    with its own defaults (stakemap.toml beside it), and reported together under their
    names. Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 for bad
    input (the worst over all files wins).
    """
    several = len(files) > 1 or any(f != "-" and os.path.isdir(f) for f in files)
    if not several:
        file = files[0] if files else None
        try:
            report, read = _gaps_of(file, store_url, playbooks=playbooks,
                                    customers=customers, as_of=as_of, only=only,
                                    ignore=ignore)
        except stakemap.InputError as exc:
            if fmt == "github":  # on the pull request too; the error itself goes to stderr
                annotate_problems(exc.problems, "stakemap gaps")
            raise
        if fmt == "github":
            shown, lines = read if read is not None else (None, {})
            _annotate(report, shown, lines)
        elif not emit(report, fmt):
            from stakemap_cli.tables import print_gaps

            print_gaps(report, rich=sys.stdout.isatty())
        sys.exit(_gaps_exit(report, fail_on))
    done: list[tuple[str, Any, list[Any]]] = []  # name, report or None, problems
    for target in targets(files):
        try:
            if target.problem is not None:
                raise stakemap.PortfolioError([stakemap.Problem(
                    target.name, None, None, target.problem, target.hint)])
            report, read = _gaps_of(target.name, None, playbooks=playbooks,
                                    customers=customers, as_of=as_of, only=only,
                                    ignore=ignore)
            assert read is not None  # a file was read, so its name and lines are known
            done.append((read[0], (report, read), []))
        except stakemap.InputError as exc:
            print_problems(exc.problems)
            done.append((target.name, None, list(exc.problems)))
        except stakemap.StakemapError as exc:
            say(f"stakemap: error: {target.name}: {exc}", err=True)
            done.append((target.name, None, [stakemap.Problem(target.name, None, None,
                                                              str(exc))]))
    _emit_many(done, fmt)
    code = 0
    for _, result, _problems in done:
        code = max(code, EXIT_BAD_INPUT if result is None else _gaps_exit(result[0], fail_on))
    sys.exit(code)


def _gaps_of(file: str | None, store_url: str | None, *, playbooks: tuple[str, ...],
             customers: tuple[str, ...], as_of: Any, only: tuple[str, ...],
             ignore: tuple[str, ...]) -> tuple[Any, tuple[str, dict[str, int]] | None]:
    """One portfolio's gap report (FILE, or the store), with the name it was read as and
    the line of each entry (for annotations); no lines for a store."""
    books, day = judged_by(file if file != "-" else None, playbooks, as_of)
    playbook = stakemap.resolve_playbooks(books)

    def check(source: Any) -> Any:
        with working("checking rules") as advance:
            return stakemap.find_gaps(source, playbook=playbook, as_of=day,
                                      customers=customers, only=only, ignore=ignore,
                                      progress=advance)

    if file is None:
        return with_source(None, store_url, check), None
    portfolio, name, text = read_file(file)
    report = check(stakemap.StakeholderGraph.from_portfolio(portfolio))
    return report, (name, stakemap.entry_lines(text))


def _gaps_exit(report: Any, fail_on: str) -> int:
    worst = report.worst()
    if fail_on != "never" and worst is not None and worst.rank >= stakemap.Severity(fail_on).rank:
        return EXIT_FINDINGS
    return EXIT_OK


def _annotate(report: Any, file: str | None, lines: dict[str, int]) -> None:
    """A finding as a GitHub annotation on the line of its subject's entry (else of its
    account's; else on the file), its level by severity."""
    from stakemap_cli.many import LEVELS

    for f in report.findings:
        line = lines.get(f.subject) or (lines.get(f.customer) if f.customer else None)
        click.echo(annotation(
            LEVELS[f.severity.value], f"{f.message}; {f.remediation}", file=file, line=line,
            title=f"stakemap gaps: {f.severity.value} {f.code}"))


def _emit_many(done: list[tuple[str, Any, list[Any]]], fmt: str) -> None:
    """Several files' reports as one output: the single-file shape per file, under its name.

    json: ``{"files": [{"file", "report"} | {"file", "problems"}]}``; csv: one table with a
    leading ``file`` column; markdown: a ``## file`` section per file (each report's
    headings two levels down, its title a ``###``); table: a ``== file ==`` line before
    each; github: every file's annotations."""
    import json

    if fmt == "json":
        entries = [{"file": name, "report": result[0].as_json()} if result is not None
                   else {"file": name, "problems": [dataclasses.asdict(p) for p in problems]}
                   for name, result, problems in done]
        click.echo(json.dumps({"files": entries}, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        header_written = False
        for name, result, _ in done:
            if result is None:
                continue
            rows = list(csv.reader(io.StringIO(result[0].to_csv())))
            if not header_written:
                writer.writerow(["file", *rows[0]])
                header_written = True
            cell = f"'{name}" if name[:1] in ("=", "+", "-", "@") and name != "-" else name
            writer.writerows([cell, *row] for row in rows[1:])
        click.echo(out.getvalue(), nl=False)
        return
    for name, result, problems in done:
        if result is None:
            if fmt == "github":
                annotate_problems(problems, "stakemap gaps")
            continue
        report, (shown, lines) = result
        if fmt == "github":
            _annotate(report, shown, lines)
        elif fmt == "markdown":
            click.echo(f"## {_md_code(name)}\n")
            text = report.to_markdown()
            click.echo("\n".join("##" + line if line.startswith("#") else line
                                  for line in text.split("\n")), nl=False)
            click.echo()
        else:
            from stakemap_cli.tables import print_gaps

            say(f"== {name} ==")
            print_gaps(report, rich=sys.stdout.isatty())


def _md_code(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds: nothing in a file name
    can turn into markup, links or HTML in a job summary."""
    text = text.replace("\n", " ").replace("\r", " ")
    fence = "`"
    while fence in text:
        fence += "`"
    return f"{fence} {text} {fence}"
