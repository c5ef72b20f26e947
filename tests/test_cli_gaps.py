"""stakemap gaps and stakemap playbooks: exit codes, output formats, both sources."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

from stakemap.backends import GraphStore
from tests.conftest import ROOT, neo4j_test_env, neo4j_test_url

MSP = str(ROOT / "examples" / "msp-operations.yaml")
ARGS = ["--playbook", "msp-account-team", "--as-of", "2026-11-01"]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_findings_at_or_above_fail_on_exit_1() -> None:
    code, out, _ = run("gaps", MSP, *ARGS)
    assert code == 1
    assert "executive-sponsor-missing" in out
    assert "Northwind Logistics     50" in out


@pytest.mark.parametrize(("fail_on", "expected"), [
    ("critical", 0), ("high", 1), ("medium", 1), ("never", 0)])
def test_fail_on_threshold(fail_on: str, expected: int) -> None:
    assert run("gaps", MSP, *ARGS, "--fail-on", fail_on)[0] == expected


def test_no_findings_exit_0() -> None:
    code, out, _ = run("gaps", MSP, *ARGS, "--only", "agreement-review-overdue")
    assert code == 0
    assert "No gaps found." in out


def test_json_output_is_the_documented_shape() -> None:
    code, out, _ = run("gaps", MSP, *ARGS, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert {f["code"] for f in data["findings"]} == {
        "executive-sponsor-missing", "unowned-service", "uncovered-decision-maker",
        "stale-relationship"}
    assert data["scores"]["northwind"]["score"] == 50
    assert data["summary"]["as_of"] == "2026-11-01"


def test_csv_and_markdown_outputs() -> None:
    rows = list(csv.DictReader(io.StringIO(run("gaps", MSP, *ARGS, "--format", "csv")[1])))
    assert len(rows) == 4
    assert rows[0]["severity"] == "high"
    markdown = run("gaps", MSP, *ARGS, "--format", "markdown")[1]
    assert markdown.startswith("# Coverage gaps (msp-account-team, as of 2026-11-01)")
    assert "| high | `unowned-service` |" in markdown


def test_customer_ignore_and_bad_input() -> None:
    it = str(ROOT / "examples" / "it-customer-teams.yaml")
    out = run("gaps", it, "--playbook", "it-customer-team", "--as-of", "2026-11-01",
              "--customer", "bu-retail", "--format", "json")[1]
    assert {f["customer"] for f in json.loads(out)["findings"]} == {"bu-retail"}
    out = run("gaps", MSP, *ARGS, "--ignore", "stale-relationship", "--format", "json")[1]
    assert "stale-relationship" not in {f["code"] for f in json.loads(out)["findings"]}
    code, _, err = run("gaps", MSP, "--playbook", str(ROOT / "tests/data/playbooks/broken.yaml"))
    assert code == 2
    assert "broken.yaml:6:" in err
    assert run("gaps", MSP, "--as-of", "yesterday")[0] == 2


def test_playbooks_list_and_show() -> None:
    code, out, _ = run("playbooks")
    assert code == 0
    assert out.splitlines()[1].startswith("default")
    code, out, _ = run("playbooks", "show", "it-customer-team")
    assert code == 0
    assert out.startswith("# An internal IT organization")
    code, out, _ = run("playbooks", "show", "account-trio", "--resolved")
    assert "executive-sponsor-missing" in out  # inherited from default


@pytest.mark.neo4j
def test_gaps_on_a_store_match_the_file(neo4j_store: GraphStore) -> None:
    env = {**neo4j_test_env(), "STAKEMAP_STORE": None}  # type: ignore[dict-item]
    assert run("import", MSP, "--store", neo4j_test_url(), env=env)[0] == 0
    from_file = run("gaps", MSP, *ARGS, "--format", "json")
    from_store = run("gaps", "--store", neo4j_test_url(), *ARGS, "--format", "json", env=env)
    assert from_store[0] == from_file[0] == 1
    assert json.loads(from_store[1]) == json.loads(from_file[1])


def test_unknown_customer_or_code_is_bad_input_with_a_suggestion() -> None:
    code, _, err = run("gaps", MSP, *ARGS, "--customer", "nortwind")
    assert code == 2
    assert "did you mean 'northwind'?" in err
    code, _, err = run("gaps", MSP, *ARGS, "--only", "unowned-servce")
    assert code == 2
    assert "did you mean 'unowned-service'?" in err
