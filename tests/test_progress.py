"""Progress bars: drawn on a terminal for big jobs, never in a pipe or for small ones."""

from __future__ import annotations

import io

import pytest
from stakemap_cli.progress import progress_bar


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
