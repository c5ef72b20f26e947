"""validate and gaps on several files and folders: one exit code (the worst), reports under
each file's name, single-file output unchanged, and GitHub annotations that user text cannot
break out of."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli
from stakemap_cli.many import annotation, escape_data, escape_property, targets

from tests.conftest import EXAMPLES, ROOT

MSP = str(ROOT / "examples" / "msp-operations.yaml")
IT = str(ROOT / "examples" / "it-customer-teams.yaml")
BAD = str(ROOT / "tests" / "data" / "malformed" / "duplicate-id.yaml")
AS_OF = ["--as-of", "2026-11-01"]


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    env = {"STAKEMAP_STORE": None, "NEO4J_URI": None, "STAKEMAP_AS_OF": None,
           "STAKEMAP_PLAYBOOK": None}
    result = CliRunner(env=env).invoke(cli, list(args), input=stdin)  # type: ignore[arg-type]
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two portfolios, one nested; a workflow in a hidden folder; a note that is no YAML."""
    shutil.copy(MSP, tmp_path / "msp.yaml")
    (tmp_path / "nested").mkdir()
    shutil.copy(IT, tmp_path / "nested" / "it.yml")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a portfolio\n", encoding="utf-8")
    return tmp_path


# -- which files ------------------------------------------------------------------------------
def test_a_folder_is_its_portfolio_files_recursively_hidden_folders_left_out(
        folder: Path) -> None:
    assert [t.name for t in targets([str(folder)])] == [
        str(folder / "msp.yaml"), str(folder / "nested" / "it.yml")]
    assert [t.name for t in targets(["-", MSP])] == ["-", MSP]


def test_a_folder_without_portfolio_files_is_a_problem(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path))
    assert code == 2
    assert f"{tmp_path}: folder holds no .yaml, .yml or .json file" in err


def test_a_yaml_file_that_is_not_a_portfolio_is_reported_not_skipped(folder: Path) -> None:
    (folder / "docker-compose.yaml").write_text("services:\n  web: {image: x}\n",
                                                encoding="utf-8")
    code, out, err = run("validate", str(folder))
    assert code == 2
    assert out.count(": ok (") == 2
    assert "docker-compose.yaml: invalid" in err


# -- validate ---------------------------------------------------------------------------------
def test_validate_many_files_and_folders_exit_2_when_any_is_invalid(folder: Path) -> None:
    code, out, err = run("validate", str(folder), BAD, MSP)
    assert code == 2
    assert out.count(": ok (") == 3
    assert f"{BAD}: invalid (1 problem)" in err
    assert run("validate", str(folder), MSP)[0] == 0


def test_validate_github_annotations_carry_file_line_and_column() -> None:
    code, out, err = run("validate", "--format", "github", MSP, BAD)
    assert code == 2
    assert err == ""
    assert out.splitlines() == [
        f"::error file={Path(BAD).relative_to(ROOT).as_posix() if _under_cwd(BAD) else BAD}"
        ",line=6,col=10,title=stakemap validate::duplicate id 'alice' (first at line 5); "
        "ids must be unique across organizations, people, services, agreements and meetings"]


def _under_cwd(path: str) -> bool:
    return Path(path).resolve().is_relative_to(Path.cwd().resolve())


# -- gaps -------------------------------------------------------------------------------------
def test_gaps_on_one_file_keeps_the_single_file_shapes() -> None:
    code, out, _ = run("gaps", MSP, *AS_OF, "--format", "json")
    assert code == 1
    assert set(json.loads(out)) == {"findings", "scores", "top_actions", "summary"}


def test_gaps_json_on_several_files_is_a_list_under_file_names() -> None:
    code, out, err = run("gaps", MSP, BAD, IT, *AS_OF, "--format", "json")
    data = json.loads(out)
    assert code == 2  # bad input beats findings
    assert [e["file"] for e in data["files"]] == [MSP, BAD, IT]
    assert set(data["files"][0]) == {"file", "report"}
    assert set(data["files"][0]["report"]) == {"findings", "scores", "top_actions", "summary"}
    assert data["files"][1]["problems"][0]["line"] == 6
    assert "report" not in data["files"][1]
    assert "duplicate id 'alice'" in err


@pytest.mark.parametrize(("fail_on", "expected"), [("high", 1), ("critical", 0),
                                                    ("never", 0)])
