"""Defaults in one place: stakemap.toml beside a portfolio and STAKEMAP_PLAYBOOK /
STAKEMAP_AS_OF make gaps, render and report agree without repeating options; the command
line still wins, and a bad file is located problems and exit 2."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.defaults import as_of_day
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "msp-operations.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "portfolio.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"),
                                             encoding="utf-8")
    return tmp_path


def _run(*args: object, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env={"STAKEMAP_PLAYBOOK": "", "STAKEMAP_AS_OF": "", **(env or {})}
                       ).invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _summary(project: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    code, out, err = _run("gaps", project / "portfolio.yaml", "--format", "json",
                          "--fail-on", "never", *args, env=env)
    assert code == 0, err
    summary: dict[str, object] = json.loads(out)["summary"]
    return summary


def test_stakemap_toml_names_the_playbooks_and_the_day(project: Path) -> None:
    without = _summary(project)
    assert without["playbook"] == "default"
    assert without["as_of"] == date.today().isoformat()
    (project / "stakemap.toml").write_text(
        '[defaults]\nplaybooks = ["msp-account-team"]\nas_of = "2026-11-01"\n', encoding="utf-8")
    assert _summary(project) == {**_summary(project), "playbook": "msp-account-team",
                                 "as_of": "2026-11-01"}
    # render and report judge by the same: the pack's findings are the report's
    code, pack, _ = _run("report", project / "portfolio.yaml", "--customer", "northwind",
                         "-o", "-")
    assert code == 0
    assert "playbook msp-account-team, as of 2026-11-01" in pack


def test_a_playbook_file_in_the_toml_is_read_from_its_folder(project: Path) -> None:
    (project / "books").mkdir()
    (project / "books" / "ours.yaml").write_text(
        "playbook: ours\nextends: [default]\nrules:\n  - {id: stale-relationship, days: 30}\n",
        encoding="utf-8")
    (project / "stakemap.toml").write_text('[defaults]\nplaybooks = ["books/ours.yaml"]\n',
                                           encoding="utf-8")
    assert _summary(project, "--as-of", "2026-11-01")["playbook"] == "ours"
    # the playbook file is an input: an output over it is refused
    code, _, err = _run("render", project / "portfolio.yaml", "--customer", "northwind",
                        "-o", project / "books" / "ours.yaml")
    assert code == 2
    assert "input" in err


def test_the_environment_beats_the_file_and_the_command_line_beats_both(project: Path) -> None:
    (project / "stakemap.toml").write_text(
        '[defaults]\nplaybooks = ["msp-account-team"]\nas_of = "2026-11-01"\n', encoding="utf-8")
    env = {"STAKEMAP_PLAYBOOK": "account-trio", "STAKEMAP_AS_OF": "2026-10-01"}
    assert _summary(project, env=env)["playbook"] == "account-trio"
    assert _summary(project, env=env)["as_of"] == "2026-10-01"
    given = _summary(project, "--playbook", "default", "--as-of", "2026-09-01", env=env)
    assert (given["playbook"], given["as_of"]) == ("default", "2026-09-01")


def test_a_bad_stakemap_toml_is_every_problem_located(project: Path) -> None:
    toml = project / "stakemap.toml"
    toml.write_text('[defaults]\nplaybook = "x"\nas_of = "soon"\n[colours]\n', encoding="utf-8")
    code, _, err = _run("gaps", project / "portfolio.yaml")
    assert code == 2
    lines = err.strip().splitlines()
    assert f"{toml}:2: defaults: unknown key 'playbook'; did you mean 'playbooks'?" in lines
    assert any(line.startswith(f"{toml}:3: defaults: as_of 'soon' is not a day") for line in lines)
    assert any(line.startswith(f"{toml}:4: unknown section or key 'colours'") for line in lines)
    toml.write_text("[defaults\n", encoding="utf-8")
    code, _, err = _run("render", project / "portfolio.yaml", "-o", project / "x.dot")
    assert code == 2
    assert err.startswith(f"{toml}:1:10: not valid TOML")
    assert not (project / "x.dot").exists()


def test_a_bad_environment_value_is_named(project: Path) -> None:
    code, _, err = _run("gaps", project / "portfolio.yaml", env={"STAKEMAP_AS_OF": "soon"})
    assert code == 2
    assert "STAKEMAP_AS_OF: as-of 'soon' is not a day" in err


@pytest.mark.parametrize(("policy", "today", "day"), [
    ("today", date(2026, 11, 23), date(2026, 11, 23)),
    ("month-end", date(2026, 11, 23), date(2026, 10, 31)),
    ("month-end", date(2026, 1, 5), date(2025, 12, 31)),
    ("quarter-end", date(2026, 11, 23), date(2026, 9, 30)),
    ("quarter-end", date(2026, 2, 1), date(2025, 12, 31)),
    ("quarter-end", date(2026, 4, 1), date(2026, 3, 31)),
    ("2026-06-30", date(2026, 11, 23), date(2026, 6, 30))])
def test_as_of_policies(policy: str, today: date, day: date) -> None:
    assert as_of_day(policy, today) == day


def test_the_library_finds_the_same_defaults(project: Path) -> None:
    (project / "stakemap.toml").write_text('[defaults]\nas_of = "quarter-end"\n',
                                           encoding="utf-8")
    found = stakemap.find_defaults(project / "portfolio.yaml", environ={})
    assert found.as_of == "quarter-end"
    assert found.as_of_day(date(2026, 11, 23)) == date(2026, 9, 30)
    assert found.as_of_from == str(project / "stakemap.toml")
    assert stakemap.find_defaults(project / "portfolio.yaml",
                                  environ={"STAKEMAP_PLAYBOOK": "a, b"}).playbooks == ("a", "b")
