"""The account-review pack as one self-contained HTML page: a pure function of the review.

Self-contained means a manager can mail the file: styles are inline, the diagram and the
power-interest chart are inline SVG, and nothing is fetched (no fonts, scripts or images
from anywhere). The page has no JavaScript at all, so it shows the same in a mail client's
viewer as in a browser, and prints cleanly: A4, rows never cut between pages, table headers
repeated, the wide account map on a landscape page (``stakemap.render.pdf`` prints it).

The pack is one ``<article class="stakemap-pack">`` carrying its own ``<style>``, every rule
scoped to that class, so the same element shown in a notebook neither restyles the notebook
nor takes the notebook's styles (``review_fragment``).

Every string from user data goes through ``stakemap.escape.html_text``: user text appears
only as element content (table cells, headings, the chart's ``<text>`` and ``<title>``),
never in an attribute or a link, so the page builds no URL from user data. The diagram SVG
comes from Graphviz, given labels that ``stakemap.escape`` made plain text, so it holds no
markup or link of the user's either.
"""

from __future__ import annotations

import re

from stakemap._version import __version__
from stakemap.analysis.gaps import SCORE_RULE, TOP_ACTIONS, Finding
from stakemap.analysis.review import HIGH, QUADRANTS, AccountReview, Placement, RoleRow
from stakemap.escape import html_attribute, html_text
from stakemap.model.enums import Side, Stance
from stakemap.render.dot import GAP, STANCE_FILL
from stakemap.render.review_words import (
    MAP_NOTE,
    NO_CONNECTORS,
    NO_LEAVERS,
    connector_evidence,
    draw_command,
    leaver_evidence,
    leaver_score,
    projection,
    side_word,
    thing_kind,
)
from stakemap.rules import Severity

__all__ = ["SCOPE", "power_interest_svg", "review_fragment", "review_html"]

SEVERITY_COLOR = {Severity.CRITICAL: "#b71c1c", Severity.HIGH: GAP, Severity.MEDIUM: "#ef6c00",
                  Severity.LOW: "#f9a825", Severity.INFO: "#607d8b"}
STANCE_STROKE = {Stance.CHAMPION: "#2e7d32", Stance.SUPPORTER: "#66bb6a",
                 Stance.NEUTRAL: "#757575", Stance.SKEPTIC: "#ef6c00", Stance.BLOCKER: "#c62828"}


BAND_COLOR = {"good": "#2e7d32", "fair": "#ef6c00", "poor": GAP}
"""Text colours for a score's band (the overview fills its boxes with lighter ones)."""


SCOPE = "stakemap-pack"
"""The class of the pack's one container. Every CSS rule of the pack starts with it, so the
pack shown in a notebook (``_repr_html_``) restyles nothing of the notebook around it."""

