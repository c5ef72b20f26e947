"""Progress bars: drawn on a terminal for big jobs, never in a pipe or for small ones."""

from __future__ import annotations

import io

import pytest
from stakemap_cli.progress import progress_bar

from stakemap.backends import GraphStore


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("tty", "rows", "drawn"), [
    (True, 10_000, True), (False, 10_000, False), (True, 100, False)])
def test_bar_only_on_a_terminal_for_big_jobs(monkeypatch: pytest.MonkeyPatch, tty: bool,
                                             rows: int, drawn: bool) -> None:
    err = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    with progress_bar("importing big.yaml", rows) as advance:
        advance(rows // 2, rows)
        advance(rows, rows)
    assert ("importing big.yaml" in err.getvalue()) is drawn


def test_working_bar_waits_half_a_second_and_never_draws_in_a_pipe(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from stakemap_cli.progress import working

    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    with working("checking rules") as advance:
        advance(1, 19)  # too soon: a quick report stays clean
    assert "checking rules" not in err.getvalue()
    with working("checking rules") as advance:
        time.sleep(0.6)
        advance(5, 19)
        advance(10, 19)
    assert "checking rules" in err.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    with working("checking rules") as advance:
        time.sleep(0.6)
        advance(5, 19)
    assert piped.getvalue() == ""


def test_find_gaps_reports_progress_per_rule(store: GraphStore) -> None:
    import stakemap
    from tests.conftest import ROOT

    calls: list[tuple[int, int]] = []
    example = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml").snapshot()
    graph = stakemap.StakeholderGraph.from_portfolio(example, store)
    stakemap.find_gaps(graph, playbook="msp-account-team", progress=lambda d, t: calls.append(
        (d, t)))
    total = calls[-1][1]
    assert total > 10
    assert calls == [(i, total) for i in range(1, total + 1)]
