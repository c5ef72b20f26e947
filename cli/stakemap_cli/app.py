"""The ``stakemap`` command: parse arguments, call the library, format the result.

Exit codes are one contract across every command: 0 ok, 1 findings at or above the
threshold a command was given, 2 bad input or usage, 3 an internal error (a bug), 130
interrupted. ``_Group.invoke`` is the one place an exception becomes a message and an exit
code: a ``StakemapError`` gives exit 2 and its message, so no command prints a traceback for
bad data; anything else is a crash, one line and exit 3, so CI can tell a bug from findings
(exit 1). ``--debug`` (or ``STAKEMAP_DEBUG=1``) adds the traceback.

The CLI is thin: it imports only the public API (``stakemap``, ``stakemap.render``), the
import-free ``stakemap.choices`` and ``stakemap.escape`` (terminal-safe text), so whatever
it does a script can do too (a test holds it to that). ``import stakemap`` loads names on
first use, so ``--help`` and ``--version`` never load pydantic, networkx, rich or a driver.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import click

import stakemap
from stakemap import choices
from stakemap.escape import terminal_text
from stakemap_cli.many import Target, annotation, targets
from stakemap_cli.progress import progress_bar, working
from stakemap_cli.sources import (
    file_or_store,
    open_cli_store,
    read_file,
    read_source,
    store_option,
    with_source,
)

if TYPE_CHECKING:
    from stakemap import Portfolio

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_PLAYBOOK_HELP = ("Built-in playbook or playbook file; repeat to combine (default: "
                  "STAKEMAP_PLAYBOOK, then stakemap.toml beside FILE, then default).")
_AS_OF_HELP = ("Judge staleness as of this day (default: STAKEMAP_AS_OF, then stakemap.toml "
               "beside FILE, then today).")
_PLURAL = {"organization": "organizations", "person": "people", "service": "services",
           "agreement": "agreements", "meeting": "meetings"}


def _say(text: str, *, err: bool = False) -> None:
    """Print a line built from user data (names, ids, paths, messages that quote them):
    control characters and escape sequences are shown, never sent to the terminal."""
    click.echo("\n".join(terminal_text(line) for line in text.split("\n")), err=err)


class _Group(click.Group):
    """Turns every exception a command raises into a message and an exit code, once.

    click's own exceptions (usage errors, ``ctx.exit``, aborted prompts) and a closed stdout
    pipe are left to click, which already handles them; ``SystemExit`` passes untouched.
    """

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # Exit and Abort are RuntimeErrors: let them past the catch-all below
        except stakemap.InputError as exc:
            _show_traceback(debug)
            _print_problems(exc.problems)
            ctx.exit(EXIT_BAD_INPUT)
        except stakemap.StakemapError as exc:
            _show_traceback(debug)
            _say(f"stakemap: error: {exc}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            ctx.exit(EXIT_INTERRUPTED)  # Ctrl-C: the user knows, no "Aborted!" or traceback
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # `stakemap ... | head`: click quiets a closed pipe
            _internal_error(ctx, exc, debug)
        except Exception as exc:
            _internal_error(ctx, exc, debug)


DEFAULT_MAX_PROBLEMS = 100


def _print_problems(problems: list[Any]) -> None:
    """Print the first ``STAKEMAP_MAX_PROBLEMS`` (100) problems and count the rest: a file
    with thousands of the same mistake should not scroll the first ones away. The error
    itself still carries every problem for scripts. 0 or less prints them all."""
    try:
        limit = int(os.environ.get("STAKEMAP_MAX_PROBLEMS") or DEFAULT_MAX_PROBLEMS)
    except ValueError:
        limit = DEFAULT_MAX_PROBLEMS
    shown = problems if limit <= 0 else problems[:limit]
    for problem in shown:
        _say(str(problem), err=True)
    rest = len(problems) - len(shown)
    if rest:
        click.echo(f"... and {rest:,} more problem{'s' if rest != 1 else ''} "
                   "(set STAKEMAP_MAX_PROBLEMS to see more)", err=True)


def _show_traceback(debug: bool) -> None:
    if debug:
        import traceback

        click.echo(traceback.format_exc().rstrip("\n"), err=True)


def _internal_error(ctx: click.Context, exc: Exception, debug: bool) -> None:
    """A crash: one line naming the exception, so a log shows it without 40 lines of frames,
    and exit 3, so CI can tell a bug in stakemap from findings in the portfolio."""
    _show_traceback(debug)
    kind = type(exc)
    name = kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__}.{kind.__qualname__}")
    lines = str(exc).strip().splitlines()
    what = f"{name}: {lines[0]}" if lines else name
    hint = ("with the traceback above" if debug
            else "(run again with --debug for the traceback)")
    _say(f"stakemap: internal error: {what}; this is a bug, please report it {hint}",
               err=True)
    ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(stakemap.__version__, "--version", prog_name="stakemap")
@click.option("--debug", is_flag=True, envvar="STAKEMAP_DEBUG",
              help="On an error, print the full traceback too (env STAKEMAP_DEBUG=1).")
def cli(debug: bool) -> None:
    """Map the people around customer accounts and find where coverage is weak.

    Exit codes: 0 ok, 1 findings at or above --fail-on, 2 bad input or usage (or a file
    that cannot be written), 3 internal error (a bug: please report it), 130 interrupted.
    """


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
            _annotate_problems(r.problems, "stakemap validate")
    else:
        for r in results:
            if r.valid:
                if not quiet:
                    _say(f"{r.name}: ok ({_describe(r.portfolio)})")  # type: ignore[arg-type]
                continue
            _print_problems(r.problems)
            count = len(r.problems)
            _say(f"{r.name}: invalid ({count} problem{'s' if count != 1 else ''})", err=True)
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
            counts = dict(sorted(_counts(self.portfolio).items()))
            counts["links"] = len(self.portfolio.edges)
        return {"file": self.name, "valid": self.valid, "counts": counts,
                "problems": [dataclasses.asdict(p) for p in self.problems]}


def _annotate_problems(problems: list[stakemap.Problem], title: str) -> None:
    """Input problems as GitHub error annotations at their file:line:column."""
    for p in problems:
        click.echo(annotation("error", p.message + (f"; {p.hint}" if p.hint else ""),
                              file=p.file, line=p.line, col=p.column, title=title))


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


def _counts(portfolio: Portfolio) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for node in portfolio.nodes:
        kinds[node.kind.value] = kinds.get(node.kind.value, 0) + 1
    return kinds


def _describe(portfolio: Portfolio) -> str:
    kinds = _counts(portfolio)
    counts = ", ".join(f"{n} {_PLURAL[k] if n != 1 else k}" for k, n in sorted(kinds.items()))
    return f"{counts or 'empty'}, {len(portfolio.edges)} links"


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


_GAP_FORMATS = (*choices.GAP_FORMATS, "github")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@store_option()
@click.option("--playbook", "playbooks", multiple=True, metavar="NAME|FILE", help=_PLAYBOOK_HELP)
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
                _annotate_problems(exc.problems, "stakemap gaps")
            raise
        if fmt == "github":
            shown, lines = read if read is not None else (None, {})
            _annotate(report, shown, lines)
        elif not _emit(report, fmt):
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
            _print_problems(exc.problems)
            done.append((target.name, None, list(exc.problems)))
        except stakemap.StakemapError as exc:
            _say(f"stakemap: error: {target.name}: {exc}", err=True)
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
    books, day = _judged_by(file if file != "-" else None, playbooks, as_of)
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
                _annotate_problems(problems, "stakemap gaps")
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

            _say(f"== {name} ==")
            print_gaps(report, rich=sys.stdout.isatty())


def _md_code(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds: nothing in a file name
    can turn into markup, links or HTML in a job summary."""
    text = text.replace("\n", " ").replace("\r", " ")
    fence = "`"
    while fence in text:
        fence += "`"
    return f"{fence} {text} {fence}"