_CSS = """
.P { --ink:#263238; --muted:#607d8b; --line:#cfd8dc; --gap:GAP;
  display: block; max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px;
  background: #fff; color: var(--ink); text-align: left; line-height: 1.4; font-size: 14px;
  font-family: "Helvetica Neue", Helvetica, Arial, "WenQuanYi Zen Hei", sans-serif; }
.P, .P * { box-sizing: border-box; }
.P :is(header, footer, section, figure, div, p, ul, ol, li, h1, h2, h3, table, thead,
       tbody, tr, th, td, code, span, a) {
  font-family: inherit; letter-spacing: normal; text-transform: none; float: none; }
.P :is(p, ul, ol, li, span, code, td, th, a) { font-size: inherit; }
.P header h1 { margin: 0 0 4px; font-size: 26px; font-weight: bold; color: var(--ink);
  border: 0; padding: 0; line-height: 1.25; }
.P header p { margin: 0; color: var(--muted); }
.P p { margin: 12px 0; color: inherit; }
.P a { color: #1565c0; }
.P h2 { font-size: 19px; font-weight: bold; color: var(--ink); margin: 32px 0 10px;
  padding: 0 0 4px; border: 0; border-bottom: 2px solid var(--line); line-height: 1.3; }
.P h3 { font-size: 15px; font-weight: bold; color: var(--ink); margin: 18px 0 6px;
  padding: 0; border: 0; line-height: 1.3; }
.P .cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 18px; }
.P .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px;
  min-width: 130px; background: #fff; }
.P .card .big { font-size: 30px; font-weight: bold; }
.P .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; }
.P table { border-collapse: collapse; border-spacing: 0; border: 0; width: 100%;
  font-size: 13px; margin: 0; background: transparent; color: var(--ink); }
.P tr { border: 0; background: transparent; }
.P th, .P td { text-align: left; vertical-align: top; padding: 6px 8px; border: 0;
  border-bottom: 1px solid var(--line); background: transparent; color: inherit;
  font-size: 13px; line-height: 1.4; }
.P th { background: #eceff1; font-weight: 600; }
.P .sev { display: inline-block; color: #fff; border-radius: 4px; padding: 1px 6px;
  font-size: 11px; font-weight: bold; text-transform: uppercase; }
.P .vacant td.status { color: var(--gap); font-weight: bold; }
.P .vacant td.holders { color: var(--gap); font-style: italic; }
.P .inactive { text-decoration: line-through; color: var(--muted); }
.P .evidence { color: var(--muted); font-size: 12px; }
.P code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 12px; color: inherit; background: #eceff1; padding: 0 3px; border-radius: 3px; }
.P figure { margin: 0; padding: 0; }
.P .diagram { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px;
  padding: 8px; }
.P svg { display: inline; }
.P .diagram svg { max-width: 100%; height: auto; }
.P .gap { color: var(--gap); }
.P .about { color: var(--muted); font-size: 12px; }
.P .grid { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.P .grid figure { flex: 0 0 auto; }
.P .grid table { flex: 1 1 320px; width: auto; }
.P footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
.P .none { color: #2e7d32; font-weight: bold; }
.P .actions { font-size: 15px; margin: 12px 0; padding-left: 22px; }
.P .actions li { margin: 4px 0; }
.P .actions .about { color: var(--muted); font-size: 12px; }
.P .also { margin: 4px 0 0; padding-left: 18px; color: var(--muted); font-size: 12px; }
.P .because { margin: 0; padding-left: 16px; }
.P .because li { margin: 0 0 2px; }
.P td.nowrap { white-space: nowrap; }
.P tr.first td { border-top: 1px solid var(--line); }
.P td.joined { border-bottom: 0; }
@media print {
  .P { max-width: none; margin: 0; padding: 0; font-size: 12px;
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .P h2 { margin-top: 20px; break-after: avoid; page-break-after: avoid; }
  .P h3 { break-after: avoid; page-break-after: avoid; }
  .P h2 + p, .P h2 + .evidence { break-after: avoid; page-break-after: avoid; }
  .P #diagram, .P #coverage, .P #roles { break-before: page; page-break-before: always; }
  .P thead { display: table-header-group; }
  .P tr, .P .card, .P figure, .P li { break-inside: avoid; page-break-inside: avoid; }
  .P .diagram { overflow: visible; border: 0; padding: 0; }
  .P .diagram svg { width: 100%; max-height: 170mm; height: auto; min-width: 0 !important; }
  .P .map-section { page: stakemap-wide; }
  .P .map-section .diagram svg { max-height: 140mm; }
  .P .grid { display: block; }
  .P .grid table { width: 100%; margin-top: 12px; }
  .P .explorer { display: none; }
}
""".replace(".P", "." + SCOPE).replace("GAP", GAP)

PAGE_CSS = ("@page { size: A4; margin: 14mm 12mm; } "
            "@page stakemap-wide { size: A4 landscape; margin: 12mm; }")
"""The rules outside the scope (A4 portrait, and landscape for the wide account map), and
only in the full page (``review_html``), never in the notebook fragment: ``@page`` cannot be
scoped to an element, and a notebook's own page setup is the notebook's business."""


def _explorer_link(href: str) -> str:
    """A relative link to the explorer written next to the pack. The file name is
    percent-encoded (no ``:`` survives, so it can never read as a scheme) and then escaped
    for the attribute."""
    from urllib.parse import quote

    return (f'<p class="explorer"><a href="{html_attribute(quote(href))}">Open the '
            "interactive explorer</a> (a page of its own: keep it next to this file)</p>")


def review_html(review: AccountReview, diagram_svg: str, coverage_svg: str = "",
                explorer_href: str | None = None) -> str:
    """The whole page: the pack (``review_fragment``) in a document of its own, with the A4
    page setup for printing. ``diagram_svg`` is the account diagram as Graphviz wrote it,
    ``coverage_svg`` the coverage matrix (no section without it); ``explorer_href``, the
    explorer page's file name next to the pack, links to it (the pack itself stays
    script-free: the explorer is a page of its own)."""
    title = f"Account review: {review.view.account.name}"
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(title)}</title>",
        f"<style>{PAGE_CSS}</style>",
        "</head>",
        "<body>",
        review_fragment(review, diagram_svg, coverage_svg, explorer_href),
        "</body>",
        "</html>",
    ]) + "\n"


