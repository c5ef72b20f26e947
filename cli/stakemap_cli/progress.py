"""Progress bars for long commands: drawn on a terminal, silent when output is piped."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

Advance = Callable[[int, int], None]


@contextmanager
def progress_bar(description: str, total: int, *, min_rows: int = 2_000,
                 delay: float = 0.0) -> Iterator[Advance]:
    """Yield ``advance(done, total)``. A bar appears only on a terminal, for jobs of at least
    ``min_rows``, and only once the job has run ``delay`` seconds without finishing, because
    a bar that flashes for 50 ms is noise and one in a CI log is garbage."""
    if total < min_rows or not sys.stderr.isatty():
        yield _ignore
        return
    started = time.monotonic()
    shown: list[Any] = []  # the rich Progress and its task, once drawn

    def advance(done: int, total: int) -> None:
        if not shown:
            if time.monotonic() - started < delay or (delay and done >= total):
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            bar.start()
            shown.extend([bar, bar.add_task(description, total=total)])
        shown[0].update(shown[1], completed=done, total=total)

    try:
        yield advance
    finally:
        if shown:
            shown[0].stop()


def working(description: str) -> AbstractContextManager[Advance]:
    """A bar for jobs whose size is known only once they run (a gap report): it shows after
    half a second, so quick runs stay clean."""
    return progress_bar(description, 0, min_rows=0, delay=0.5)


def _ignore(done: int, total: int) -> None:
    """No bar: nothing to draw."""
