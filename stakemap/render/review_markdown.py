"""The account-review pack as Markdown: the same sections as the HTML page, for wikis,
tickets and mail bodies. Markdown cannot carry the diagram, so the page says how to draw it.
"""

from __future__ import annotations

from stakemap.analysis.gaps import SCORE_RULE, TOP_ACTIONS
from stakemap.analysis.review import AccountReview
from stakemap.escape import markdown_code, markdown_text
from stakemap.model.enums import Side
from stakemap.render.review_words import (
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

__all__ = ["review_markdown"]

DASH = "\u2013"

_md = markdown_text
"""Every piece of user text (names, tiers, playbook names, notes) goes through this: it
stays literal text in a paragraph or a table cell, with no raw HTML and no live link."""


def review_markdown(review: AccountReview, explorer_href: str | None = None) -> str:
    """The pack as Markdown; ``explorer_href``, the explorer's file name next to it, adds a
    relative link to it (percent-encoded, so no character of the name is Markdown)."""
    view, score, report = review.view, review.score, review.report
    account = view.account
    provider = review.provider_name
    taken = score.breakdown() or "every dimension 100"
    counts = ", ".join(f"{n} {s.value}" for s, n in review.counts().items() if n) or "none"
    lines = [
        f"# Account review: {_md(account.name)}", "",
        f"{_md(provider)} → {_md(account.name)}"
        + (f" · phase: {account.phase.value}" if account.phase else "")
        + (f" · tier: {_md(account.tier)}" if account.tier else "")
        + f" · playbook {_md(report.playbook)}, as of {report.as_of.isoformat()}", "",
        *([f"[Open the interactive explorer]({_quote(explorer_href)}) (a page of its own: "
           "keep it next to this file)", ""] if explorer_href else []),
        "## Summary", "",
        f"- **Coverage score: {score.score}** (weak dimensions: {taken})",
        f"- Findings: {len(review.findings)} ({counts})",
        f"- Their people: {len(view.customer_people)}; our team: {len(view.team)}; "
        f"services: {len(view.services)} "
        f"({sum(1 for _, vital in view.services if vital)} vital)", "",
    ]
    if review.findings:
        lines += ["## Top actions", ""]
        lines += [f"{i}. {_md(f.remediation)} ({_md(f.subject_name)}; {markdown_code(f.code)})"
                  for i, f in enumerate(review.findings[:TOP_ACTIONS], start=1)]
        lines.append("")
    lines += ["## Findings and what to do", ""]
    if review.findings:
        lines += ["| severity | finding | what to do | code |", "|---|---|---|---|"]
        lines += [f"| {f.severity.value} | {_md(f.message)}"
                  + "".join(f" Also: {_md(a.message)} ({markdown_code(a.code)})."
                            for a in f.also)
                  + f" | {_md(f.remediation)} | {markdown_code(f.code)} |"
                  for f in review.findings]
    else:
        lines.append("No gaps found: every rule of the playbook is met.")
    lines += ["", *_connectors(review), "", *_leavers(review)]
    lines += ["", "## Account map", "",
              f"Draw it with {markdown_code(draw_command(account.id))}; the HTML pack "
              "embeds their side of it.", "", *_things(review), *_coverage(review), "",
              "## Roles"]
    rows = review.role_rows()
    for side, heading in ((Side.CUSTOMER, f"{account.name} (customer)"),
                          (Side.PROVIDER, f"{provider} (our team)")):
        lines += ["", f"### {_md(heading)}", ""]
        if not rows[side]:
            lines.append("No roles recorded and none required.")
            continue
        lines += ["| role | where | held by | status |", "|---|---|---|---|"]
        for row in rows[side]:
            holders = ", ".join(_md(h.name) if h.active else f"~~{_md(h.name)}~~ ({_md(h.note)})"
                                for h in row.holders) or "nobody"
            status = f"**{_md(row.status)}**" if row.gap else _md(row.status)
            lines.append(f"| {_md(row.role)} | {_md(row.where)} | {holders} | {status} |")
    placements = review.power_interest()
    lines += ["", "## Power and interest", "",
              "| quadrant | person | influence | interest | stance |", "|---|---|---|---|---|"]
    lines += [f"| {p.quadrant} | {_md(p.person.name)} | {p.person.influence} | "
              f"{p.person.interest} | {p.person.stance.value if p.person.stance else '-'} |"
              for p in placements if p.quadrant]
    unrated = [_md(p.person.name) for p in placements if not p.quadrant]
    if unrated:
        lines += ["", f"Not rated yet: {', '.join(unrated)}."]
    lines += ["", SCORE_RULE]
    return "\n".join(lines) + "\n"


def _connectors(review: AccountReview) -> list[str]:
    """A row per role (Markdown has no row spans, so a person with three roles is named on
    each of their rows)."""
    lines = ["## Key connectors", "", _md(projection(review.connectors)), ""]
    connectors = review.key_connectors()
    if not connectors:
        return [*lines, NO_CONNECTORS]
    lines += ["| person | side | role | evidence |", "|---|---|---|---|"]
    lines += [f"| {_md(c.person.name)} | {side_word(c.person.side)} | {role} | {_md(why)} |"
              for c in connectors
              for role, why in zip(c.roles, connector_evidence(c), strict=True)]
    return lines


def _leavers(review: AccountReview) -> list[str]:
    lines = ["## If these people leave", ""]
    if not review.leavers:
        return [*lines, NO_LEAVERS]
    lines += ["Each person taken as gone, one at a time, and the account judged again with "
              "the same playbook on the same day.", "",
              "| # | person | side | coverage score | what follows |", "|---:|---|---|---|---|"]
    lines += [f"| {i} | {_md(p.name)} | {side_word(p.side)} | {leaver_score(review, p)} | "
              + "; ".join(_md(e) for e in leaver_evidence(review, p)) + " |"
              for i, p in enumerate(review.leavers, start=1)]
    return lines


def _coverage(review: AccountReview) -> list[str]:
    """Who covers whom as a table: a row per key person (and vacant seat of theirs), a
    column per person of our team (and vacant seat of ours), each cell the tie's warmth,
    "stale" when the last contact is more than 90 days old, an en dash for no tie."""
    matrix = review.coverage
    lines = ["## Who covers whom", ""]
    if matrix is None:
        return lines[:1]
    if not matrix.rows:
        return [*lines, "No key people recorded at this account."]
    lines += ["Warmth of each tie (strength, halved for every 180 days past 90 days without "
              f"contact); {DASH} no tie.", ""]
    heads = [f"*{_md(c.name)}: {_md(c.seat.text)}*" if c.seat else _md(c.name)
             for c in matrix.columns]
    lines += ["| their key people | " + " | ".join(heads) + " |",
              "|---|" + "---:|" * len(heads)]
    tied = {c.row for c in matrix.cells}
    for row in matrix.rows:
        if row.seat is not None:
            head = f"*{_md(row.name)}: {_md(row.seat.text)}*"
        elif row.uncovered:
            head = f"**⚠ {_md(row.name)}** (decides): no tie with our team"
        else:
            head = _md(row.name) + (" (decides)" if row.decision_maker else "") + \
                ("" if row.id in tied else ": no tie with our team")
        cells = []
        for column in matrix.columns:
            cell = None if row.seat or column.seat else matrix.cell(row.id, column.id)
            cells.append(DASH if cell is None else
                         f"{cell.warmth:.2f}" + (" stale" if cell.stale else ""))
        lines.append(f"| {head} | " + " | ".join(cells) + " |")
    return lines


def _things(review: AccountReview) -> list[str]:
    rows = review.thing_rows()
    if not rows:
        return []
    lines = ["### Services and agreements", "",
             "| service or agreement | owned by | who decides | findings |", "|---|---|---|---|"]
    for row in rows:
        what = thing_kind(row)
        owners = _md(", ".join(row.owners)) or ("**nobody**" if row.kind == "service" else "-")
        lines.append(f"| {_md(row.name)} ({what}) | {owners} | "
                     f"{_md(', '.join(row.deciders)) or '-'} | {_md('; '.join(row.findings))} |")
    return [*lines, ""]


def _quote(href: str) -> str:
    from urllib.parse import quote

    return quote(href)
