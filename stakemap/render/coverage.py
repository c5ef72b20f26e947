"""The coverage matrix ("who covers whom") as DOT text: a pure function of a
``CoverageMatrix``.

One Graphviz node holds the whole matrix as an HTML-like table, because a matrix is a grid,
not a graph: Graphviz only measures the text and draws it, so the same ``dot`` that draws the
account map turns it into SVG, PNG or PDF. As in ``stakemap.render.dot``, every piece of user
text goes through ``dot_html`` (cell text and the ``TOOLTIP`` attribute alike) and plain
attribute values through ``dot_string``; nothing the user wrote is ever markup.

Visual rules, also drawn in the legend:
- a cell's fill is the tie's warmth on a sequential green scale (``WARMTH_FILL``: pale is
  weak or long untouched, dark is strong and recent), its text the warmth to two places; a
  stale tie (last contact more than 90 days ago) also says "stale".
- no tie: an empty white cell.
- an uncovered decision-maker's row header is red on pale red, says "no tie with our team",
  and their row is empty by definition.
- a vacant seat is a red italic header ("Executive Sponsor, vacant since 2026-06-30"): a row
  when it is theirs, a column when it is ours; its cells are grey, nobody to know.
- each cell's tooltip (SVG ``xlink:title``, shown on hover) spells the tie out: who, what it
  rests on, strength, warmth, last contact or "stale since".
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter

from stakemap.analysis.coverage import Cell, Column, CoverageMatrix, Row
from stakemap.escape import dot_html, dot_string
from stakemap.render.dot import FONT, GAP, HtmlLabel, _attrs

__all__ = ["WARMTH_FILL", "coverage_dot", "titles_not_links", "warmth_fill"]

WARMTH_FILL = (
    (0.8, "#006d2c", "#ffffff"),
    (0.6, "#31a354", "#ffffff"),
    (0.4, "#74c476", "#000000"),
    (0.2, "#bae4b3", "#000000"),
    (0.0, "#edf8e9", "#000000"),
)
"""(lowest warmth, fill, text colour), warmest first: ColorBrewer's 5-class Greens, a
sequential scale that prints in grey and reads for colour-blind people, with white text on
the two dark steps so the numbers stay legible."""

GAP_FILL = "#fdecea"
UNTIED = "#e65100"
"""A key person with no tie whom the playbook did not report (not a decision-maker): worth
seeing, but not the red of a finding."""
SEAT_FILL = "#eeeeee"
LINK = "#coverage"
"""Graphviz 2.43 writes a table cell's tooltip only for a cell with a link; this fixed one
points at the pack's own section, so a click stays where the reader is."""

DASH = "\u2013"
"""An en dash: between two names, and (Markdown) for "no tie"."""

KIND_WORDS = {"relationship": "relationship", "meeting": "meetings",
              "reporting": "reporting line"}


def warmth_fill(warmth: float) -> tuple[str, str]:
    """(fill, text colour) of a cell with this warmth."""
    return next((fill, ink) for low, fill, ink in WARMTH_FILL if warmth >= low)