def test_gaps_exit_code_is_the_worst_over_the_files(fail_on: str, expected: int) -> None:
    assert run("gaps", MSP, IT, *AS_OF, "--fail-on", fail_on)[0] == expected
    assert run("gaps", MSP, IT, BAD, *AS_OF, "--fail-on", fail_on)[0] == 2


def test_gaps_tables_csv_and_markdown_name_each_file(folder: Path) -> None:
    code, out, _ = run("gaps", str(folder), *AS_OF)
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("== ")] == [
        f"== {folder / 'msp.yaml'} ==", f"== {folder / 'nested' / 'it.yml'} =="]
    rows = list(csv.DictReader(io.StringIO(run("gaps", MSP, IT, *AS_OF, "--format",
                                               "csv")[1])))
    assert {r["file"] for r in rows} == {MSP, IT}
    single = list(csv.DictReader(io.StringIO(run("gaps", MSP, *AS_OF, "--format", "csv")[1])))
    assert [{k: v for k, v in r.items() if k != "file"} for r in rows if r["file"] == MSP] \
        == single
    markdown = run("gaps", MSP, IT, *AS_OF, "--format", "markdown")[1]
    assert markdown.startswith(f"## ` {MSP} `\n\n### Coverage gaps (default, as of 2026-11-01)")
    assert f"\n## ` {IT} `\n" in markdown


def test_gaps_github_annotations_point_at_the_subjects_entry() -> None:
    code, out, _ = run("gaps", MSP, *AS_OF, "--playbook", "msp-account-team", "--format",
                       "github")
    assert code == 1
    lines = Path(MSP).read_text(encoding="utf-8").splitlines()
    annotations = out.splitlines()
    assert len(annotations) == 4
    for item in annotations:
        found = re.match(r"::(error|warning|notice) file=([^,]+),line=(\d+),title=stakemap gaps"
                         r"%3A (\w+) ([a-z-]+)::(.+)$", item)
        assert found, item
        level, _, line, severity, _, _ = found.groups()
        assert level == {"critical": "error", "high": "error", "medium": "warning"}.get(
            severity, "notice")
        assert lines[int(line) - 1].lstrip().startswith("- id: ")
    unowned = next(a for a in annotations if "unowned-service" in a)
    assert lines[int(re.findall(r"line=(\d+)", unowned)[0]) - 1].strip() == "- id: nw-backup"


def test_gaps_github_reports_bad_input_as_annotations_too() -> None:
    code, out, err = run("gaps", BAD, "--format", "github")
    assert code == 2
    assert re.match(r"::error file=[^,]*duplicate-id\.yaml,line=6,col=10,", out)
    assert "duplicate-id.yaml:6:10:" in err
    code, out, _ = run("gaps", BAD, MSP, *AS_OF, "--format", "github")
    assert code == 2
    assert "duplicate-id.yaml,line=6,col=10," in out
    assert "msp-operations.yaml,line=" in out


# -- escaping ---------------------------------------------------------------------------------
def test_annotation_text_is_escaped_as_github_requires() -> None:
    assert escape_data("50% done\r\n::error::x") == "50%25 done%0D%0A::error::x"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = annotation("warning", "evil\n::error file=x::owned", file="dir,a:b.yaml", line=3,
                      title="t,1:2")
    assert line == ("::warning file=dir%2Ca%3Ab.yaml,line=3,title=t%2C1%3A2::"
                    "evil%0A::error file=x::owned")
    assert "\n" not in line
    assert annotation("error", "m", file="<stdin>", line=2) == "::error::m"


def test_hostile_names_in_a_portfolio_stay_one_annotation_each(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    text = Path(MSP).read_text(encoding="utf-8")
    hostile.write_text(text.replace("    name: Northwind Logistics\n",
                                    '    name: "NW\\n::error::pwned %0A"\n'),
                       encoding="utf-8")
    code, out, _ = run("gaps", str(hostile), *AS_OF, "--format", "github")
    assert code == 1
    for item in out.splitlines():
        assert re.match(r"::(error|warning|notice) ", item)
        assert "::pwned" not in item.split("::", 2)[1]
    assert "%0A::error::pwned %250A" in out


def test_several_dashes_and_a_file() -> None:
    text = Path(MSP).read_text(encoding="utf-8")
    code, out, _ = run("validate", "-", IT, stdin=text)
    assert code == 0
    assert out.startswith("<stdin>: ok (")
    assert len(EXAMPLES) >= 2
