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

This module holds the group, the error handling and what several commands share; the
commands live in ``commands_check`` (validate, show, schema, roles, playbooks),
``commands_gaps``, ``commands_people`` (network, path, whatif), ``commands_draw`` (render,
report) and ``commands_data`` (generate, import, import-csv, export, migrate).
"""

from __future__ import annotations

import errno
import os
from datetime import date
from typing import TYPE_CHECKING, Any

import click

import stakemap
from stakemap import choices
from stakemap.escape import terminal_text
from stakemap_cli.many import annotation

if TYPE_CHECKING:
    from stakemap import Portfolio

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
PLAYBOOK_HELP = ("Built-in playbook or playbook file; repeat to combine (default: "
                 "STAKEMAP_PLAYBOOK, then stakemap.toml beside FILE, then default).")
AS_OF_HELP = ("Judge staleness as of this day (default: STAKEMAP_AS_OF, then stakemap.toml "
              "beside FILE, then today).")
PLURAL = {"organization": "organizations", "person": "people", "service": "services",
          "agreement": "agreements", "meeting": "meetings"}


def say(text: str, *, err: bool = False) -> None:
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
            print_problems(exc.problems)
            ctx.exit(EXIT_BAD_INPUT)
        except stakemap.StakemapError as exc:
            _show_traceback(debug)
            say(f"stakemap: error: {exc}", err=True)
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


def print_problems(problems: list[Any]) -> None:
    """Print the first ``STAKEMAP_MAX_PROBLEMS`` (100) problems and count the rest: a file
    with thousands of the same mistake should not scroll the first ones away. The error
    itself still carries every problem for scripts. 0 or less prints them all."""
    try:
        limit = int(os.environ.get("STAKEMAP_MAX_PROBLEMS") or DEFAULT_MAX_PROBLEMS)
    except ValueError:
        limit = DEFAULT_MAX_PROBLEMS
    shown = problems if limit <= 0 else problems[:limit]
    for problem in shown:
        say(str(problem), err=True)
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
    say(f"stakemap: internal error: {what}; this is a bug, please report it {hint}",
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


def annotate_problems(problems: list[stakemap.Problem], title: str) -> None:
    """Input problems as GitHub error annotations at their file:line:column."""
    for p in problems:
        click.echo(annotation("error", p.message + (f"; {p.hint}" if p.hint else ""),
                              file=p.file, line=p.line, col=p.column, title=title))


def node_counts(portfolio: Portfolio) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for node in portfolio.nodes:
        kinds[node.kind.value] = kinds.get(node.kind.value, 0) + 1
    return kinds


def describe(portfolio: Portfolio) -> str:
    kinds = node_counts(portfolio)
    counts = ", ".join(f"{n} {PLURAL[k] if n != 1 else k}" for k, n in sorted(kinds.items()))
    return f"{counts or 'empty'}, {len(portfolio.edges)} links"


def emit(report: Any, fmt: str) -> bool:
    """Print ``report`` in a machine format (json, markdown, csv: each report's own
    ``to_*``); False for ``table``, which each command prints its own way."""
    writer = {"json": "to_json", "markdown": "to_markdown", "csv": "to_csv"}.get(fmt)
    if writer is None:
        return False
    text = getattr(report, writer)()
    click.echo(text, nl=fmt == "json")
    return True


def judged_by(file: str | None, playbooks: tuple[str, ...], as_of: Any
               ) -> tuple[list[str], date | None]:
    """The playbooks and as-of day a command uses: its options, else the defaults
    (``STAKEMAP_PLAYBOOK``/``STAKEMAP_AS_OF``, then ``stakemap.toml`` beside FILE)."""
    defaults = stakemap.find_defaults(file)
    books = list(playbooks) or list(defaults.playbooks)
    day = as_of.date() if as_of else defaults.as_of_day()
    return books, day


def inputs_of(output: str, file: str | None, *playbooks: str | None) -> list[str]:
    """The files a command reads, which its ``output`` must never replace: the portfolio FILE
    and each playbook given as a file (a built-in playbook's name is not a file).

    Refused here, before the graph is read and drawn, not only by the writer at the end.
    """
    files = [p for p in playbooks if p is not None and p not in stakemap.BUILTIN_PLAYBOOKS]
    inputs = files if file is None else [file, *files]
    if output != "-":
        stakemap.check_not_input(output, inputs)
    return inputs


def portfolio_file(output: str) -> str:
    """Refuse ``-o x.txt`` before the work, not after it (``save_portfolio`` refuses it too)."""
    if output != "-" and not output.lower().endswith(choices.PORTFOLIO_EXTENSIONS):
        raise click.BadParameter(f"{output}: a portfolio file is .yaml, .yml or .json; "
                                 "name the file with one of those")
    return output


# the commands, registered on ``cli`` as their modules load
from stakemap_cli import (  # noqa: E402
    commands_check,
    commands_data,
    commands_draw,
    commands_gaps,
    commands_people,
)

__all__ = ["cli", "commands_check", "commands_data", "commands_draw", "commands_gaps",
           "commands_people", "main"]


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="stakemap")


if __name__ == "__main__":
    main()
