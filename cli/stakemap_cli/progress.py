"""Progress bars for long commands: drawn on a terminal, silent when output is piped."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[[int, int], None]


@contextmanager
def progress_bar(description: str, total: int, *, min_rows: int = 2_000) -> Iterator[Advance]:
    """Yield ``advance(done, total)``. A bar appears only on a terminal and for big jobs,
    because a bar that flashes for 50 ms is noise and one in a CI log is garbage."""
    if total < min_rows or not sys.stderr.isatty():
        yield _ignore
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _ignore(done: int, total: int) -> None:
    """No bar: nothing to draw."""
