"""The stakemap command: exit codes, output shapes, start-up cost, and README accuracy."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

from tests.commands import assert_command_exists
from tests.conftest import EXAMPLES, ROOT

MALFORMED = ROOT / "tests" / "data" / "malformed"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert (code, out.strip()) == (0, "stakemap, version 0.1.0")


def test_validate_valid_files_exits_0() -> None:
    code, out, _ = run("validate", *map(str, EXAMPLES))
    assert code == 0
    assert out.count(": ok (") == len(EXAMPLES)


def test_validate_invalid_file_exits_2_and_lists_every_problem_without_traceback() -> None:
    bad = MALFORMED / "many-problems.yaml"
    code, out, err = run("validate", str(EXAMPLES[0]), str(bad))
    assert code == 2
    assert ": ok (" in out
    assert len(re.findall(rf"^{re.escape(str(bad))}:\d+:\d+: ", err, re.M)) == 7
    assert "Traceback" not in err
    assert "invalid (7 problems)" in err


def test_show_on_bad_input_exits_2() -> None:
    code, _, err = run("show", str(MALFORMED / "duplicate-id.yaml"))
    assert code == 2
    assert "duplicate id 'alice'" in err


def test_usage_error_exits_2() -> None:
    assert run("validate")[0] == 2
    assert run("no-such-command")[0] == 2


def test_show_plain_when_piped() -> None:
    code, out, _ = run("show", str(ROOT / "examples" / "msp-operations.yaml"))
    assert code == 0
    assert out.startswith("Portfolio: Bluepeak / Northwind Logistics")
    assert re.search(r"^northwind\s+Northwind Logistics\s+operations\s+7\s+6\s+3\s+2$", out, re.M)
    assert re.search(r"^nw-backup\s+Backup & Recovery\s+bluepeak\s+1\s+0\s+-$", out, re.M)
    assert "│" not in out
    assert "\x1b[" not in out


def test_show_table_uses_rich() -> None:
    code, out, _ = run("show", "--format", "table", str(ROOT / "examples" / "msp-operations.yaml"))
    assert code == 0
    assert "┃" in out or "│" in out


def test_show_json_is_machine_readable() -> None:
    example = ROOT / "examples" / "it-customer-teams.yaml"
    code, out, _ = run("show", "--format", "json", str(example))
    data = json.loads(out)
    assert code == 0
    assert [c["id"] for c in data["customers"]] == [
        "bu-finance", "bu-logistics", "bu-retail", "contoso"]
    assert data["people_by_side"]["provider"] == {"active": 7, "left": 0}


def test_schema_is_json_schema_for_the_file_format() -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["title"] == "stakemap portfolio"
    assert set(schema["properties"]) >= {"organizations", "people", "services", "relationships"}
    # ``kind`` loads (the section already says it), so the schema allows it, never requires it
    person = schema["$defs"]["PersonEntry"]
    assert person["properties"]["kind"]["const"] == "person"
    assert "kind" not in person["required"]


def test_roles_lists_the_vocabulary() -> None:
    code, out, _ = run("roles")
    assert code == 0
    assert re.search(r"^executive-sponsor\s+customer\s+Executive Sponsor\s+buying, "
                     r"implementation, operations$", out, re.M)
    assert len(out.strip().splitlines()) == 1 + 20


def test_help_does_not_import_heavy_modules() -> None:
    probe = ("import sys; sys.argv = ['stakemap', '--help']\n"
             "from stakemap_cli.app import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "heavy = {'networkx', 'pydantic', 'neo4j', 'graphviz', 'rich', 'yaml'}\n"
             "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def _readme_cli_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The CLI", 1)[1].split("\n## ", 1)[0]
    return [line.split()[1:] for line in re.findall(r"^\$ (stakemap .*)$", section, re.M)]


def test_readme_cli_section_lists_commands() -> None:
    assert len(_readme_cli_commands()) >= 4


@pytest.mark.parametrize("argv", _readme_cli_commands(), ids=" ".join)
def test_every_readme_command_exists(argv: list[str]) -> None:
    assert_command_exists(argv, "README")


def test_console_script_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("stakemap")
    result = subprocess.run([str(exe), "validate", str(MALFORMED / "out-of-range.yaml")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "out-of-range.yaml:8:16:" in result.stderr


def test_messages_quoting_user_text_never_send_escape_sequences(tmp_path: Path) -> None:
    bad = tmp_path / "esc.yaml"
    bad.write_text('stakemap: 1\norganizations:\n  - {id: "a\\e]52;c;aGk=\\a", name: X, '
                   'type: customer}\npeople:\n  - {id: p, name: P, organization: "zz\\e[2J"}\n',
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "unknown organization 'zz\\x1b[2J'" in result.output  # shown, visibly
    assert "\x1b" not in result.output
    assert "\x07" not in result.output
    good = ROOT / "examples" / "msp-operations.yaml"
    result = CliRunner().invoke(cli, ["gaps", str(good), "--customer", "nw\x1b]8;;x\x07"])
    assert result.exit_code == 2
    assert "stakemap: error: no account 'nw\\x1b]8;;x\\x07'" in result.output
    assert "\x1b" not in result.output
