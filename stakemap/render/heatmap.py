"""The portfolio as a heatmap: one row per account, worst first; one column per coverage
dimension of the score; each cell coloured by its value; and the account's top action.

A node-link overview of 1,000 accounts is a strip of identical boxes; a table reads at any
size, sorts the accounts that need attention to the top, and shows *why* (which dimension
is weak) and *what to do* (the top action) in one line each. Drawn as one Graphviz node
with an HTML-like table, so it goes to SVG, PNG and PDF like every other picture, and its
DOT text is what the tests read.
"""

from __future__ import annotations

import itertools

from stakemap.analysis.gaps import GapReport
from stakemap.escape import dot_html, dot_string
from stakemap.render.dot import FONT
from stakemap.rules.base import DIMENSIONS

__all__ = ["ACTION_CHARS", "heat_colour", "heatmap_dot"]

ACTION_CHARS = 90
"""The top action is cut to this many characters (the whole text is in the cell's
tooltip): a row stays one line at any portfolio size."""

_SCALE = ((0, (0xd7, 0x30, 0x27)), (50, (0xfe, 0xe0, 0x8b)), (100, (0x1a, 0x98, 0x50)))
"""Red at 0, yellow at 50, green at 100 (ColorBrewer RdYlGn ends and middle)."""


def heat_colour(value: int) -> str:
    """The fill of a 0-100 value: interpolated on red-yellow-green."""
    v = min(100, max(0, value))
    (a, ca), (b, cb) = next((lo, hi) for lo, hi in itertools.pairwise(_SCALE)
                            if v <= hi[0])
    t = (v - a) / (b - a)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def _text_colour(value: int) -> str:
    """White on the dark ends of the scale, near-black in the light middle."""
    return "#ffffff" if value < 20 or value > 85 else "#1a1a1a"


def heatmap_dot(report: GapReport) -> str:
    """The heatmap of ``report``'s accounts (see the module)."""
    scores = sorted(report.scores, key=lambda s: (s.score, s.name.casefold(), s.customer))
    head = ["account", "score", *(d.value for d in DIMENSIONS), "top action"]
    rows = ['<TR>' + "".join(f'<TD BGCOLOR="#eceff1"><B>{dot_html(h)}</B></TD>' for h in head)
            + "</TR>"]
    for s in scores:
        cells = [f'<TD ALIGN="LEFT" TOOLTIP="{dot_html(s.customer)}">{dot_html(s.name)}</TD>',
                 _cell(s.score, bold=True)]
        cells += [_cell(s.dimensions[d.value]) if d.value in s.dimensions
                  else '<TD BGCOLOR="#f5f5f5"><FONT COLOR="#9e9e9e">-</FONT></TD>'
                  for d in DIMENSIONS]
        top = report.top_actions(s.customer, 1)
        action = top[0].remediation if top else "nothing to do"
        shown = action if len(action) <= ACTION_CHARS else action[:ACTION_CHARS - 1] + "…"
        cells.append(f'<TD ALIGN="LEFT" TOOLTIP="{dot_html(action)}">{dot_html(shown)}</TD>')
        rows.append("<TR>" + "".join(cells) + "</TR>")
    title = (f"Coverage by account, worst first ({len(scores)} accounts; playbook "
             f"{report.playbook}, as of {report.as_of.isoformat()})\n"
             "cells 0 red, 50 yellow, 100 green; - where no rule of that dimension applies")
    table = ('<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" '
             'COLOR="#ffffff">' + "".join(rows) + "</TABLE>")
    return "\n".join([
        "digraph heatmap {",
        f"  graph [label={dot_string(title)}, labelloc=\"t\", fontsize=16, "
        f'fontname="{FONT}", margin="0.2"];',
        f'  node [shape=plaintext, fontname="{FONT}", fontsize=11];',
        f"  table [label=<{table}>];",
        "}",
    ]) + "\n"


def _cell(value: int, *, bold: bool = False) -> str:
    text = f"<B>{value}</B>" if bold else str(value)
    return (f'<TD BGCOLOR="{heat_colour(value)}" ALIGN="RIGHT">'
            f'<FONT COLOR="{_text_colour(value)}">{text}</FONT></TD>')