@cli.command()
@file_or_store
@click.option("--customer", "customers", multiple=True, metavar="ID",
              help="Only these accounts (repeatable).")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=_AS_OF_HELP)
@click.option("--reporting/--no-reporting", default=True, show_default=True,
              help="Count reporting lines as ties between people.")
@click.option("--format", "fmt", type=click.Choice(choices.NETWORK_FORMATS),
              default="table", show_default=True)
def network(*, file: str | None, store_url: str | None, customers: tuple[str, ...],
            as_of: Any, reporting: bool, fmt: str) -> None:
    """Brokers, gatekeepers and hidden influencers of each account: who holds its network
    of people together (betweenness, articulation points, influence on 'influences' ties
    and reporting lines)."""
    _, day = _judged_by(file, (), as_of)
    report = with_source(file, store_url, lambda source: stakemap.network_roles(
        source, customers=customers, as_of=day, reporting=reporting))
    if not _emit(report, fmt):
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
              metavar="DATE", help=_AS_OF_HELP)
@click.option("--format", "fmt", type=click.Choice(choices.NETWORK_FORMATS),
              default="table", show_default=True)
def path(*, file: str | None, store_url: str | None, target: str, sources: tuple[str, ...],
         customer: str | None, k: int, max_hops: int, as_of: Any, fmt: str) -> None:
    """The warmest introduction paths from our people to PERSON, hop by hop: who knows whom,
    how (relationship, meeting, reporting line, influence), how strong, how recent."""
    _, day = _judged_by(file, (), as_of)
    report = with_source(file, store_url, lambda source: stakemap.paths(
        source, to=target, sources=sources, customer=customer, k=k, max_hops=max_hops,
        as_of=day))
    if not _emit(report, fmt):
        for line in report.lines():
            _say(line)


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
@click.option("--playbook", "playbooks", multiple=True, metavar="NAME|FILE", help=_PLAYBOOK_HELP)
@click.option("--max-hops", type=click.IntRange(min=1, max=10), default=4, show_default=True)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=_AS_OF_HELP)
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
    books, day = _judged_by(file, playbooks, as_of)
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
    if not _emit(report, fmt):
        for line in report.lines():
            _say(line)


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
@click.option("--playbook", "playbooks", multiple=True, metavar="NAME|FILE", help=_PLAYBOOK_HELP)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=_AS_OF_HELP)
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
    books, day = _judged_by(file, playbooks, as_of)
    inputs = _inputs(output, file, *books)
    playbook = stakemap.resolve_playbooks(books)
    diagram = with_source(file, store_url, lambda source: stakemap.diagram(
        source, customer=customer, playbook=playbook, engine=engine, as_of=day, view=view,
        everyone=everyone))
    if output == "-":
        click.echo(diagram.source, nl=False)
        return
    target = diagram.save(output, fmt, inputs=inputs)
    _say(f"wrote {target}", err=True)


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
    books, day = _judged_by(file, playbooks, as_of)
    inputs = _inputs(output, file, *books)
    playbook = stakemap.resolve_playbooks(books)
    page = with_source(file, store_url, lambda source: stakemap.explorer(
        source, customer=customer, playbook=playbook, as_of=day))
    if output == "-":
        click.echo(page.html, nl=False)
        return
    _say(f"wrote {page.save(output, inputs=inputs)}", err=True)


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
@click.option("--playbook", "playbooks", multiple=True, metavar="NAME|FILE", help=_PLAYBOOK_HELP)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help=_AS_OF_HELP)
def report(*, file: str | None, store_url: str | None, customer: str, output: str,
           fmt: str | None, interactive: bool, playbooks: tuple[str, ...],
           as_of: Any) -> None:
    """Write the account-review pack: summary, coverage score, findings with what to do,
    the key connectors, the departures that would cost most, the diagram, who holds which
    role on each side, and the power-interest grid.

    HTML is one self-contained file to mail around; Markdown suits wikis and tickets; PDF
    (A4, printed by a headless Chromium) suits print and archives.
    """
    books, day = _judged_by(file, playbooks, as_of)
    inputs = _inputs(output, file, *books)
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
        _say(f"wrote {pack.explorer_path(target)}", err=True)
    _say(f"wrote {target}", err=True)