def coverage_dot(matrix: CoverageMatrix) -> str:
    """The DOT source of the matrix, with its legend under it."""
    title = f"{matrix.account_name}: who covers whom (as of {matrix.as_of.isoformat()})"
    lines = [
        "digraph coverage {",
        "  graph " + _attrs(label=title, labelloc="t", fontsize=18, fontname=FONT,
                            rankdir="TB", nodesep=0.3, ranksep=0.3) + ";",
        f'  node [shape=plaintext, fontname="{FONT}", fontsize=11];',
        f"  {dot_string('matrix')} " + _attrs(label=HtmlLabel(_table(matrix))) + ";",
        f"  {dot_string('legend')} " + _attrs(label=HtmlLabel(_legend())) + ";",
        f"  {dot_string('matrix')} -> {dot_string('legend')} [style=invis];",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _table(m: CoverageMatrix) -> str:
    corner = (f'<TD ALIGN="LEFT" VALIGN="BOTTOM" BGCOLOR="#eceff1"><B>{dot_html(m.account_name)}'
              '</B><BR ALIGN="LEFT"/><FONT POINT-SIZE="10">their key people ↓</FONT>'
              f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="10">{dot_html(m.provider_name)} →</FONT>'
              '<BR ALIGN="LEFT"/></TD>')
    out = ['<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5" COLOR="#b0bec5">',
           "<TR>" + corner + "".join(_column_header(c) for c in m.columns) + "</TR>"]
    names = Counter(r.name for r in m.people_rows)
    tied = {c.row for c in m.cells}
    for row in m.rows:
        cells = [_row_header(row, same_name=names[row.name] > 1, tied=row.id in tied)]
        for column in m.columns:
            if row.seat is not None or column.seat is not None:
                cells.append(f'<TD BGCOLOR="{SEAT_FILL}"> </TD>')
            else:
                cells.append(_cell(row, column, m.cell(row.id, column.id)))
        out.append("<TR>" + "".join(cells) + "</TR>")
    if not m.rows:
        out.append(f'<TR><TD COLSPAN="{len(m.columns) + 1}"><I>no key people recorded at '
                   f'this account</I></TD></TR>')
    out.append("</TABLE>")
    return "".join(out)


def _column_header(c: Column) -> str:
    if c.seat is not None:
        return (f'<TD VALIGN="BOTTOM" COLOR="{GAP}" BGCOLOR="{GAP_FILL}"><FONT COLOR="{GAP}"><I>'
                f'{dot_html(c.name)}<BR/>{dot_html(c.seat.text)}</I><BR/>'
                '<FONT POINT-SIZE="10">vacant seat, ours</FONT></FONT></TD>')
    roles = "<BR/>".join(dot_html(line) for r in c.roles for line in textwrap.wrap(r, 18))
    return (f'<TD VALIGN="BOTTOM" BGCOLOR="#eceff1"><B>{dot_html(c.name)}</B>'
            + (f'<BR/><FONT POINT-SIZE="10" COLOR="#37474f">{roles}</FONT>' if roles else "")
            + "</TD>")


def _row_header(r: Row, *, same_name: bool = False, tied: bool = True) -> str:
    if r.seat is not None:
        return (f'<TD ALIGN="LEFT" COLOR="{GAP}" BGCOLOR="{GAP_FILL}"><FONT COLOR="{GAP}"><I>'
                f'{dot_html(r.name)}: {dot_html(r.seat.text)}</I><BR ALIGN="LEFT"/>'
                '<FONT POINT-SIZE="10">vacant seat: nobody to cover</FONT>'
                '<BR ALIGN="LEFT"/></FONT></TD>')
    about = [dot_html(x) for x in (r.title, *r.roles) if x]
    facts = []
    if r.decision_maker:
        facts.append("decides")
    if r.influence:
        facts.append(f"influence {r.influence}")
    # two people of one name are told apart by id, the one thing that differs for sure
    lines = [f"<B>{dot_html(r.name)}</B>"
             + (f' <FONT POINT-SIZE="10" COLOR="#607d8b">({dot_html(r.id)})</FONT>'
                if same_name else "")]
    if about:
        lines.append(f'<FONT POINT-SIZE="10">{", ".join(about)}</FONT>')
    if facts:
        lines.append(f'<FONT POINT-SIZE="10" COLOR="#37474f">{" · ".join(facts)}</FONT>')
    if r.uncovered:
        lines.append('<FONT POINT-SIZE="10"><B>⚠ no tie with our team</B></FONT>')
        body = "".join(f"{line}<BR ALIGN=\"LEFT\"/>" for line in lines)
        return (f'<TD ALIGN="LEFT" COLOR="{GAP}" BGCOLOR="{GAP_FILL}">'
                f'<FONT COLOR="{GAP}">{body}</FONT></TD>')
    if not tied:  # a key person nobody of ours knows, though the playbook did not ask
        lines.append(f'<FONT POINT-SIZE="10" COLOR="{UNTIED}">no tie with our team</FONT>')
    return '<TD ALIGN="LEFT">' + "".join(f"{line}<BR ALIGN=\"LEFT\"/>" for line in lines) \
        + "</TD>"


def _cell(row: Row, column: Column, cell: Cell | None) -> str:
    tip = _attribute(tooltip(row, column, cell))
    if cell is None:
        return f'<TD HREF="{LINK}" TOOLTIP="{tip}" BGCOLOR="#ffffff"> </TD>'
    fill, ink = warmth_fill(cell.warmth)
    text = f'<FONT COLOR="{ink}">{cell.warmth:.2f}'
    if cell.stale:
        text += '<BR/><FONT POINT-SIZE="10">stale</FONT>'
    return f'<TD HREF="{LINK}" TOOLTIP="{tip}" BGCOLOR="{fill}">{text}</FONT></TD>'


def tooltip(row: Row, column: Column, cell: Cell | None) -> str:
    """What hovering over a cell says, ours first: "Tom Becker, en dash, Mark Jensen: relationship
    and meetings, strength 0.90, warmth 0.90, last contact 2026-10-08"."""
    who = f"{column.name} {DASH} {row.name}"
    if cell is None:
        return f"{who}: no tie"
    kinds = [KIND_WORDS.get(k, k) for k in cell.kinds]
    how = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    when = "no contact date" if cell.last_contact is None else \
        f"{'stale since' if cell.stale else 'last contact'} {cell.last_contact.isoformat()}"
    return f"{who}: {how}, strength {cell.strength:.2f}, warmth {cell.warmth:.2f}, {when}"


def _attribute(text: str) -> str:
    """``text`` for a quoted attribute inside an HTML-like label: ``dot_html`` on one line
    (its ``<BR/>`` for a line break would be markup inside the value)."""
    return dot_html(" ".join(text.splitlines()))


_TIP = re.compile(r'<a xlink:href="#coverage" xlink:title="([^"]*)">')


def titles_not_links(svg: str) -> str:
    """The matrix SVG with each cell's tooltip link made a group with a ``<title>``.

    Graphviz 2.43 writes a cell tooltip only as ``xlink:title`` on a link; the review pack
    has no links at all (nothing to click, nothing to follow from a mailed file), and a
    ``<title>`` child is what browsers show on hover anyway. The title text is Graphviz's,
    already escaped for XML, and is moved as it is; the matrix has no other links."""
    return _TIP.sub(r"<g><title>\1</title>", svg).replace("</a>", "</g>")


def _legend() -> str:
    bounds = [low for low, _, _ in WARMTH_FILL[::-1]] + [1.0]
    swatches = "".join(
        f'<TD WIDTH="110" BGCOLOR="{fill}"><FONT COLOR="{ink}">{low:.1f} {DASH} {high:.1f}'
        "</FONT></TD>"
        for (low, fill, ink), high in zip(WARMTH_FILL[::-1], bounds[1:], strict=True))
    return ('<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" COLOR="#b0bec5">'
            f'<TR><TD ALIGN="LEFT" COLSPAN="5"><B>Warmth</B> = tie strength, halved for every '
            '180 days past 90 days without contact</TD></TR>'
            f"<TR>{swatches}</TR>"
            '<TR><TD ALIGN="LEFT" COLSPAN="5">empty cell = no tie; "stale" = last contact '
            'more than 90 days ago</TD></TR>'
            f'<TR><TD ALIGN="LEFT" COLSPAN="5" BGCOLOR="{GAP_FILL}"><FONT COLOR="{GAP}">red = '
            'uncovered decision-maker, or a vacant seat</FONT></TD></TR>'
            f'<TR><TD ALIGN="LEFT" COLSPAN="5"><FONT COLOR="{UNTIED}">no tie with our team'
            '</FONT> = a key person nobody of ours knows</TD></TR>'
            '<TR><TD ALIGN="LEFT" COLSPAN="5">hover a cell for the tie\'s details</TD></TR>'
            "</TABLE>")