def review_fragment(review: AccountReview, diagram_svg: str, coverage_svg: str = "",
                    explorer_href: str | None = None) -> str:
    """The pack as one element with its own ``<style>``, every rule scoped to it: what a
    notebook shows (``ReviewPack._repr_html_``), and the body of the full page. Nothing in it
    styles the host page, and the properties a host's CSS commonly sets (fonts, colours,
    borders, box sizing) are set explicitly inside it, so the host does not restyle it."""
    view = review.view
    account = view.account
    provider = review.provider_name
    title = f"Account review: {account.name}"
    facts = [f"{provider} → {account.name}"]
    if account.phase:
        facts.append(f"phase: {account.phase.value}")
    if account.tier:
        facts.append(f"tier: {account.tier}")
    facts.append(f"playbook {review.report.playbook}, as of {review.report.as_of.isoformat()}")
    parts = [
        f'<article class="{SCOPE}" lang="en">',
        f"<style>{_CSS}</style>",
        f"<header><h1>{html_text(title)}</h1>"
        f'<p>{" · ".join(html_text(f) for f in facts)}</p>'
        + (_explorer_link(explorer_href) if explorer_href else "") + "</header>",
        *_summary(review),
        *_findings(review),
        *_connectors(review),
        *_leavers(review),
        '<section class="map-section">',
        '<h2 id="diagram">Account map</h2>',
        f"<p>{html_text(MAP_NOTE)} The whole map, our side beside theirs: "
        f"<code>{html_text(draw_command(account.id))}</code>.</p>",
        f'<figure class="diagram map">{_legible_svg(diagram_svg)}</figure>',
        *_things(review),
        "</section>",
        *_coverage(review, coverage_svg),
        '<h2 id="roles">Roles</h2>',
        *_roles(review.role_rows(), view.account.name, provider),
        '<h2 id="power-interest">Power and interest</h2>',
        *_power_interest(review.power_interest()),
        "<footer>",
        f"<p>{html_text(SCORE_RULE)}</p>",
        f"<p>Made by stakemap {html_text(__version__)}. Findings, diagram and role table come "
        "from the same playbook run, so they agree.</p>",
        "</footer>",
        "</article>",
    ]
    return "\n".join(parts)


def _summary(review: AccountReview) -> list[str]:
    score, view = review.score, review.view
    counts = review.counts()
    taken = score.breakdown() or "every dimension 100"
    cards = [
        f'<div class="card" id="score"><div class="label">Coverage score</div>'
        f'<div class="big" style="color:{BAND_COLOR[score.band]}">{score.score}</div>'
        f'<div class="label">weak: {html_text(taken)}</div></div>',
        f'<div class="card"><div class="label">Findings</div>'
        f'<div class="big">{len(review.findings)}</div><div class="label">'
        + html_text(", ".join(f"{n} {s.value}" for s, n in counts.items() if n) or "none")
        + "</div></div>",
        f'<div class="card"><div class="label">Their people</div>'
        f'<div class="big">{len(view.customer_people)}</div></div>',
        f'<div class="card"><div class="label">Our team</div>'
        f'<div class="big">{len(view.team)}</div></div>',
        f'<div class="card"><div class="label">Services</div>'
        f'<div class="big">{len(view.services)}</div><div class="label">'
        f'{sum(1 for _, vital in view.services if vital)} vital</div></div>',
    ]
    return ['<h2 id="summary">Summary</h2>', '<div class="cards">', *cards, "</div>"]


def _findings(review: AccountReview) -> list[str]:
    out = []
    if review.findings:
        out += ['<h2 id="actions">Top actions</h2>', '<ol class="actions">']
        out += [f'<li class="action">{html_text(f.remediation)} <span class="about">'
                f"({html_text(f.subject_name)}; <code>{html_text(f.code)}</code>)</span></li>"
                for f in review.findings[:TOP_ACTIONS]]
        out.append("</ol>")
    out.append('<h2 id="findings">Findings and what to do</h2>')
    if not review.findings:
        return [*out, '<p class="none">No gaps found: every rule of the playbook is met.</p>']
    out += ["<table>", "<thead><tr><th>severity</th><th>finding</th><th>what to do</th>"
            "<th>code</th></tr></thead>", "<tbody>"]
    for f in review.findings:
        out.append(
            f'<tr class="finding"><td><span class="sev" style="background:'
            f'{SEVERITY_COLOR[f.severity]}">{f.severity.value}</span></td>'
            f"<td>{html_text(f.message)}{_also(f)}</td><td>{html_text(f.remediation)}</td>"
            f"<td><code>{html_text(f.code)}</code></td></tr>")
    return [*out, "</tbody>", "</table>"]


