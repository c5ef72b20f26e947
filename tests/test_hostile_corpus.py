"""A corpus of hostile input, each case run through every command it applies to.

1. hostile names (formulas, HTML, Markdown, DOT, rich markup, terminal escapes, Unicode, a
   5,000-character name) as customer, person, title and service in a valid portfolio;
2. malformed portfolio files; 3. hostile playbooks; 4. paths and outputs; 5. API misuse;
6. hostile names through the Neo4j store (``-m neo4j``).

Commands run in-process through click's runner, so hundreds of invocations stay fast; only
a FIFO, which would block the test process, goes through a subprocess. Each output is
checked in its own language: CSV with ``csv``, Markdown rendered with markdown-it, the HTML
pack with ``html.parser``, DOT drawn by Graphviz, JSON read back.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from tests.conftest import ROOT, neo4j_test_env, neo4j_test_url

EXAMPLE = ROOT / "examples" / "msp-operations.yaml"
EXE = Path(sys.executable).with_name("stakemap")

HOSTILE_NAMES: list[str] = [
    # spreadsheet formulas
    '=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\t=1", "=1+1", "-2+3",
    "=cmd|' /C calc'!A0", "\r=1",
    # HTML / JavaScript
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg/onload=alert(1)>',
    "javascript:alert(1)", "<a href='javascript:alert(1)'>x</a>", "&lt;script&gt;",
    "</title><script>alert(1)</script>", "<iframe src=//evil>", "' onmouseover='alert(1)",
    # Markdown
    "[x](javascript:alert(1))", "![i](http://evil/x.png)", "<b>b</b>", "| a | b |",
    "`code`", "# heading", "*emph* _u_", "~~strike~~", "1. item", "- item", "+ item",
    "[x]: javascript:alert(1)", "<http://evil>", "\\[x\\](javascript:alert(1))",
    # DOT
    '"', "\\", "\\N", "<Ops>", "<<B>x</B>>", "}", "]", ";", "->", "a\\lb\\rc", "\\G \\E",
    'x" URL="javascript:alert(1)', "digraph { a -> b }",
    # rich markup
    "[bold]x[/bold]", "[/]", "Acme [legacy]", "[link=http://x]y[/link]",
    # terminal
    "\x1b]52;c;aGk=\x07", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "\x1b[2J", "a\rb",
    "\x07", "\u202e", "abc\u202edef", "\x9b31m", "\x1b[31mred\x1b[0m",
    # Unicode
    "李娜", "שלום", "🙂", "👩\u200d💻", "\uff21\uff43\uff4d\uff45", "e\u0301", "\u200b", "Ω≈ç√∫",
    # length: the longest name allowed (500 characters)
    "x" * 500, "李" * 500,
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = ("\x1b", "\x07", "\x9b")


def _portfolio(name: str) -> dict[str, Any]:
    return {
        "stakemap": 1, "name": "Corpus",
        "organizations": [
            {"id": "prov", "name": "Provider", "type": "provider"},
            {"id": "c", "name": name, "type": "customer", "phase": "operations"}],
        "people": [
            {"id": "am", "name": "Ann", "title": "AM", "organization": "prov",
             "roles": ["account-manager@c"]},
            {"id": "p1", "name": name, "title": name, "organization": "c", "influence": 4,
             "interest": 4, "roles": ["business-owner@c"],
             "authority": [{"scope": "budget", "over": "c"}]},
            {"id": "p2", "name": "Bob", "title": "IT", "organization": "c",
             "reports_to": "p1", "roles": ["system-owner@s"]}],
        "services": [{"id": "s", "name": name, "provider": "prov", "owners": ["am"],
                      "consumers": [{"customer": "c", "vital": True}]}],
        "meetings": [{"id": "m", "name": "QBR", "date": "2026-10-08", "type": "follow-up",
                      "attendees": ["am", "p1"]}],
        "relationships": [{"between": ["am", "p1"], "strength": 0.8,
                           "sentiment": "positive", "last_contact": "2026-10-01"}],
    }


def _write_portfolio(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "portfolio.yaml"
    path.write_text(yaml.safe_dump(_portfolio(name), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _ok(*args: Any, env: dict[str, str] | None = None) -> tuple[str, str]:
    code, out, err = _run(*args, env=env)
    assert code == 0, (args, code, err[-2000:])
    assert "Traceback" not in out + err
    return out, err


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value] + [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _round_trips(name: str, text: str) -> bool:
    return any(name in s for s in _strings(json.loads(text)))


def _md_html(text: str) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # only stakemap's escaping may stop a link
    return md.render(text)


def _assert_safe_markdown(text: str) -> None:
    rendered = _md_html(text).lower()
    assert "<script" not in rendered
    assert "<img" not in rendered
    assert 'href="javascript:' not in rendered


class _Html(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [value or "" for _, value in attrs]


def _assert_safe_html(text: str) -> None:
    parser = _Html()
    parser.feed(text)
    parser.close()
    assert "script" not in parser.tags
    assert not [a for a in parser.attrs if "javascript:" in a.lower()]


def _assert_no_control(*texts: str) -> None:
    for text in texts:
        for char in CONTROL:
            assert char not in text, repr(text[:500])


# -- 1. hostile names ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=[f"name{i:02d}" for i in
                                                     range(len(HOSTILE_NAMES))])
def test_hostile_name_through_every_command(tmp_path: Path, name: str) -> None:
    path = _write_portfolio(tmp_path, name)
    out, err = _ok("validate", path)
    _assert_no_control(out, err)
    out, err = _ok("show", path, "--format", "text")
    _assert_no_control(out, err)
    out, _ = _ok("show", path, "--format", "json")
    assert name in _strings(json.loads(out))  # the name round-trips exactly

    out, err = _ok("gaps", path, "--format", "table", "--fail-on", "never")
    _assert_no_control(out, err)
    out, _ = _ok("gaps", path, "--format", "json", "--fail-on", "never")
    assert _round_trips(name, out)
    out, _ = _ok("gaps", path, "--format", "markdown", "--fail-on", "never")
    _assert_safe_markdown(out)
    out, _ = _ok("gaps", path, "--format", "csv", "--fail-on", "never")
    for row in csv.reader(io.StringIO(out, newline="")):
        for cell in row:
            assert not cell.startswith(FORMULA_START), (cell[:100], row)

    for args in (("--customer", "c", "-o", tmp_path / "out.dot"),
                 ("-o", tmp_path / "overview.dot")):
        _ok("render", path, *args)
    assert (tmp_path / "out.dot").read_text(encoding="utf-8").lstrip().startswith(
        ("digraph", "graph", "strict"))

    _ok("report", path, "--customer", "c", "-o", tmp_path / "pack.md")
    _assert_safe_markdown((tmp_path / "pack.md").read_text(encoding="utf-8"))
    _ok("report", path, "--customer", "c", "-o", tmp_path / "pack.html")
    _assert_safe_html((tmp_path / "pack.html").read_text(encoding="utf-8"))


def test_show_json_round_trips_every_hostile_name(tmp_path: Path) -> None:
    for i, name in enumerate(HOSTILE_NAMES):
        path = _write_portfolio(tmp_path, name)
        out, _ = _ok("show", path, "--format", "json")
        assert name in _strings(json.loads(out)), i
        assert stakemap.read_portfolio(path) is not None


DOT_SAMPLE = [n for i, n in enumerate(HOSTILE_NAMES) if i % 4 == 0]


@pytest.mark.parametrize("name", DOT_SAMPLE, ids=[f"dot{i:02d}" for i in range(len(DOT_SAMPLE))])
def test_hostile_name_dot_renders_with_graphviz(tmp_path: Path, name: str) -> None:
    import graphviz

    path = _write_portfolio(tmp_path, name)
    for args in (("--customer", "c"), ()):
        out, _ = _ok("render", path, *args, "-o", "-")
        svg = graphviz.Source(out).pipe("svg").decode("utf-8")
        assert "href" not in svg
        _assert_safe_html(svg)  # javascript: may be text, never in an attribute


# -- 2. malformed portfolio files ---------------------------------------------------------------

HEAD = "stakemap: 1\norganizations:\n  - {id: prov, name: P, type: provider}\n"
CUST = HEAD + "  - {id: x, name: X, type: customer}\n"

MALFORMED: dict[str, str | bytes] = {
    "unknown-top-field": CUST + "colour: red\n",
    "unknown-org-field": HEAD + "  - {id: x, name: X, type: customer, colour: red}\n",
    "unknown-person-field": CUST + "people:\n  - {id: a, name: A, organization: x, age: 3}\n",
    "name-is-list": HEAD + "  - {id: x, name: [a, b], type: customer}\n",
    "name-is-mapping": HEAD + "  - {id: x, name: {a: b}, type: customer}\n",
    "id-is-number": HEAD + "  - {id: 5, name: X, type: customer}\n",
    "id-is-list": HEAD + "  - {id: [x], name: X, type: customer}\n",
    "people-is-mapping": CUST + "people: {a: b}\n",
    "organizations-is-text": "stakemap: 1\norganizations: nope\n",
    "influence-is-text": CUST + "people:\n  - {id: a, name: A, organization: x, influence: high}\n",
    "yaml11-no-type": HEAD + "  - {id: x, name: X, type: NO}\n",
    "yaml11-yes-name": HEAD + "  - {id: x, name: yes, type: customer}\n",
    "yaml11-off-phase": HEAD + "  - {id: x, name: X, type: customer, phase: off}\n",
    "bad-enum-type": HEAD + "  - {id: x, name: X, type: client}\n",
    "bad-version": "stakemap: 99\n",
    "version-text": "stakemap: one\n",
    "duplicate-id": CUST + "  - {id: x, name: Y, type: customer}\n",
    "duplicate-key": HEAD + "  - {id: x, id: y, name: X, type: customer}\n",
    "unknown-reference": CUST + "people:\n  - {id: a, name: A, organization: nowhere}\n",
    "unknown-reports-to": CUST + "people:\n  - {id: a, name: A, organization: x, "
                          "reports_to: ghost}\n",
    "wrong-kind-reference": CUST + "people:\n  - {id: a, name: A, organization: x}\n"
                            "  - {id: b, name: B, organization: a}\n",
    "unknown-role": CUST + "people:\n  - {id: a, name: A, organization: x, roles: [nope@x]}\n",
    "role-on-unknown-account": CUST + "people:\n  - {id: a, name: A, organization: prov, "
                               "roles: [account-manager@ghost]}\n",
    "reporting-cycle": CUST + "people:\n  - {id: a, name: A, organization: x, reports_to: b}\n"
                       "  - {id: b, name: B, organization: x, reports_to: a}\n",
    "self-report": CUST + "people:\n  - {id: a, name: A, organization: x, reports_to: a}\n",
    "parent-cycle": HEAD + "  - {id: x, name: X, type: customer, parent: y}\n"
                    "  - {id: y, name: Y, type: customer, parent: x}\n",
    "influence-9": CUST + "people:\n  - {id: a, name: A, organization: x, influence: 9}\n",
    "influence-negative": CUST + "people:\n  - {id: a, name: A, organization: x, "
                          "influence: -1}\n",
    "strength-2": CUST + "people:\n  - {id: a, name: A, organization: prov}\n"
                  "  - {id: b, name: B, organization: x}\n"
                  "relationships:\n  - {between: [a, b], strength: 2}\n",
    "date-13-45": CUST + "meetings:\n  - {id: m, name: M, date: 2026-13-45}\n",
    "date-text": CUST + "meetings:\n  - {id: m, name: M, date: tomorrow}\n",
    "role-dates-swapped": CUST + "people:\n  - id: a\n    name: A\n    organization: prov\n"
                          "    roles:\n      - {role: account-manager, account: x, "
                          "since: 2026-05-01, until: 2025-01-01}\n",
    "provider-as-consumer": HEAD + "services:\n  - {id: s, name: S, provider: prov, "
                            "consumers: [prov]}\n",
    "duplicate-custom-role": CUST + "roles:\n  - {id: r1, name: R, side: customer}\n"
                             "  - {id: r1, name: R, side: customer}\n",
    "empty": "",
    "only-comment": "# nothing here\n",
    "top-level-list": "- stakemap: 1\n",
    "top-level-scalar": "hello\n",
    "binary": b"\x00\x01\x02\xff\xfe\x00stakemap",
    "utf16-bom": "stakemap: 1\nname: X\n".encode("utf-16"),
    "not-utf8": b"stakemap: 1\nname: \xe9t\xe9\n",
    "very-long-line": "stakemap: 1\nname: [" + "a, " * 60_000 + "]\n",
    "deep-200": "stakemap: 1\nname: " + "[" * 200 + "]" * 200 + "\n",
    "alias-bomb": "stakemap: 1\n" + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                  + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
                            for i in range(1, 10)),
    "merge-key": "stakemap: 1\norganizations:\n  - &b {id: b, name: B, type: customer}\n"
                 "  - <<: *b\n    id: x\n",
    "broken-yaml": "stakemap: 1\norganizations: [\n",
    "tabs": "stakemap: 1\norganizations:\n\t- {id: x}\n",
    "prose": "This is not a portfolio, it is a letter.\nRegards\n",
}


def _problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if line and not line.startswith("... and ") and ": invalid (" not in line]


def _assert_refused(code: int, out: str, err: str, name: str) -> None:
    assert code == 2, (code, err[-2000:])
    assert "Traceback" not in out + err
    assert "internal error" not in err
    lines = _problem_lines(err)
    assert lines, err
    for line in lines:
        assert line.startswith(name), line


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_refused_by_every_command(tmp_path: Path, case: str) -> None:
    content = MALFORMED[case]
    path = tmp_path / f"{case}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    for args in (("validate", path), ("show", path), ("gaps", path),
                 ("render", path, "--customer", "x", "-o", tmp_path / "out.dot"),
                 ("report", path, "--customer", "x", "-o", tmp_path / "out.md")):
        _assert_refused(*_run(*args), str(path))
    assert not (tmp_path / "out.dot").exists()
    assert not (tmp_path / "out.md").exists()


# -- 3. hostile playbooks -----------------------------------------------------------------------

PLAYBOOKS: dict[str, str | bytes] = {
    "unknown-rule-type": "playbook: x\nrules:\n  - {id: r, type: no-such-rule}\n",
    "unknown-field": "playbook: x\nrules:\n  - {id: r, type: required-role, "
                     "role: account-manager, colour: red}\n",
    "unknown-top-field": "playbook: x\ncolour: red\nrules: []\n",
    "typo-role": "playbook: x\nrules:\n  - {id: r, type: required-role, role: acount-manager}\n",
    "typo-any-of": "playbook: x\nrules:\n  - {id: r, type: required-role, "
                   "any_of: [technical-lead, sales-enginer]}\n",
    "duplicate-ids": "playbook: x\nrules:\n  - {id: r, type: required-role, "
                     "role: account-manager}\n  - {id: r, type: required-role, "
                     "role: account-manager}\n",
    "days-1e9": "playbook: x\nrules:\n  - {id: r, type: stale-relationship, "
                "days: 1000000000}\n",
    "days-negative": "playbook: x\nrules:\n  - {id: r, type: stale-relationship, days: -5}\n",
    "days-text": "playbook: x\nrules:\n  - {id: r, type: stale-relationship, days: soon}\n",
    "id-is-list": "playbook: x\nrules:\n  - {id: [a, b], type: required-role, "
                  "role: account-manager}\n",
    "not-utf8": b"playbook: x\nrules:\n  - {id: r\xe9, type: required-role}\n",
    "extends-missing": "playbook: x\nextends: [missing-parent.yaml]\nrules: []\n",
    "extends-unknown-name": "playbook: x\nextends: [no-such-builtin]\nrules: []\n",
    "empty": "",
    "only-comment": "# nothing\n",
    "yaml11-bool-id": "playbook: x\nrules:\n  - {id: no, type: required-role, "
                      "role: account-manager}\n",
    "yaml11-bool-type": "playbook: x\nrules:\n  - {id: r, type: Off}\n",
    "rules-is-mapping": "playbook: x\nrules: {a: b}\n",
    "top-level-list": "- playbook: x\n",
    "binary": b"\x00\x01\xff\xfe",
    "deep": "playbook: x\nrules: " + "[" * 300 + "]" * 300 + "\n",
    "merge-key": "playbook: x\nrules:\n  - &a {id: r, type: required-role, "
                 "role: account-manager}\n  - <<: *a\n    id: q\n",
    "role-unknown-to-the-portfolio": "playbook: x\nrules:\n  - {id: r, type: required-role, "
                                     "role: chief-vibe-officer}\n",
    "2mib": "playbook: big\n" + "# padding padding padding\n" * 90_000,
}


@pytest.mark.parametrize("case", sorted([*PLAYBOOKS, "extends-loop"]))
def test_hostile_playbook_is_refused(tmp_path: Path, case: str) -> None:
    book = tmp_path / f"{case}.yaml"
    if case == "extends-loop":
        other = tmp_path / "other.yaml"
        other.write_text(f"playbook: other\nextends: [{book}]\nrules: []\n", encoding="utf-8")
        book.write_text(f"playbook: loop\nextends: [{other}]\nrules: []\n", encoding="utf-8")
    else:
        content = PLAYBOOKS[case]
        if isinstance(content, bytes):
            book.write_bytes(content)
        else:
            book.write_text(content, encoding="utf-8")
    for args in (("gaps", EXAMPLE, "--playbook", book),
                 ("report", EXAMPLE, "--customer", "northwind", "--playbook", book,
                  "-o", tmp_path / "x.md")):
        code, out, err = _run(*args)
        assert code == 2, (args[0], code, err[-2000:])
        assert "Traceback" not in out + err
        assert "internal error" not in err
        assert book.name in err or "other.yaml" in err, err
    assert not (tmp_path / "x.md").exists()


# -- 4. paths and outputs -----------------------------------------------------------------------


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A copy of the example portfolio in a fresh folder."""
    (tmp_path / "in.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def _writer(command: str, work: Path, output: Path | str) -> tuple[str, ...]:
    source = work / "in.yaml"
    return {"render": ("render", source, "--customer", "northwind", "-o", output),
            "report": ("report", source, "--customer", "northwind", "-o", output),
            "generate": ("generate", "--customers", "1", "-o", output)}[command]


def _refused(args: tuple[Any, ...], *phrases: str) -> str:
    code, out, err = _run(*args)
    assert code == 2, (args, code, err[-2000:])
    assert "Traceback" not in out + err
    assert "internal error" not in err
    for phrase in phrases:
        assert phrase in err, err
    return err


OUTPUT_NAMES = {"render": "d.dot", "report": "p.md", "generate": "g.yaml"}


@pytest.mark.parametrize("command", sorted(OUTPUT_NAMES))
def test_output_into_a_missing_folder(work: Path, command: str) -> None:
    target = work / "missing" / OUTPUT_NAMES[command]
    _refused(_writer(command, work, target), "does not exist")
    assert not (work / "missing").exists()


@pytest.mark.parametrize("command", ["render", "report"])
@pytest.mark.parametrize("suffix", [".dot", ".md", ".yaml"])
def test_output_equal_to_input(work: Path, command: str, suffix: str) -> None:
    source = work / f"in{suffix}"
    source.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = source.read_bytes()
    args = (command, source, "--customer", "northwind", "-o", source)
    _refused(args, "input")
    assert source.read_bytes() == before


@pytest.mark.parametrize("command", sorted(OUTPUT_NAMES))
def test_output_is_a_directory(work: Path, command: str) -> None:
    (work / "folder").mkdir()
    _refused(_writer(command, work, work / "folder"))
    assert (work / "folder").is_dir()


@pytest.mark.parametrize("command", sorted(OUTPUT_NAMES))
def test_output_through_a_symlink(work: Path, command: str) -> None:
    (work / "real").mkdir()
    target = work / "real" / OUTPUT_NAMES[command]
    link = work / f"link-{OUTPUT_NAMES[command]}"
    link.symlink_to(target)
    _ok(*_writer(command, work, link))
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(("command", "start"), [("render", "digraph"), ("report", "#"),
                                                ("generate", "stakemap:")])
def test_output_to_stdout(work: Path, command: str, start: str) -> None:
    out, _ = _ok(*_writer(command, work, "-"))
    assert start in out[:2000]
    assert sorted(p.name for p in work.iterdir()) == ["in.yaml"]


@pytest.mark.parametrize("name", ["with space.dot", "naïve 李娜.md", "-x.dot", "-x.md",
                                  "--help.dot", "🙂.yaml"])
def test_odd_output_names(work: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    command = {".dot": "render", ".md": "report", ".yaml": "generate"}[Path(name).suffix]
    monkeypatch.chdir(work)
    _ok(*_writer(command, work, f"./{name}"))
    assert (work / name).read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(("command", "name", "phrase"), [
    ("render", "x.txt", "svg, png, pdf, dot"), ("render", "x.jpeg", "svg, png, pdf, dot"),
    ("render", "x", "no extension"), ("generate", "x.txt", ".yaml, .yml or .json"),
    ("generate", "x", ".yaml, .yml or .json"),
    ("report", "x.txt", ".html, .md or .pdf"), ("report", "x.svg", ".html, .md or .pdf")])
def test_unknown_output_extension(work: Path, command: str, name: str, phrase: str) -> None:
    _refused(_writer(command, work, work / name), phrase)
    assert not (work / name).exists()


READERS = [("validate",), ("show",), ("gaps",), ("render", "-o", "OUT"),
           ("report", "--customer", "northwind", "-o", "OUT")]


def _reader_args(reader: tuple[str, ...], source: Path | str, work: Path) -> list[Any]:
    command, *rest = reader
    return [command, source, *[work / "out.md" if r == "OUT" and command == "report"
                               else work / "out.dot" if r == "OUT" else r for r in rest]]


@pytest.mark.parametrize("reader", READERS, ids=[r[0] for r in READERS])
@pytest.mark.parametrize("kind", ["directory", "missing"])
def test_bad_input_path(work: Path, reader: tuple[str, ...], kind: str) -> None:
    source = work / ("folder" if kind == "directory" else "nope.yaml")
    if kind == "directory":
        source.mkdir()
    _refused(tuple(_reader_args(reader, source, work)))
    assert not (work / "out.dot").exists()
    assert not (work / "out.md").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
@pytest.mark.parametrize("reader", READERS, ids=[r[0] for r in READERS])
def test_a_fifo_input_does_not_block(work: Path, reader: tuple[str, ...]) -> None:
    fifo = work / "pipe.yaml"
    os.mkfifo(fifo)
    args = [str(a) for a in _reader_args(reader, fifo, work)]
    result = subprocess.run([str(EXE), *args], capture_output=True, text=True, check=False,
                            timeout=30)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "named pipe" in result.stderr
    assert not (work / "out.dot").exists()


# -- 5. API misuse ------------------------------------------------------------------------------


def _graph() -> Any:
    return stakemap.load_portfolio(EXAMPLE)


API_MISUSES: dict[str, Any] = {
    "diagram-unknown-customer": lambda g, t: stakemap.diagram(g, customer="nope"),
    "diagram-provider-as-customer": lambda g, t: stakemap.diagram(g, customer="bluepeak"),
    "diagram-unknown-playbook": lambda g, t: stakemap.diagram(g, playbook="nope"),
    "diagram-save-txt": lambda g, t: stakemap.diagram(g, customer="northwind").save(
        t / "x.txt"),
    "diagram-save-missing-folder": lambda g, t: stakemap.diagram(
        g, customer="northwind").save(t / "no" / "x.dot"),
    "pack-unknown-customer": lambda g, t: stakemap.review_pack(g, customer="nope"),
    "pack-person-as-customer": lambda g, t: stakemap.review_pack(g, customer="li-na"),
    "pack-save-txt": lambda g, t: stakemap.review_pack(g, customer="northwind").save(
        t / "x.txt"),
    "pack-text-pdf": lambda g, t: stakemap.review_pack(g, customer="northwind").text("pdf"),
    "load-playbook-unknown": lambda g, t: stakemap.load_playbook("no-such"),
    "resolve-playbooks-unknown": lambda g, t: stakemap.resolve_playbooks(["no-such"]),
    "playbook-source-unknown": lambda g, t: stakemap.playbook_source("no-such"),
    "find-gaps-unknown-customer": lambda g, t: stakemap.find_gaps(g, customers=["nope"]),
    "find-gaps-unknown-only": lambda g, t: stakemap.find_gaps(g, only=["nope"]),
    "find-gaps-as-of-int": lambda g, t: stakemap.find_gaps(g, as_of=20261101),
    "read-portfolio-missing": lambda g, t: stakemap.read_portfolio(t / "nope.yaml"),
    "read-portfolio-directory": lambda g, t: stakemap.read_portfolio(t),
    "connect-ftp": lambda g, t: stakemap.connect("ftp://x"),
    "check-not-input": lambda g, t: stakemap.check_not_input(EXAMPLE, [EXAMPLE]),
    "save-portfolio-missing-folder": lambda g, t: stakemap.save_portfolio(
        g, t / "no" / "x.yaml"),
    "save-portfolio-txt": lambda g, t: stakemap.save_portfolio(g, t / "x.txt"),
    "save-portfolio-no-extension": lambda g, t: stakemap.save_portfolio(g, t / "x"),
    "diagram-unknown-engine": lambda g, t: stakemap.diagram(g, customer="northwind",
                                                            engine="nope"),
    "diagram-save-no-extension": lambda g, t: stakemap.diagram(
        g, customer="northwind").save(t / "x"),
    "generator-no-customers": lambda g, t: stakemap.GeneratorSpec(customers=0),
    "generator-customers-text": lambda g, t: stakemap.GeneratorSpec(customers="3"),
    "agreement-parties-number": lambda g, t: g.add_agreement("ag-x", "A", parties=5),
    "meeting-attendees-none": lambda g, t: g.add_meeting("m-x", "M", on=date(2026, 1, 5),
                                                               attendees=None),
}


@pytest.mark.parametrize("case", sorted(API_MISUSES))
def test_api_misuse_is_a_stakemap_error(tmp_path: Path, case: str) -> None:
    with pytest.raises(stakemap.StakemapError) as caught:
        API_MISUSES[case](_graph(), tmp_path)
    assert str(caught.value).strip()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- 6. the store -------------------------------------------------------------------------------

STORE_NAMES = [HOSTILE_NAMES[i] for i in (0, 3, 9, 11, 18, 33, 35, 37, 48, 51, 55, 59, 61, 62)]


@pytest.mark.neo4j
@pytest.mark.parametrize("name", STORE_NAMES, ids=[f"store{i:02d}" for i in
                                                   range(len(STORE_NAMES))])
def test_hostile_names_round_trip_through_the_store(tmp_path: Path, neo4j_store: Any,
                                                    name: str) -> None:
    path = _write_portfolio(tmp_path, name)
    env = neo4j_test_env()
    url = neo4j_test_url()
    _ok("import", path, "--store", url, env=env)
    from_file, _ = _ok("gaps", path, "--format", "json", "--fail-on", "never",
                       "--as-of", "2026-11-01")
    from_store, _ = _ok("gaps", "--store", url, "--format", "json", "--fail-on", "never",
                        "--as-of", "2026-11-01", env=env)
    assert json.loads(from_store) == json.loads(from_file)
    _ok("export", "--store", url, "-o", tmp_path / "out.yaml", env=env)
    back = stakemap.read_portfolio(tmp_path / "out.yaml")
    names = {getattr(node, "name", None) for node in back.nodes}
    titles = {getattr(node, "title", None) for node in back.nodes}
    assert name in names
    assert name in titles


@pytest.mark.neo4j
def test_malformed_files_are_refused_by_import_and_leave_the_store_as_it_was(
        tmp_path: Path, neo4j_store: Any) -> None:
    """Every malformed portfolio through ``import --store``: exit 2, every problem located in
    the file, and not one row written (the store holds exactly the example before and
    after)."""
    env, url = neo4j_test_env(), neo4j_test_url()
    _ok("import", EXAMPLE, "--store", url, env=env)
    before = neo4j_store.export()
    for case, content in sorted(MALFORMED.items()):
        path = tmp_path / f"{case}.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        _assert_refused(*_run("import", path, "--store", url, env=env), str(path))
    assert neo4j_store.export() == before


@pytest.mark.neo4j
def test_hostile_playbooks_are_refused_against_the_store(tmp_path: Path,
                                                         neo4j_store: Any) -> None:
    """The hostile playbooks against a Neo4j store: refused before any Cypher runs, named."""
    env, url = neo4j_test_env(), neo4j_test_url()
    _ok("import", EXAMPLE, "--store", url, env=env)
    for case, content in sorted(PLAYBOOKS.items()):
        book = tmp_path / f"{case}.yaml"
        if isinstance(content, bytes):
            book.write_bytes(content)
        else:
            book.write_text(content, encoding="utf-8")
        code, out, err = _run("gaps", "--store", url, "--playbook", book, env=env)
        assert code == 2, (case, code, err[-2000:])
        assert "Traceback" not in out + err
        assert book.name in err, (case, err)
