"""The documentation site (mkdocs.yml, docs/) is complete and says only what is true.

`make docs` builds the site with warnings as errors (CI runs it); these tests check what a
build cannot: that the generated CLI reference covers every command, that the nav names
existing pages, that every public name has an API entry, and that every `stakemap ...`
command the pages show exists with the options they give it. No mkdocs here: the tests
need only what `.[dev]` installs.
"""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from stakemap_cli.app import cli

import stakemap
from tests.commands import assert_command_exists
from tests.conftest import ROOT

DOCS = ROOT / "docs"
CLI_PAGE = DOCS / "reference" / "cli.md"
API_PAGES = [DOCS / "reference" / "api.md", DOCS / "reference" / "render.md"]
_SHELL_BREAKS = {"|", "||", "&&", ";", ">", ">>", "2>", "2>&1", "<"}


def _nav_pages(entries: Any) -> list[str]:
    if isinstance(entries, str):
        return [entries]
    if isinstance(entries, list):
        return [page for entry in entries for page in _nav_pages(entry)]
    if isinstance(entries, dict):
        return [page for value in entries.values() for page in _nav_pages(value)]
    return []


def _config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return config


def test_every_nav_page_exists_and_every_page_is_in_the_nav() -> None:
    nav = _nav_pages(_config()["nav"])
    assert nav, "mkdocs.yml has no nav"
    missing = [page for page in nav if not (DOCS / page).is_file()]
    assert missing == [], f"mkdocs.yml's nav names pages that do not exist: {missing}"
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert sorted(pages - set(nav)) == [], "pages under docs/ that the nav leaves out"


def _click_directives(text: str) -> list[dict[str, str]]:
    blocks = re.findall(r"^::: mkdocs-click\n((?:    :.*\n)+)", text, re.M)
    return [dict(re.findall(r"^    :([\w-]+):[ \t]*(.*)$", block, re.M)) for block in blocks]


def _commands(group: click.Command, prefix: str = "stakemap") -> list[tuple[str, int]]:
    """Every command under `group`, with its nesting level (the group itself is 0)."""
    found = [(prefix, 0)]
    for name, sub in getattr(group, "commands", {}).items():
        found += [(path, level + 1) for path, level in _commands(sub, f"{prefix} {name}")]
    return found


def test_the_cli_reference_is_generated_from_the_whole_command_group() -> None:
    assert "reference/cli.md" in _nav_pages(_config()["nav"])
    assert "mkdocs-click" in _config()["markdown_extensions"]
    directives = _click_directives(CLI_PAGE.read_text(encoding="utf-8"))
    assert len(directives) == 1, "docs/reference/cli.md should hold one mkdocs-click directive"
    options = directives[0]
    module = importlib.import_module(options["module"])
    assert getattr(module, options["command"]) is cli, "the directive must document the group"
    assert options.get("prog_name") == "stakemap"
    # mkdocs-click documents every subcommand, recursively, unless told to leave some out
    assert "commands" not in options
    assert "hide-hidden" not in options
    assert "hide_hidden" not in options
    hidden = [path for path, _ in _commands(cli) if path != "stakemap"
              and getattr(_find(path), "hidden", False)]
    assert hidden == []
    # the root's heading is level depth + 1, each subcommand one deeper; Markdown stops at 6
    deepest = max(level for _, level in _commands(cli))
    assert int(options.get("depth", "0")) + 1 + deepest <= 6
    assert {path for path, _ in _commands(cli)} >= {"stakemap gaps", "stakemap playbooks show"}


def _find(path: str) -> click.Command:
    command: click.Command = cli
    for word in path.split()[1:]:
        command = command.commands[word]  # type: ignore[attr-defined]
    return command


def test_every_public_name_has_an_api_reference_entry() -> None:
    documented = {line.split()[1] for page in API_PAGES
                  for line in page.read_text(encoding="utf-8").splitlines()
                  if line.startswith("::: ")}
    missing = []
    for name in stakemap.__all__:
        if name == "__version__":
            continue
        where = stakemap._LAZY[name]
        module, attribute = where if isinstance(where, tuple) else (where, name)
        # a name re-exported by a package (stakemap.model.Portfolio) may be documented there
        # or at its definition
        value = getattr(importlib.import_module(module), attribute)
        defined = getattr(value, "__module__", module) if callable(value) else module
        if not {f"{module}.{attribute}", f"{defined}.{attribute}"} & documented:
            missing.append(name)
    assert missing == [], f"public names without a ':::' entry in docs/reference: {missing}"


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"^[ \t]*```[\w-]*\n(.*?)^[ \t]*```", text, re.M | re.S)


def _docs_commands() -> list[tuple[str, list[str]]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for block in _code_blocks(page.read_text(encoding="utf-8")):
            for raw in block.replace("\\\n", " ").splitlines():
                line = re.sub(r"^\s*(?:\$ |- run: |run: )", "", raw.strip())
                if not line.startswith("stakemap "):
                    continue
                words = shlex.split(line, comments=True)
                cut = next((i for i, w in enumerate(words) if w in _SHELL_BREAKS),
                           len(words))
                found.append((page.relative_to(DOCS).as_posix(), words[1:cut]))
    return [(page, list(argv)) for page, argv in dict.fromkeys(
        (page, tuple(argv)) for page, argv in found)]


def test_the_docs_show_commands() -> None:
    pages = {page for page, _ in _docs_commands()}
    assert {"getting-started.md", "howto/ci-gating.md", "howto/neo4j.md"} <= pages


@pytest.mark.parametrize(("page", "argv"), _docs_commands(),
                         ids=[f"{p}: {' '.join(a)}" for p, a in _docs_commands()])
def test_every_command_in_the_docs_exists(page: str, argv: list[str]) -> None:
    assert_command_exists(argv, f"docs/{page}")


def test_the_existing_docs_pages_keep_their_paths() -> None:
    # the README links to them, and tests/contract reads docs/backends.md
    nav = _nav_pages(_config()["nav"])
    assert {"adding-a-rule-type.md", "backends.md"} <= set(nav)
    assert Path(ROOT / "README.md").read_text(encoding="utf-8").count("make docs") >= 1