def _connectors(review: AccountReview) -> list[str]:
    """Who holds the account's people network together: a row per role, the person's name
    and side spanning their rows, so one person with three roles reads as one person."""
    out = ['<h2 id="connectors">Key connectors</h2>',
           f'<p class="evidence">{html_text(projection(review.connectors))}</p>']
    connectors = review.key_connectors()
    if not connectors:
        return [*out, f"<p>{html_text(NO_CONNECTORS)}</p>"]
    out += ["<table>", "<thead><tr><th>person</th><th>side</th><th>role</th><th>evidence</th>"
            "</tr></thead>", "<tbody>"]
    for c in connectors:
        span = len(c.roles)
        for i, (role, why) in enumerate(zip(c.roles, connector_evidence(c), strict=True)):
            joined = ' class="joined"' if i < span - 1 else ""
            lead = (f'<td rowspan="{span}">{html_text(c.person.name)}</td>'
                    f'<td rowspan="{span}">{side_word(c.person.side)}</td>') if i == 0 else ""
            out.append(f'<tr class="connector{" first" if i == 0 else ""}">{lead}'
                       f"<td{joined}>{html_text(role)}</td><td{joined}>{html_text(why)}</td>"
                       "</tr>")
    return [*out, "</tbody>", "</table>"]


def _leavers(review: AccountReview) -> list[str]:
    """The costliest departures, both sides together, with what each would set off."""
    out = ['<h2 id="leavers">If these people leave</h2>']
    if not review.leavers:
        return [*out, f"<p>{html_text(NO_LEAVERS)}</p>"]
    out += ['<p class="evidence">Each person taken as gone, one at a time, and the account '
            "judged again with the same playbook on the same day.</p>",
            "<table>", "<thead><tr><th>#</th><th>person</th><th>side</th>"
            "<th>coverage score</th><th>what follows</th></tr></thead>", "<tbody>"]
    for number, leaver in enumerate(review.leavers, start=1):
        items = "".join(f"<li>{html_text(e)}</li>" for e in leaver_evidence(review, leaver))
        out.append(f'<tr class="leaver"><td>{number}</td><td>{html_text(leaver.name)}</td>'
                   f"<td>{side_word(leaver.side)}</td>"
                   f'<td class="nowrap">{html_text(leaver_score(review, leaver))}</td>'
                   f'<td><ul class="because">{items}</ul></td></tr>')
    return [*out, "</tbody>", "</table>"]


def _also(finding: Finding) -> str:
    """The findings folded into this one (same cause), as a list under its message."""
    if not finding.also:
        return ""
    items = "".join(f"<li>{html_text(a.message)} (<code>{html_text(a.code)}</code>)</li>"
                    for a in finding.also)
    return f'<ul class="also">{items}</ul>'


def _things(review: AccountReview) -> list[str]:
    rows = review.thing_rows()
    if not rows:
        return []
    out = ['<h3 id="things">Services and agreements</h3>', "<table>",
           "<thead><tr><th>service or agreement</th><th>owned by</th><th>who decides</th>"
           "<th>findings</th></tr></thead>", "<tbody>"]
    for row in rows:
        what = thing_kind(row)
        owners = html_text(", ".join(row.owners)) or '<span class="gap">nobody</span>' \
            if row.kind == "service" else html_text(", ".join(row.owners)) or "-"
        out.append(f'<tr class="thing"><td>{html_text(row.name)} '
                   f'<span class="about">({html_text(what)})</span></td><td>{owners}</td>'
                   f"<td>{html_text(', '.join(row.deciders)) or '-'}</td>"
                   f'<td class="gap">{html_text("; ".join(row.findings))}</td></tr>')
    return [*out, "</tbody>", "</table>"]


