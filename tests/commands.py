"""The one check that a `stakemap ...` line shown to users (README, docs pages, the CI
workflow) names a real command with real options, shared by the tests of each place."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from stakemap_cli.app import cli


def assert_command_exists(argv: list[str], where: str) -> None:
    """The subcommand (and sub-subcommand, such as `playbooks show`) exists, knows every
    option shown, and answers --help; a global option alone (`--version`) runs."""
    words = [w for w in argv if not w.startswith("-")]
    if not words or argv[0].startswith("-"):
        assert CliRunner().invoke(cli, [argv[0]]).exit_code == 0, f"{where}: {argv}"
        return
    command: Any = cli.commands.get(words[0])
    assert command is not None, f"{where} shows 'stakemap {words[0]}', which does not exist"
    for word in words[1:]:
        sub = getattr(command, "commands", {}).get(word)
        if sub is None:
            break
        command = sub
    known = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for option in (w.split("=", 1)[0] for w in argv if w.startswith("-") and w != "-"):
        assert option in known, \
            f"{where} shows 'stakemap {words[0]} {option}', which does not exist"
    assert CliRunner().invoke(cli, [words[0], "--help"]).exit_code == 0
