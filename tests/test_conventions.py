"""The conventions other tools expect: ``python -m stakemap``, NEO4J_URI, ``-`` for standard
input, JSON output of the listing commands, the licence and package metadata, an sdist that
runs the tests, the pre-commit hooks and the documented CI workflow."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from stakemap_cli.app import cli

from tests.commands import assert_command_exists
from tests.conftest import EXAMPLES, ROOT

MSP = ROOT / "examples" / "msp-operations.yaml"


def run(*args: str, env: dict[str, str | None] | None = None,
        stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


# -- python -m stakemap -----------------------------------------------------------------------
def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "stakemap", "--version"],
                            capture_output=True, text=True, check=False, cwd=ROOT)
    assert (result.returncode, result.stdout.strip()) == (0, "stakemap, version 0.1.0")
    result = subprocess.run([sys.executable, "-m", "stakemap", "validate",
                             str(ROOT / "tests/data/malformed/out-of-range.yaml")],
                            capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 2
    assert "out-of-range.yaml:8:16:" in result.stderr
    assert "Usage: stakemap" in subprocess.run(
        [sys.executable, "-m", "stakemap", "--help"], capture_output=True, text=True,
        check=True).stdout


# -- NEO4J_URI (no server needed; the real round trip is in test_neo4j.py) ---------------------
def _env(**values: str | None) -> dict[str, str | None]:
    names = ("STAKEMAP_STORE", "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD",
             "NEO4J_DATABASE", "STAKEMAP_NEO4J_RETRY_SECONDS")
    return {**dict.fromkeys(names), "STAKEMAP_NEO4J_RETRY_SECONDS": "0", **values}


def test_neo4j_uri_is_the_store_when_nothing_else_names_one() -> None:
    code, _, err = run("show", env=_env(NEO4J_URI="bolt://ana:hunter2@127.0.0.1:1/crm"))
    assert code == 2
    assert "bolt://ana@127.0.0.1:1/crm" in err  # it was tried, and named without the password
    assert "hunter2" not in err
    code, _, err = run("validate", env=_env(NEO4J_URI="neo4j+s://127.0.0.1:1",
                                            NEO4J_PASSWORD="hunter2"))
    assert code == 2
    assert "neo4j+s://neo4j@127.0.0.1:1" in err
    assert "hunter2" not in err


def test_store_precedence_is_option_then_stakemap_store_then_neo4j_uri() -> None:
    dead = "bolt://127.0.0.1:1"
    code, out, _ = run("show", "--format", "json",
                       env=_env(STAKEMAP_STORE="memory://", NEO4J_URI=dead))
    assert code == 0  # STAKEMAP_STORE won: an empty in-memory graph
    assert json.loads(out)["customers"] == []
    code, out, _ = run("show", "--format", "json", "--store", "memory://",
                       env=_env(STAKEMAP_STORE=dead, NEO4J_URI=dead))
    assert code == 0
    code, _, err = run("import", str(MSP), env=_env())
    assert code == 2
    assert "give --store URL (or set STAKEMAP_STORE or NEO4J_URI)" in err
    code, _, err = run("show", env=_env())
    assert code == 2
    assert "or set STAKEMAP_STORE or NEO4J_URI" in err


def test_a_file_beats_neo4j_uri() -> None:
    code, out, _ = run("show", str(MSP), env=_env(NEO4J_URI="bolt://127.0.0.1:1"))
    assert code == 0
    assert out.startswith("Portfolio: Bluepeak")


# -- '-' is standard input ----------------------------------------------------------------------
def test_dash_reads_yaml_or_json_from_standard_input() -> None:
    text = MSP.read_text(encoding="utf-8")
    code, out, _ = run("validate", "-", stdin=text)
    assert code == 0
    assert out.startswith("<stdin>: ok (")
    import stakemap

    as_json = stakemap.dump_portfolio(stakemap.read_portfolio(MSP), json_format=True)
    assert as_json.lstrip().startswith("{")
    assert run("validate", "-", stdin=as_json)[0] == 0
    from_file = run("gaps", str(MSP), "--as-of", "2026-11-01", "--format", "json")
    from_stdin = run("gaps", "-", "--as-of", "2026-11-01", "--format", "json", stdin=as_json)
    assert from_stdin[0] == from_file[0] == 1
    assert json.loads(from_stdin[1]) == json.loads(from_file[1])
    assert run("show", "-", stdin=text)[1].startswith("Portfolio: Bluepeak")
    assert "bluepeak-only" not in run("roles", "-", stdin=text)[1]


def test_errors_in_standard_input_name_stdin() -> None:
    code, _, err = run("validate", "-", stdin="stakemap: 2\npeople:\n  - {id: a, name: A, "
                                             "organization: nowhere}\n")
    assert code == 2
    assert re.search(r"^<stdin>:3:\d+: person 'a': organization: unknown organization "
                     r"'nowhere'", err, re.M)
    assert "<stdin>: invalid (1 problem)" in err
    code, _, err = run("gaps", "-", stdin="{\"stakemap\": 2, ")
    assert code == 2
    assert err.startswith("<stdin>:1:")
    assert "not valid JSON" in err
    code, _, err = run("show", "-", stdin=b"\xff\xfe binary")
    assert code == 2
    assert "<stdin>:1:1: not a text file" in err
    code, _, err = run("validate", "-", stdin="")
    assert (code, err.splitlines()[0]) == (2, "<stdin>: file is empty; a portfolio starts "
                                              "with 'stakemap: 2' and lists organizations:, "
                                              "people:, services:")


def test_standard_input_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAKEMAP_MAX_FILE_MB", "0.001")
    code, _, err = run("validate", "-", stdin="# " + "x" * 5000 + "\n")
    assert code == 2
    assert "<stdin>: input is over the 0.0 MiB limit" in err
    assert "raise STAKEMAP_MAX_FILE_MB" in err


def test_entry_lines_point_at_each_entry() -> None:
    import stakemap

    name, text = stakemap.portfolio_text(MSP)
    lines = stakemap.entry_lines(text)
    assert name == str(MSP)
    assert text.splitlines()[lines["northwind"] - 1].strip() == "- id: northwind"
    assert stakemap.entry_lines("{not yaml: [") == {}
    assert stakemap.entry_lines("- a\n- b\n") == {}


# -- JSON output of the listing commands ------------------------------------------------------
def test_roles_json_is_the_documented_shape() -> None:
    code, out, _ = run("roles", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert len(data["roles"]) == 20
    sponsor = next(r for r in data["roles"] if r["id"] == "executive-sponsor")
    assert set(sponsor) == {"id", "side", "name", "description", "deliverable", "phases"}
    assert sponsor["side"] == "customer"
    assert sponsor["phases"] == ["buying", "implementation", "operations"]


def test_playbooks_json_is_the_documented_shape() -> None:
    code, out, _ = run("playbooks", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["playbooks"][0]["name"] == "default"
    assert all(set(p) == {"name", "version", "rules", "description"} for p in data["playbooks"])
    assert all(isinstance(p["rules"], int) for p in data["playbooks"])
    assert run("playbooks", "--format", "json", "show", "default")[1].startswith("#")


def test_validate_json_is_the_documented_shape() -> None:
    bad = ROOT / "tests" / "data" / "malformed" / "many-problems.yaml"
    code, out, _ = run("validate", "--format", "json", str(MSP), str(bad))
    data = json.loads(out)
    assert code == 2
    assert data["valid"] is False
    good, broken = data["files"]
    assert good == {"file": str(MSP), "valid": True, "problems": [], "counts": good["counts"]}
    assert good["counts"]["person"] == 13
    assert broken["valid"] is False
    assert broken["counts"] is None
    assert len(broken["problems"]) == 7
    assert set(broken["problems"][0]) == {"file", "line", "column", "message", "hint"}
    assert broken["problems"][0]["line"] == 4


# -- the licence and the package's metadata ---------------------------------------------------
def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_file_is_the_declared_licence() -> None:
    project = _pyproject()["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert len(text.splitlines()) > 150  # the full text, not a notice


def test_project_urls_are_consistent() -> None:
    urls = _pyproject()["project"]["urls"]
    assert set(urls) == {"Homepage", "Documentation", "Issues", "Changelog"}
    home = urls["Homepage"]
    assert home.startswith("https://github.com/")
    assert all(u.startswith(home) for u in urls.values())


def _setuptools_version() -> tuple[int, ...]:
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return (0,)
    return tuple(int(p) for p in re.findall(r"\d+", version)[:2])


def _copy_source(target: Path) -> Path:
    """The source tree as a fresh checkout would hold it: no virtualenv, caches, build
    output or the Neo4j launcher's downloads, so the build neither litters nor sees them."""
    skip = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", ".*_cache",
                                  ".hypothesis", "build", "dist", "out", "target", ".data",
                                  "node_modules")
    tree = target / "src"
    shutil.copytree(ROOT, tree, ignore=skip)
    return tree