def _coverage(review: AccountReview, svg: str) -> list[str]:
    """Who covers whom: the matrix as Graphviz drew it, and in words who nobody covers, so
    the point survives a mail client that hides SVG."""
    matrix = review.coverage
    if matrix is None or not svg:
        return []
    tied = {c.row for c in matrix.cells}
    alone = [r.name for r in matrix.people_rows if r.id not in tied]
    note = (f"No tie with our team: {', '.join(html_text(n) for n in alone)}."
            if alone else "Every key person has a tie with someone of our team.")
    return ['<h2 id="coverage">Who covers whom</h2>',
            f"<p>Our team against their key people; each cell is the tie's warmth (strength, "
            f"fading with time since last contact). {note}</p>",
            f'<figure class="diagram">{_inline_svg(svg)}</figure>']


def _roles(rows: dict[Side, list[RoleRow]], account: str, provider: str) -> list[str]:
    out: list[str] = []
    for side, heading in ((Side.CUSTOMER, f"{account} (customer)"),
                          (Side.PROVIDER, f"{provider} (our team)")):
        out.append(f"<h3>{html_text(heading)}</h3>")
        if not rows[side]:
            out.append("<p>No roles recorded and none required.</p>")
            continue
        out += ["<table>", "<thead><tr><th>role</th><th>where</th><th>held by</th>"
                "<th>status</th></tr></thead>", "<tbody>"]
        for row in rows[side]:
            holders = ", ".join(
                html_text(h.name) if h.active else
                f'<span class="inactive">{html_text(h.name)}</span> ({html_text(h.note)})'
                for h in row.holders) or "nobody"
            out.append(f'<tr class="{"vacant" if row.gap else "held"}">'
                       f"<td>{html_text(row.role)}</td>"
                       f"<td>{html_text(row.where)}</td><td class=\"holders\">{holders}</td>"
                       f'<td class="status">{html_text(row.status)}</td></tr>')
        out += ["</tbody>", "</table>"]
    return out


def _power_interest(placements: list[Placement]) -> list[str]:
    rated = [p for p in placements if p.quadrant]
    unrated = [p for p in placements if not p.quadrant]
    out = ['<div class="grid">', f"<figure>{power_interest_svg(rated)}</figure>",
           "<table>", "<thead><tr><th>#</th><th>quadrant</th><th>person</th><th>influence</th>"
           "<th>interest</th><th>stance</th></tr></thead>", "<tbody>"]
    for number, p in enumerate(rated, start=1):
        person = p.person
        title = (f' <span class="evidence">{html_text(person.title)}</span>'
                 if person.title else "")
        out.append(f'<tr class="placement"><td>{number}</td><td>{html_text(p.quadrant or "")}</td>'
                   f"<td>{html_text(person.name)}"
                   f"{title}</td><td>{person.influence}</td><td>{person.interest}</td>"
                   f"<td>{html_text(person.stance.value if person.stance else '-')}</td></tr>")
    out += ["</tbody>", "</table>", "</div>"]
    if unrated:
        out.append("<p>Not rated yet (give them influence and interest to place them): "
                   + ", ".join(html_text(p.person.name) for p in unrated) + ".</p>")
    return out


_SIZE, _PAD = 420, 46
"""Chart size and the margin left for the axis titles, in px."""