def _emit(report: Any, fmt: str) -> bool:
    """Print ``report`` in a machine format (json, markdown, csv: each report's own
    ``to_*``); False for ``table``, which each command prints its own way."""
    writer = {"json": "to_json", "markdown": "to_markdown", "csv": "to_csv"}.get(fmt)
    if writer is None:
        return False
    text = getattr(report, writer)()
    click.echo(text, nl=fmt == "json")
    return True


def _judged_by(file: str | None, playbooks: tuple[str, ...], as_of: Any
               ) -> tuple[list[str], date | None]:
    """The playbooks and as-of day a command uses: its options, else the defaults
    (``STAKEMAP_PLAYBOOK``/``STAKEMAP_AS_OF``, then ``stakemap.toml`` beside FILE)."""
    defaults = stakemap.find_defaults(file)
    books = list(playbooks) or list(defaults.playbooks)
    day = as_of.date() if as_of else defaults.as_of_day()
    return books, day


def _inputs(output: str, file: str | None, *playbooks: str | None) -> list[str]:
    """The files a command reads, which its ``output`` must never replace: the portfolio FILE
    and each playbook given as a file (a built-in playbook's name is not a file).

    Refused here, before the graph is read and drawn, not only by the writer at the end.
    """
    files = [p for p in playbooks if p is not None and p not in stakemap.BUILTIN_PLAYBOOKS]
    inputs = files if file is None else [file, *files]
    if output != "-":
        stakemap.check_not_input(output, inputs)
    return inputs


def _portfolio_file(output: str) -> str:
    """Refuse ``-o x.txt`` before the work, not after it (``save_portfolio`` refuses it too)."""
    if output != "-" and not output.lower().endswith(choices.PORTFOLIO_EXTENSIONS):
        raise click.BadParameter(f"{output}: a portfolio file is .yaml, .yml or .json; "
                                 "name the file with one of those")
    return output


@cli.command()
@click.option("--customers", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many customers (about 50 people each): 10 = S, 100 = M, 1000 = L.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Same seed, same portfolio.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              callback=lambda ctx, param, value: _portfolio_file(value),
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
    _say(f"generated {output}: {_describe(portfolio)} (seed {seed})", err=True)
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
    _say(f"imported {name} into {graph.store.url}: {_describe(portfolio)} "
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
        _portfolio_file(output)
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
    _say("\n".join(result.summary(files=files)))
    _say(f"wrote {written}" if written else "dry run: nothing written", err=True)


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
    _say(f"exported {where} to {output} ({chosen}): {_describe(portfolio)}", err=True)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              callback=lambda ctx, param, value: _portfolio_file(value),
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
    _say(f"migrated {file} to {output} (format version 2): {_describe(portfolio)}", err=True)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="stakemap")


if __name__ == "__main__":
    main()
