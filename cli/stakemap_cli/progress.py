"""Progress bars for long commands: drawn on a terminal, silent when output is piped."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

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


@contextmanager
def working(description: str) -> Iterator[Advance]:
    """For jobs whose size is known only once they run (a gap report, an export): yields
    ``advance(done, total)``; on a terminal a bar shows once the job has run for half a
    second, so quick runs stay clean. Silent in a pipe."""
    if not sys.stderr.isatty():
        yield _ignore
        return
    import time

    started = time.monotonic()
    shown: list[Any] = []  # the Progress and its task, once drawn

    def advance(done: int, total: int) -> None:
        if not shown:
            if time.monotonic() - started < 0.5 or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           console=Console(stderr=True), transient=True)
            bar.start()
            shown.extend([bar, bar.add_task(description, total=total)])
        shown[0].update(shown[1], completed=done, total=total)

    try:
        yield advance
    finally:
        if shown:
            shown[0].stop()
