"""Hostile and accidental bad input: files built to exhaust memory, crash the parser or hang
the reader. Each must end, promptly, in exit 2 with located problems naming the file.

Every case runs the real console script in a subprocess: a crash in libyaml (a segmentation
fault) would kill a test runner in-process, and a hang must be cut off by a timeout. The
timeout only guards against hangs; nothing here measures speed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXE = Path(sys.executable).with_name("stakemap")
EXAMPLE = ROOT / "examples" / "msp-operations.yaml"
TIMEOUT = 60  # generous: a hang or a minutes-long blow-up fails, a slow machine does not

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, check=False,
                          timeout=TIMEOUT, env={**os.environ, **(env or {})})


def _problems(stderr: str) -> list[str]:
    """The problem lines: everything but the summary and the count of unprinted ones."""
    return [line for line in stderr.splitlines()
            if line and not line.startswith("... and ") and ": invalid (" not in line]


def _assert_refused(result: subprocess.CompletedProcess[str], name: str, *phrases: str
                    ) -> list[str]:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    lines = _problems(result.stderr)
    assert lines, result.stderr
    for line in lines:
        assert line.startswith(name), line
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr
    return lines


def _validate(path: Path | str, *phrases: str) -> list[str]:
    return _assert_refused(_run("validate", str(path)), str(path), *phrases)


def _as_playbook(path: Path | str, *phrases: str) -> list[str]:
    result = _run("gaps", str(EXAMPLE), "--playbook", str(path))
    return _assert_refused(result, str(path), *phrases)


def _alias_bomb() -> str:
    """"Billion laughs": about 1 KB of YAML whose aliases stand for 9^10 values."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_the_first_alias_past_the_budget(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("stakemap: 1\n" + _alias_bomb(), encoding="utf-8")
    lines = _validate(bomb, "YAML aliases that expand to more than 10,000 values",
                      "remove the anchors")
    assert len(lines) == 1
    assert lines[0].startswith(f"{bomb}:")  # located: file:line:column
    _as_playbook(bomb, "YAML aliases that expand to more than 10,000 values")


def test_a_few_aliases_are_still_read(tmp_path: Path) -> None:
    """The budget is on what aliases stand for, not on using them at all."""
    book = tmp_path / "anchors.yaml"
    book.write_text("playbook: anchored\nextends: [default]\nrules:\n"
                    "  - &stale {id: stale-relationship, days: 30}\n", encoding="utf-8")
    result = _run("gaps", str(EXAMPLE), "--playbook", str(book), "--fail-on", "never")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_fifty_thousand_nested_brackets_do_not_crash(tmp_path: Path, suffix: str) -> None:
    deep = tmp_path / f"deep{suffix}"
    deep.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    result = _run("validate", str(deep))
    assert result.returncode != -11, "segmentation fault"
    _assert_refused(result, str(deep), "nested more than 100 levels deep")
    _as_playbook(deep, "nested more than 100 levels deep")


def test_unclosed_brackets_are_reported_as_too_deep_not_crashed_on(tmp_path: Path) -> None:
    deep = tmp_path / "open.yaml"
    deep.write_text("stakemap: 1\nname: " + "[" * 50_000 + "\n", encoding="utf-8")
    _validate(deep, "nested more than 100 levels deep")


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "block.yaml"
    deep.write_text("".join(f"{' ' * i}k:\n" for i in range(2_000)) + " " * 2_000 + "k: v\n",
                    encoding="utf-8")
    _validate(deep, "nested more than 100 levels deep")