def power_interest_svg(placements: list[Placement]) -> str:
    """The power-interest grid as inline SVG: interest across, influence up, a dot per person
    filled by stance and numbered as in the table, quadrant names in the corners. People on
    the same square sit side by side so none hides another; only a lone person's name is
    written on the chart, where it cannot collide with a neighbour's."""
    inner = _SIZE - 2 * _PAD
    cell = inner / 5

    def x(v: float) -> float:
        return _PAD + (v - 0.5) * cell

    def y(v: float) -> float:
        return _SIZE - _PAD - (v - 0.5) * cell

    split = HIGH - 0.5
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_SIZE}" height="{_SIZE}" '
           f'viewBox="0 0 {_SIZE} {_SIZE}" role="img" aria-label="power-interest grid" '
           'font-family="Helvetica, Arial, sans-serif" class="power-interest">',
           f'<rect x="{_PAD}" y="{_PAD}" width="{inner}" height="{inner}" fill="#fafafa" '
           'stroke="#90a4ae"/>',
           f'<rect x="{x(split):.1f}" y="{_PAD}" width="{_SIZE - _PAD - x(split):.1f}" '
           f'height="{y(split) - _PAD:.1f}" fill="#fdecea"/>',
           f'<line x1="{x(split):.1f}" y1="{_PAD}" x2="{x(split):.1f}" y2="{_SIZE - _PAD}" '
           'stroke="#90a4ae" stroke-dasharray="4 3"/>',
           f'<line x1="{_PAD}" y1="{y(split):.1f}" x2="{_SIZE - _PAD}" y2="{y(split):.1f}" '
           'stroke="#90a4ae" stroke-dasharray="4 3"/>']
    corners = ((QUADRANTS[1], _PAD + 6, _PAD + 16, "start"),
               (QUADRANTS[0], _SIZE - _PAD - 6, _PAD + 16, "end"),
               (QUADRANTS[3], _PAD + 6, _SIZE - _PAD - 8, "start"),
               (QUADRANTS[2], _SIZE - _PAD - 6, _SIZE - _PAD - 8, "end"))
    out += [f'<text x="{cx}" y="{cy}" text-anchor="{anchor}" font-size="11" fill="#78909c" '
            f'font-style="italic">{name}</text>' for name, cx, cy, anchor in corners]
    for v in range(1, 6):
        out.append(f'<text x="{x(v):.1f}" y="{_SIZE - _PAD + 14}" text-anchor="middle" '
                   f'font-size="10" fill="#607d8b">{v}</text>')
        out.append(f'<text x="{_PAD - 8}" y="{y(v) + 3:.1f}" text-anchor="end" '
                   f'font-size="10" fill="#607d8b">{v}</text>')
    out.append(f'<text x="{_SIZE / 2}" y="{_SIZE - 10}" text-anchor="middle" font-size="12" '
               'fill="#37474f">interest →</text>')
    out.append(f'<text x="14" y="{_SIZE / 2}" text-anchor="middle" font-size="12" '
               f'fill="#37474f" transform="rotate(-90 14 {_SIZE / 2})">influence →</text>')
    spots: dict[tuple[int, int], list[tuple[int, Placement]]] = {}
    for number, p in enumerate(placements, start=1):
        if p.person.influence and p.person.interest:
            spots.setdefault((p.person.influence, p.person.interest), []).append((number, p))
    for (influence, interest), here in spots.items():
        rows = [here[i:i + 3] for i in range(0, len(here), 3)]
        for r, row in enumerate(rows):
            for i, (number, p) in enumerate(row):
                cx = x(interest) + (i - (len(row) - 1) / 2) * 19
                cy = y(influence) + (r - (len(rows) - 1) / 2) * 19
                out.append(_dot(p, number, cx, cy, label=len(here) == 1))
    out.append("</svg>")
    return "\n".join(out)


def _dot(p: Placement, number: int, cx: float, cy: float, *, label: bool) -> str:
    """One person: a numbered disc filled by stance (the number is their row in the table
    beside the chart), and their name under it when they have the square to themselves."""
    person = p.person
    fill = STANCE_FILL[person.stance] if person.stance else "#ffffff"
    stroke = STANCE_STROKE[person.stance] if person.stance else "#757575"
    stance = person.stance.value if person.stance else "stance unknown"
    name = (f'<text x="{cx:.1f}" y="{cy + 19:.1f}" text-anchor="middle" font-size="9" '
            f'fill="#263238">{html_text(_short(person.name))}</text>') if label else ""
    return (f'<g class="dot"><title>{html_text(person.name)}: influence {person.influence}, '
            f"interest {person.interest}, {html_text(stance)}</title>"
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="8" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="2"/><text x="{cx:.1f}" y="{cy + 3:.1f}" text-anchor="middle" '
            f'font-size="9" font-weight="bold" fill="#263238">{number}</text>{name}</g>')


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


_PROLOGUE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*", re.S)


LEGIBLE_SCALE = 0.75
"""The least a diagram is shrunk to at page width: its smallest text (8 pt, about 12 px
high as drawn) stays at least 9 px high. A wider diagram scrolls sideways in its frame
rather than shrink further (printing fits it to the page)."""

_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([0-9.]+)pt"')


def _legible_svg(svg: str) -> str:
    """``_inline_svg``, never shrunk below ``LEGIBLE_SCALE``: a ``min-width`` on the ``<svg>``
    from the width Graphviz gave it (in points; 96 px to 72 pt)."""
    inline = _inline_svg(svg)
    found = _WIDTH.search(inline)
    if found is None:
        return inline
    least = float(found.group(1)) * 96 / 72 * LEGIBLE_SCALE
    at = inline.index("<svg") + len("<svg")
    return f'{inline[:at]} style="min-width: {least:.0f}px"{inline[at:]}'


def _inline_svg(svg: str) -> str:
    """Graphviz's SVG without its XML declaration, doctype and comments, which are not
    allowed inside HTML; the ``<svg>`` element itself is kept as Graphviz wrote it."""
    return _PROLOGUE.sub("", svg, count=1)
