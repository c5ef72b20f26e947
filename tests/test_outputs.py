"""Writing files and reporting failures: the atomic writer, one-line errors and exit codes,
and terminal tables that show user text as text.

Every way a write can fail is tested through the real command where the failure can be made
real (a missing folder, a read-only folder, a file-size limit, an input as the output), each
checking the exit code, the single line on stderr, that the folder holds nothing new (no
temporary file either) and that an existing target is byte-for-byte unchanged. Outputs are
``.dot``, ``.md`` and ``.yaml`` so no test needs Graphviz.
"""

from __future__ import annotations

import errno
import io
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console
from stakemap_cli.app import cli
from stakemap_cli.tables import plain_table, print_gaps, print_rich

import stakemap
from stakemap.atomic_write import write_atomic
from stakemap.errors import OutputError, StakemapError
from stakemap.files.load import read_portfolio
from stakemap.files.save import write_portfolio
from stakemap.render import render, report
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "msp-operations.yaml"
STAKEMAP = Path(sys.executable).with_name("stakemap")
OLD = b"the old file, which a failed write must leave alone\n" * 80  # 4 KB
TEMP_NAME = re.compile(r"^\..*(\.tmp|partial)$")

# One command of each kind that writes a file: diagram, review pack, portfolio.
WRITERS = {
    "render": ("x.dot", ["render", "in.yaml", "--customer", "northwind", "--as-of", "2026-11-01"]),
    "report": ("x.md", ["report", "in.yaml", "--customer", "northwind", "--as-of", "2026-11-01"]),
    "generate": ("x.yaml", ["generate", "--customers", "1", "--seed", "1"]),
}


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder holding a copy of the example as ``in.yaml``; commands run inside it, so
    messages show the relative paths a user would type."""
    shutil.copyfile(EXAMPLE, tmp_path / "in.yaml")
    return tmp_path


def stakemap_cmd(cwd: Path, *args: str, prefix: tuple[str, ...] = (),
                 limit_file_size: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``stakemap`` in ``cwd``. Output goes to pipes, never to files: a
    file-size limit would apply to a captured stderr file as well."""

    def limit() -> None:
        if limit_file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))
            # without this the kernel kills the writer; ignored, the write fails with EFBIG
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    return subprocess.run([*prefix, str(STAKEMAP), *args], cwd=cwd, capture_output=True,
                          text=True, check=False, preexec_fn=limit)