@pytest.mark.skipif(_setuptools_version() < (77,),
                    reason="building the sdist needs setuptools>=77 ([build-system]); "
                           "`pip install -e '.[dev]'` installs it")
def test_sdist_carries_the_tests_examples_licence_and_changelog(tmp_path: Path) -> None:
    tree = _copy_source(tmp_path)
    build = ("from setuptools import build_meta\n"
             "print(build_meta.build_sdist(r'%s'))" % (tmp_path / "dist"))
    result = subprocess.run([sys.executable, "-c", build], cwd=tree, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    sdist = tmp_path / "dist" / result.stdout.strip().splitlines()[-1]
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
        pkg_info = archive.extractfile(next(m for m in archive.getmembers()
                                            if m.name.endswith("/PKG-INFO")))
        assert pkg_info is not None
        metadata = pkg_info.read().decode()
    for wanted in ("LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "MANIFEST.in",
                   ".pre-commit-hooks.yaml", "tests/conftest.py", "tests/test_cli.py",
                   "tests/data/malformed/many-problems.yaml", "examples/msp-operations.yaml",
                   "docs/ci.md", "docs/ci/github-workflow.yml", "tools/imports.py",
                   "mkdocs.yml", "docs/reference/api.md",
                   "stakemap/__main__.py", "stakemap/py.typed", "cli/stakemap_cli/app.py"):
        assert wanted in names, f"the sdist lacks {wanted}"
    assert all(f"examples/{e.name}" in names for e in EXAMPLES)
    assert not [n for n in names if "__pycache__" in n or n.startswith("tools/neo4j/target")]
    assert "License-Expression: Apache-2.0" in metadata
    assert "License-File: LICENSE" in metadata
    assert "Project-URL: Changelog, https://github.com/stakemap/stakemap" in metadata


# -- pre-commit hooks -------------------------------------------------------------------------
def _hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {h["id"]: h for h in hooks}


def test_pre_commit_hooks_file_is_well_formed() -> None:
    hooks = _hooks()
    assert set(hooks) == {"stakemap-validate", "stakemap-gaps"}
    for hook in hooks.values():
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is True
        files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
        for example in EXAMPLES:
            path = example.relative_to(ROOT).as_posix()
            assert files.search(path), path
            assert not exclude.search(path), path
        for other in (".github/workflows/ci.yml", ".pre-commit-config.yaml", "package.json",
                      "README.md", "stakemap.toml"):
            assert not (files.search(other) and not exclude.search(other)), other
    assert hooks["stakemap-validate"]["entry"].split()[:2] == ["stakemap", "validate"]
    assert hooks["stakemap-gaps"]["entry"] == "stakemap gaps --fail-on high"


@pytest.mark.parametrize("hook_id", ["stakemap-validate", "stakemap-gaps"])
def test_pre_commit_entries_run_on_several_files(hook_id: str) -> None:
    """As pre-commit runs a hook: its entry, then the changed files' names."""
    argv = shlex.split(_hooks()[hook_id]["entry"])[1:]
    env = _env(STAKEMAP_AS_OF="2026-11-01")
    names = [e.relative_to(ROOT).as_posix() for e in EXAMPLES]
    cwd = os.getcwd()
    os.chdir(ROOT)  # pre-commit runs hooks at the repository's root, with relative names
    try:
        code, out, err = run(*argv, *names, env=env)
        bad_code, _, bad_err = run(*argv, names[0], "tests/data/malformed/duplicate-id.yaml",
                                   env=env)
    finally:
        os.chdir(cwd)
    if hook_id == "stakemap-validate":
        assert (code, out, err) == (0, "", "")  # --quiet: silent when all is well
    else:
        assert code == 1  # the examples have high findings, on purpose
        assert all(f"== {n} ==" in out for n in names)
    assert bad_code == 2
    assert "duplicate-id.yaml:6:10: duplicate id 'alice'" in bad_err


# -- the documented CI workflow ---------------------------------------------------------------
WORKFLOW = ROOT / "docs" / "ci" / "github-workflow.yml"


def _stakemap_commands(script: str) -> list[list[str]]:
    """The stakemap command lines of a shell script, as argv without 'stakemap' and without
    shell redirections and variables."""
    found = []
    for raw in script.splitlines():
        line = raw.strip().removeprefix("$ ")
        if not line.startswith("stakemap "):
            continue
        words = shlex.split(line, comments=True)
        if words[:1] != ["stakemap"]:
            continue
        argv = []
        for word in words[1:]:
            if word in (">", ">>", "|", "2>"):
                break
            if not word.startswith("$"):
                argv.append(word)
        found.append(argv)
    return found


def test_ci_workflow_parses_and_runs_existing_commands() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["coverage"]["steps"]
    runs = "\n".join(step["run"] for step in steps if "run" in step)
    commands = _stakemap_commands(runs)
    assert ["gaps", "--format", "github", "--fail-on", "high"] in commands
    assert ["gaps", "--format", "markdown", "--fail-on", "never"] in commands
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs
    for argv in commands:
        assert_command_exists(argv, "docs/ci/github-workflow.yml")
    documented = _stakemap_commands((ROOT / "docs" / "ci.md").read_text(encoding="utf-8"))
    assert len(documented) >= 3
    for argv in documented:
        assert_command_exists(argv, "docs/ci.md")


def test_ci_workflow_commands_work_on_the_examples(tmp_path: Path) -> None:
    """The workflow's steps on the examples folder, as its PORTFOLIOS: annotations, then a
    summary in Markdown (one section per file)."""
    env = _env(STAKEMAP_AS_OF="2026-11-01")
    folder = str(ROOT / "examples")
    code, out, _ = run("validate", "--format", "github", folder, env=env)
    assert (code, out) == (0, "")
    code, out, _ = run("gaps", "--format", "github", "--fail-on", "high", folder, env=env)
    assert code == 1
    assert re.search(r"^::error file=[^,]*msp-operations\.yaml,line=\d+,title=stakemap gaps", out,
                     re.M)
    code, out, _ = run("gaps", "--format", "markdown", "--fail-on", "never", folder, env=env)
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert [h for h in headings if h.startswith("## ")] == [
        f"## ` {e} `" for e in EXAMPLES]
    assert not [h for h in headings if h.startswith("# ")]  # each report's title one level down
    assert sum(h.startswith("### Coverage gaps") for h in headings) == len(EXAMPLES)


def test_migrate_and_import_read_standard_input_too() -> None:
    text = MSP.read_text(encoding="utf-8")
    code, out, err = run("migrate", "-", "-o", "-", stdin=text)
    assert code == 0, err
    assert out.startswith("stakemap: 2")
    code, out, err = run("import", "-", "--store", "memory://", stdin=text)
    assert code == 0, err
    assert "imported <stdin> into memory://" in out
