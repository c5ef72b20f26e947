"""Plain-text tables for pipes and files: aligned columns, no colour, no box drawing.

The CLI uses rich on a terminal; anything piped gets this, so ``grep`` and ``awk`` work.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["plain_table"]


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns separated by two spaces, padded to the widest cell; numbers right-aligned."""
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(r[i], int | float) for r in rows) and bool(rows)
               for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric,
                                                                          strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