def test_hundred_thousand_deep_json_is_refused_without_recursion_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"stakemap": 1, "name": ' + "[" * 100_000 + "]" * 100_000 + "}",
                    encoding="utf-8")
    lines = _validate(deep, "nested more than 100 levels deep")
    assert lines[0].startswith(f"{deep}:1:")
    assert "RecursionError" not in "".join(lines)


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    _validate(fifo, "is a named pipe (FIFO), not a regular file")
    _as_playbook(fifo, "is a named pipe (FIFO), not a regular file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    _validate(device, "is a device, not a regular file")
    _as_playbook(device, "is a device, not a regular file")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    from stakemap import PortfolioError, read_portfolio

    with pytest.raises(PortfolioError, match="is a directory, not a file"):
        read_portfolio(tmp_path)  # the CLI refuses folders already, as a usage error
    result = _run("validate", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    _as_playbook(tmp_path, "no such playbook file")


def test_unquoted_no_as_an_organization_type_says_to_quote_it(tmp_path: Path) -> None:
    path = tmp_path / "no.yaml"
    path.write_text("stakemap: 1\norganizations:\n  - id: acme\n    name: Acme\n    type: NO\n",
                    encoding="utf-8")
    lines = _validate(path, "YAML reads unquoted NO as false: quote it ('NO')")
    assert lines[0].startswith(f"{path}:5:11:")


def test_unquoted_yes_where_text_is_expected_says_to_quote_it(tmp_path: Path) -> None:
    path = tmp_path / "yes.yaml"
    path.write_text("stakemap: 1\norganizations:\n  - {id: acme, name: yes, type: customer}\n",
                    encoding="utf-8")
    lines = _validate(path, "name should be text, found true",
                      "YAML reads unquoted yes as true: quote it ('yes')")
    assert lines[0].startswith(f"{path}:3:")


def test_unquoted_no_as_a_playbook_rule_type_says_to_quote_it(tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text("playbook: x\nrules:\n  - {id: r, type: Off}\n", encoding="utf-8")
    _as_playbook(book, "YAML reads unquoted Off as false: quote it ('Off')")


def test_a_boolean_where_a_boolean_is_wanted_is_fine(tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text("playbook: x\nextends: [default]\nrules:\n"
                    "  - {id: stale-relationship, enabled: no}\n", encoding="utf-8")
    result = _run("gaps", str(EXAMPLE), "--playbook", str(book), "--fail-on", "never")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("merge", ["<<: *base", "<<: {name: Acme, type: customer}"])
def test_a_merge_key_is_reported_not_silently_invalid(tmp_path: Path, merge: str) -> None:
    path = tmp_path / "merge.yaml"
    path.write_text("stakemap: 1\norganizations:\n"
                    "  - &base {id: base, name: Base, type: customer}\n"
                    f"  - {merge}\n    id: acme\n", encoding="utf-8")
    lines = _validate(path, "YAML merge keys ('<<') are not supported",
                      "write the fields out")
    assert lines[0].startswith(f"{path}:4:5:")
    _as_playbook(path, "YAML merge keys ('<<') are not supported")


def test_a_quoted_merge_key_is_an_ordinary_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "quoted.yaml"
    path.write_text("stakemap: 1\norganizations:\n"
                    "  - {id: acme, name: Acme, type: customer, '<<': x}\n", encoding="utf-8")
    _validate(path, "unknown field '<<'")


def _many_problems(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "many.yaml"
    people = "".join(f"  - {{id: p{i}, name: P, organization: acme, influence: 9}}\n"
                     for i in range(count))
    path.write_text("stakemap: 1\norganizations:\n  - {id: acme, name: Acme, type: customer}\n"
                    "people:\n" + people, encoding="utf-8")
    return path


def test_printed_problems_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    path = _many_problems(tmp_path, 600)
    result = _run("validate", str(path))
    lines = _assert_refused(result, str(path), "outside its range")
    assert len(lines) == 100
    tail = result.stderr.splitlines()[-2:]
    assert tail == ["... and 500 more problems (set STAKEMAP_MAX_PROBLEMS to see more)",
                    f"{path}: invalid (600 problems)"]


def test_the_cap_can_be_raised_and_the_error_keeps_every_problem(tmp_path: Path) -> None:
    from stakemap import PortfolioError, read_portfolio

    path = _many_problems(tmp_path, 600)
    result = _run("validate", str(path), env={"STAKEMAP_MAX_PROBLEMS": "1000"})
    assert len(_assert_refused(result, str(path))) == 600
    assert "... and" not in result.stderr
    with pytest.raises(PortfolioError) as caught:
        read_portfolio(path)
    assert len(caught.value.problems) == 600


def test_an_oversized_playbook_is_refused_before_reading(tmp_path: Path) -> None:
    book = tmp_path / "big.yaml"
    book.write_text("playbook: big\n" + "# padding\n" * 120_000, encoding="utf-8")
    assert book.stat().st_size > 1024 * 1024
    _as_playbook(book, "over the 1.0 MiB limit for one playbook", "STAKEMAP_MAX_PLAYBOOK_KB")
    result = _run("gaps", str(EXAMPLE), "--playbook", str(book), "--fail-on", "never",
                  env={"STAKEMAP_MAX_PLAYBOOK_KB": "2048"})
    assert result.returncode == 0, result.stderr  # under the raised limit: read


def test_the_yaml_depth_limit_is_exactly_one_hundred_levels() -> None:
    """100 levels are read; 101 are refused (the root mapping is the first level). Brackets
    inside strings do not count."""
    from stakemap.files.parse import parse_text

    def document(levels: int) -> str:
        inner = levels - 1
        return ('{"stakemap": 1, "x": "]]}[[", "name": ' + "[" * inner + "]" * inner + "}")

    assert not parse_text(document(100), "ok.yaml").problems
    problems = parse_text(document(101), "deep.yaml").problems
    assert [p.message for p in problems] == [
        "lists and mappings are nested more than 100 levels deep"]
    assert problems[0].line == 1