def listing(folder: Path) -> dict[str, bytes | str]:
    """Everything under ``folder``: file contents, link targets, and folders."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[name] = "<folder>"
        else:
            found[name] = path.read_bytes()
    return found


def assert_one_line(result: subprocess.CompletedProcess[str], code: int, line: str) -> None:
    assert (result.returncode, result.stderr.splitlines()) == (code, [line]), result.stderr
    assert "Traceback" not in result.stderr


def assert_no_temp_files(folder: Path) -> None:
    leftovers = [p.name for p in folder.rglob(".*") if TEMP_NAME.match(p.name)]
    assert leftovers == []


# --- (a) a missing folder --------------------------------------------------------------


@pytest.mark.parametrize("command", WRITERS)
def test_missing_folder_is_one_line_and_writes_nothing(work: Path, command: str) -> None:
    name, argv = WRITERS[command]
    before = listing(work)
    result = stakemap_cmd(work, *argv, "-o", f"missing/{name}")
    assert_one_line(result, 2, f"stakemap: error: cannot write missing/{name}: "
                               "folder 'missing' does not exist; create it first")
    assert listing(work) == before


def test_write_portfolio_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "p.yaml"
    with pytest.raises(OutputError) as caught:
        write_portfolio(read_portfolio(EXAMPLE), target)
    assert str(caught.value) == (f"cannot write {target}: folder '{target.parent}' does not "
                                 "exist; create it first")
    assert isinstance(caught.value.__cause__, FileNotFoundError)
    assert caught.value.errno == errno.ENOENT
    assert caught.value.filename == str(target)
    assert listing(tmp_path) == {}


# --- (b) a read-only folder ------------------------------------------------------------


def unprivileged() -> tuple[str, ...]:
    """A command prefix under which file modes apply to the command.

    Root ignores them (CAP_DAC_OVERRIDE), and CI runs the tests as root. Switching to
    ``nobody`` is no use where the interpreter lives in root's private home, so the command
    stays uid 0 but loses, via util-linux's ``setpriv``, the capabilities that override file
    modes: to it a 0555 folder is read-only, as to any user.
    """
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    assert setpriv, ("the tests run as root, and the read-only-folder tests need setpriv "
                     "(util-linux) to make root obey file modes: apt-get install util-linux")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")


@pytest.fixture
def read_only(work: Path) -> Iterator[Path]:
    folder = work / "ro"
    folder.mkdir()
    for name, _ in WRITERS.values():
        (folder / name).write_bytes(OLD)
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


@pytest.mark.parametrize("command", WRITERS)
def test_read_only_folder_is_one_line_and_keeps_the_old_file(
        work: Path, read_only: Path, command: str) -> None:
    name, argv = WRITERS[command]
    before = listing(work)
    result = stakemap_cmd(work, *argv, "-o", f"ro/{name}", prefix=unprivileged())
    assert_one_line(result, 2, f"stakemap: error: cannot write ro/{name}: permission denied "
                               "in folder 'ro'; choose a folder you can write to")
    assert listing(work) == before
    assert (read_only / name).read_bytes() == OLD


# --- (c) the output is an input ----------------------------------------------------------


@pytest.mark.parametrize("command", ["render", "report"])
@pytest.mark.parametrize("output", ["in.yaml", "./in.yaml", "alias.yaml"])
def test_an_input_as_output_is_refused(work: Path, command: str, output: str) -> None:
    (work / "alias.yaml").symlink_to("in.yaml")
    before = listing(work)
    result = stakemap_cmd(work, *WRITERS[command][1], "-o", output)
    assert_one_line(result, 2, f"stakemap: error: refusing to write {output}: it is an input "
                               "of this command; choose another output file")
    assert listing(work) == before


def test_a_playbook_file_as_output_is_refused(work: Path) -> None:
    (work / "book.yaml").write_text("playbook: mine\nextends: [default]\n", encoding="utf-8")
    before = listing(work)
    result = stakemap_cmd(work, *WRITERS["report"][1], "--playbook", "book.yaml",
                          "-o", "book.yaml")
    assert_one_line(result, 2, "stakemap: error: refusing to write book.yaml: it is an input "
                               "of this command; choose another output file")
    assert listing(work) == before


def test_the_api_refuses_an_input_as_output(tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    shutil.copyfile(EXAMPLE, source)
    portfolio = read_portfolio(source)
    graph = stakemap.load_portfolio(source)
    diagram = render(graph, customer="northwind", as_of=date(2026, 11, 1))
    pack = report(graph, customer="northwind", as_of=date(2026, 11, 1))
    for save in (lambda: write_portfolio(portfolio, source, inputs=[source]),
                 lambda: diagram.save(source, "dot", inputs=[source]),
                 lambda: pack.save(source, "markdown", inputs=[source])):
        with pytest.raises(OutputError, match="it is an input of this command"):
            save()
    hard_link = tmp_path / "hard.yaml"
    os.link(source, hard_link)
    with pytest.raises(OutputError, match="refusing to write"):
        write_portfolio(portfolio, hard_link, inputs=[source])
    assert source.read_bytes() == EXAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.yaml", "in.yaml"]


# --- (d) a file too large / no space ---------------------------------------------------


@pytest.mark.parametrize("command", WRITERS)
def test_file_size_limit_is_one_line_and_keeps_the_old_file(work: Path, command: str) -> None:
    name, argv = WRITERS[command]
    (work / name).write_bytes(OLD)
    before = listing(work)
    result = stakemap_cmd(work, *argv, "-o", name, limit_file_size=1024)
    assert_one_line(result, 2, f"stakemap: error: cannot write {name}: file too large (over "
                               "the file-size limit); raise the limit or write a smaller file "
                               "(the old file is unchanged)")
    assert listing(work) == before


@pytest.mark.parametrize(("code", "reason"), [
    (errno.ENOSPC, "no space left on device; free some space"),
    (errno.EDQUOT, "disk quota exceeded; free some space"),
])
def test_disk_full_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      code: int, reason: str) -> None:
    """A full disk cannot be made here without mounting one; fsync is where a full disk
    usually shows (delayed allocation), so fail there with the real errno."""
    target = tmp_path / "x.svg"
    target.write_bytes(OLD)

    def full(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError) as caught:
        write_atomic(target, b"new")
    assert str(caught.value) == f"cannot write {target}: {reason} (the old file is unchanged)"
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["x.svg"]


# --- (e) a crash inside a command -------------------------------------------------------


def _crash(exc: BaseException) -> object:
    def raiser(*_: object, **__: object) -> object:
        raise exc
    return raiser


def test_a_crash_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stakemap.RoleCatalog",
                        _crash(RuntimeError("boom\nsecond line")))
    result = CliRunner().invoke(cli, ["roles"])
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "stakemap: internal error: RuntimeError: boom; this is a bug, please report it "
        "(run again with --debug for the traceback)"]


@pytest.mark.parametrize(("argv", "env"), [(["--debug", "roles"], {}),
                                           (["roles"], {"STAKEMAP_DEBUG": "1"})])
def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, argv: list[str],
                                   env: dict[str, str]) -> None:
    monkeypatch.setattr("stakemap.RoleCatalog", _crash(RuntimeError("boom")))
    result = CliRunner(env=env).invoke(cli, argv)
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert 'in roles\n' in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "stakemap: internal error: RuntimeError: boom; this is a bug, please report it with "
        "the traceback above")


def test_debug_shows_the_traceback_of_a_stakemap_error_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--debug", "generate", "-o", str(tmp_path / "no/x.yaml")])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert "FileNotFoundError" in result.stderr  # the cause is chained
    assert result.stderr.splitlines()[-1].startswith("stakemap: error: cannot write ")


class ThirdPartyError(Exception):
    """An exception from outside the builtins, with no message."""


def test_a_crash_names_a_non_builtin_exception_by_module(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stakemap.RoleCatalog", _crash(ThirdPartyError()))
    result = CliRunner().invoke(cli, ["roles"])
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "stakemap: internal error: tests.test_outputs.ThirdPartyError; this is a bug")


def test_ctrl_c_exits_130_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stakemap.RoleCatalog", _crash(KeyboardInterrupt()))
    result = CliRunner().invoke(cli, ["roles"])
    assert (result.exit_code, result.stderr) == (130, "")


def test_findings_still_exit_1_and_usage_errors_2() -> None:
    assert CliRunner().invoke(cli, ["gaps", str(EXAMPLE), "--as-of", "2026-11-01"]).exit_code == 1
    assert CliRunner().invoke(cli, ["render", "--no-such-option"]).exit_code == 2


# --- (f) a symlinked target -------------------------------------------------------------


@pytest.mark.parametrize("command", WRITERS)
def test_a_symlinked_target_stays_a_link(work: Path, command: str) -> None:
    name, argv = WRITERS[command]
    (work / "real").mkdir()
    (work / "real" / name).write_bytes(OLD)
    (work / name).symlink_to(Path("real") / name)
    result = stakemap_cmd(work, *argv, "-o", name)
    assert result.returncode == 0, result.stderr
    assert (work / name).is_symlink()
    assert os.readlink(work / name) == str(Path("real") / name)
    written = (work / "real" / name).read_bytes()
    assert written != OLD
    assert written.startswith({"render": b"digraph", "report": b"# ",
                               "generate": b"stakemap: 2"}[command])
    assert sorted(listing(work)) == sorted(["in.yaml", name, "real", f"real/{name}"])


# --- the writer itself ------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_file_gets_the_mode_open_would_give(tmp_path: Path, umask_022: None) -> None:
    target = write_atomic(tmp_path / "new.txt", "héllo\n")
    assert target == tmp_path / "new.txt"
    assert target.read_bytes() == "héllo\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_bytes(OLD)
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert (target.read_bytes(), stat.S_IMODE(target.stat().st_mode)) == (b"new", 0o640)


@pytest.mark.parametrize("failure", [OSError(errno.EIO, "I/O error"), KeyboardInterrupt()])
def test_a_failed_replace_removes_the_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException) -> None:
    target = tmp_path / "x.yaml"
    target.write_bytes(OLD)
    temps: list[str] = []

    def broken_replace(src: str, dst: object) -> None:
        temps.append(src)
        assert Path(src).read_bytes() == b"new"  # the data was complete before the swap
        raise failure

    monkeypatch.setattr(os, "replace", broken_replace)
    expected = OutputError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as caught:
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]
    assert len(temps) == 1
    assert temps[0] != str(target)
    if isinstance(failure, OSError):
        assert str(caught.value) == (f"cannot write {target}: I/O error (the old file is "
                                     "unchanged)")
        assert caught.value.__cause__ is failure
        assert temps[0] not in str(caught.value)  # the user's path, never the temp file


def test_errors_are_stakemap_and_os_errors(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="it is a folder") as caught:
        write_atomic(tmp_path, b"x")
    assert isinstance(caught.value, StakemapError)
    assert str(caught.value) == f"cannot write {tmp_path}: it is a folder; give a file name"


def test_a_dangling_link_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to("made.txt")
    write_atomic(tmp_path / "link", b"x")
    assert (tmp_path / "link").is_symlink()
    assert (tmp_path / "made.txt").read_bytes() == b"x"


# --- terminal tables: user text is text, never markup -----------------------------------


HOSTILE = {"Northwind Logistics": "Acme [legacy]", "Backup & Recovery": '"[red]x[/red]"',
           "name: Bluepeak / Acme [legacy]": 'name: "[/bold]"'}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        text = text.replace(old, new)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def recording_console() -> Console:
    """A console that thinks it is a colour terminal, writing to a string."""
    return Console(file=io.StringIO(), force_terminal=True, color_system="standard",
                   width=200, record=True)


def test_show_on_a_terminal_prints_names_literally(hostile: Path) -> None:
    from stakemap.analysis.summary import summarize

    console = recording_console()
    print_rich(summarize(read_portfolio(hostile)), console=console)
    text = console.export_text()
    assert text.splitlines()[0] == "[/bold]"
    assert "Acme [legacy]" in text
    assert "[red]x[/red]" in text


def test_show_table_through_the_command_does_not_crash(hostile: Path) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        cli, ["show", "--format", "table", str(hostile)])
    assert result.exit_code == 0, result.stderr
    assert "Acme [legacy]" in result.stdout
    assert "[/bold]" in result.stdout


def test_gaps_on_a_terminal_prints_names_literally_and_styles_severity(hostile: Path) -> None:
    report = stakemap.find_gaps(stakemap.load_portfolio(hostile), playbook="msp-account-team",
                                as_of=date(2026, 11, 1))
    console = recording_console()
    print_gaps(report, rich=True, console=console)
    text = console.export_text(clear=False)
    assert "Acme [legacy] has no active Executive Sponsor" in text
    assert "service [red]x[/red]" in text
    assert "\x1b[31mhigh" in console.export_text(styles=True)


def test_plain_table_lines_up_cjk_names_in_cells() -> None:
    out = plain_table(["name", "title", "n"],
                      [("李娜 (Li Na)", "CFO", 1), ("Omar Haddad", "IT-Leiter", 22)])
    lines = out.splitlines()
    assert lines == ["name          title       n",
                     "李娜 (Li Na)  CFO         1",
                     "Omar Haddad   IT-Leiter  22"]
    starts = {cell_len(line[:line.index(word)])
              for line, word in zip(lines, ["title", "CFO", "IT-Leiter"], strict=True)}
    assert starts == {14}


def test_an_output_error_is_also_the_builtin_error_it_replaces(tmp_path: Path) -> None:
    """Code that caught ``PermissionError`` or ``FileNotFoundError`` from a save before
    stakemap translated them keeps working."""
    with pytest.raises(FileNotFoundError) as missing:
        write_atomic(tmp_path / "no" / "x", b"x")
    with pytest.raises(IsADirectoryError) as folder:
        write_atomic(tmp_path, b"x")
    for caught in (missing, folder):
        assert isinstance(caught.value, OutputError)
        assert str(caught.value).startswith("cannot write ")
