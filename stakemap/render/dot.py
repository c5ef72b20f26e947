"""Account diagrams as DOT text: a pure function of an account view and its findings.

Nothing here runs Graphviz (``stakemap.render.graphviz`` does), so every visual rule is
tested on the text. Every string that comes from user data goes through
``stakemap.escape.dot_html`` (inside an HTML-like label) or ``dot_string`` (every quoted
value), never into the DOT unescaped. A label is HTML-like only when it is an ``HtmlLabel``,
which is built here from escaped parts and fixed markup: a plain string is always quoted,
whatever it starts with, so a name such as ``<Ops>`` or ``<A HREF="javascript:...">`` is
shown as text.

Visual language, also drawn in the legend:
- customer people on the left cluster, our team on the right, services and agreements
  below; reporting lines point from manager down to report (dotted for dotted lines).
- fill = stance (champion green ... blocker red); border width = influence (1-5).
- relationships across the sides: green/grey/red by sentiment, thicker when stronger;
  a stale one is dashed and faded.
- gaps in red: a vacant required role is a dashed placeholder, an unowned service and an
  uncovered decision-maker have a thick red border, people who left are struck through.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from stakemap.analysis.account import AccountView
from stakemap.analysis.gaps import CustomerScore, Finding
from stakemap.analysis.review import Vacancy, vacancies
from stakemap.escape import dot_html, dot_string
from stakemap.model.enums import PersonStatus, ReportLine, Sentiment, Side, Stance
from stakemap.model.nodes import Person
from stakemap.rules import (
    AuthorityConflict,
    BlockerWithoutChampion,
    Severity,
    SingleThreaded,
    StaleRelationship,
)
from stakemap.rules.vocabulary import KEY_ROLES

_Scoped = AuthorityConflict.Detail

__all__ = ["CrossTie", "account_dot", "focus"]

STANCE_FILL = {
    Stance.CHAMPION: "#b9e4c9", Stance.SUPPORTER: "#e3f4e8", Stance.NEUTRAL: "#f2f2f2",
    Stance.SKEPTIC: "#fde9c9", Stance.BLOCKER: "#f8c4c4",
}
SENTIMENT_COLOR = {Sentiment.POSITIVE: "#2e7d32", Sentiment.NEUTRAL: "#757575",
                   Sentiment.NEGATIVE: "#c62828"}
GAP = "#d32f2f"
FONT = "Arial"
"""The diagrams' font. Graphviz measures text with it and the browser draws the SVG with it:
Arial, or on Linux the metric-compatible Liberation Sans, is the same width for both.
"Helvetica" was measured as DejaVu Sans by Graphviz's Pango and drawn as the narrower
Liberation Sans by Chromium, which left gaps between the runs of one label."""
BAND_FILL = {"good": "#b9e4c9", "fair": "#fde9c9", "poor": "#f8c4c4"}
FADED = "#9e9e9e80"
FADED_TEXT = "#757575"


@dataclass(frozen=True)
class HtmlLabel:
    """The markup of a Graphviz HTML-like label, written as ``label=<markup>``.

    Make one only from fixed markup and ``dot_html`` of user text. Being a type of its own,
    not a string that happens to start with ``<``, is what keeps user text from ever being
    taken for markup: ``_attrs`` quotes every plain string.
    """

    markup: str


def _node_id(kind: str, key: str) -> str:
    return dot_string(f"{kind}:{key}")


def _attrs(**attrs: str | float | HtmlLabel | None) -> str:
    parts = []
    for k, v in attrs.items():
        if v is None:
            continue
        if isinstance(v, HtmlLabel):
            parts.append(f"{k}=<{v.markup}>")
        else:
            parts.append(f"{k}={dot_string(str(v))}")
    return "[" + ", ".join(parts) + "]"


FOCUS_FROM = 12
"""Accounts with more of their people than this are drawn focused (``everyone=False``):
the people who matter shown, the others folded into one node per manager."""
GRID_COLUMNS = 2
"""A manager's reports are stacked this many to a row (people with no manager drawn, in a
block about twice as wide as high), not one long row."""
WRAP = 38
"""Characters per line of a person's roles and coverage: long lines made wide boxes."""
MAX_SHOWN = 16
"""How many of their people a focused map shows at most, beyond its deciders and the
people of its high findings: about what one slide holds legibly."""
THING_COLUMNS = 3
"""Services and agreements are drawn this many to a row, in a box under our team."""
INLINE_FOLD = 2
"""Up to this many folded people are a line on their manager's box, not a node."""
TOP_FINDINGS = 5
"""The findings whose subjects a focused map shows whatever their severity."""
BADGE_NAMES = 2
"""How many of our people a coverage badge names (the warmest); the rest are counted."""


@dataclass(frozen=True)
class CrossTie:
    """One tie between their person and ours, for the coverage badge of their person."""

    theirs: str
    ours: str
    strength: float
    last_contact: date | None
    stale: bool


def account_dot(view: AccountView, findings: Iterable[Finding] = (), *,
                ties: Iterable[CrossTie] | None = None, everyone: bool = False,
                theirs_only: bool = False) -> str:
    """The DOT source of one account's diagram, with its findings drawn in.

    ``ties``: the ties across the two sides (from the account's people network, so shared
    meetings count); None: the declared relationships of the view. They are drawn as a
    badge on each of their people (who of ours knows them, how warm), not as edges
    crossing the chart. ``everyone``: draw every person; otherwise an account with more
    than ``FOCUS_FROM`` people shows those who matter (see ``focus``) and folds the rest.
    ``theirs_only``: the customer's chart alone, without our team and the services, which
    is what a page-wide figure holds legibly (the review pack shows our side as the
    coverage matrix and a table)."""
    return "\n".join(_Drawing(view, findings, ties, everyone, theirs_only).lines()) + "\n"


def focus(view: AccountView, findings: Iterable[Finding]) -> set[str]:
    """Their people an account review needs to see, in tiers: (1) decision-makers and the
    people of high and critical findings; (2) holders of the key roles (``KEY_ROLES``:
    sponsor, owners, purchaser ...); (3) the people of the first ``TOP_FINDINGS`` findings;
    (4) influence 5, champions and blockers; (5) influence 4; each with the managers above
    them, so the org chart stays one chart. The first tier is always shown; each next one
    only while the map keeps at most ``MAX_SHOWN`` of their people, what one slide holds.
    The rest are counted in the folds."""
    ranked = list(findings)  # ranked already: the worst and most important first
    theirs = {p.id for p in view.customer_people}
    people = {p.id: p for p in view.customer_people}
    tiers = [
        {a.source for a in view.authority}
        | {f.subject for f in ranked if f.severity.rank >= Severity.HIGH.rank},
        {r.source for r in view.roles if r.role in KEY_ROLES},
        {f.subject for f in ranked[:TOP_FINDINGS]},
        {i for i, p in people.items() if (p.influence or 0) >= 5
         or p.stance in (Stance.CHAMPION, Stance.BLOCKER)},
        {i for i, p in people.items() if (p.influence or 0) >= 4},
    ]
    manager = _managers(view)
    shown: set[str] = set()
    for n, tier in enumerate(tiers):
        grown = set(shown)
        for start in sorted(tier & theirs):
            person: str | None = start
            while person is not None and person not in grown:
                grown.add(person)
                person = manager.get(person)
        if n and len(grown & theirs) > MAX_SHOWN:
            break  # the first tier always; the next ones while the map stays a slide
        shown = grown
    return shown & theirs


def _managers(view: AccountView) -> dict[str, str]:
    """Report -> manager (a solid line wins over a dotted one)."""
    found: dict[str, str] = {}
    for line in sorted(view.reports, key=lambda r: r.line is ReportLine.DOTTED):
        found.setdefault(line.source, line.target)
    return found


class _Drawing:
    """One diagram being written: the view, its findings indexed for lookup."""

    def __init__(self, view: AccountView, findings: Iterable[Finding],
                 ties: Iterable[CrossTie] | None, everyone: bool, theirs_only: bool) -> None:
        self.view = view
        self.theirs_only = theirs_only
        self.findings = [f for f in findings if f.customer in (None, view.account.id)]
        theirs = [p.id for p in view.customer_people]
        self.everyone = everyone or len(theirs) <= FOCUS_FROM
        self.shown = set(theirs) if everyone or len(theirs) <= FOCUS_FROM \
            else focus(view, self.findings)
        self.folded = self._fold()
        ours = self.ours = {p.id for p in view.team}
        if ties is None:
            ties = [CrossTie(*((r.source, r.target) if r.target in ours else (r.target, r.source)),
                             _strength(r.strength), r.last_contact, False)
                    for r in view.relationships if (r.source in ours) != (r.target in ours)]
        self.badges: dict[str, list[CrossTie]] = {}
        for t in ties:
            self.badges.setdefault(t.theirs, []).append(t)
        self.names = {p.id: p.name for p in (*view.customer_people, *view.team)}
        self.by_subject: dict[str, list[Finding]] = {}
        for f in self.findings:
            self.by_subject.setdefault(f.subject, []).append(f)
        # a stale tie is its own finding, or folded into a lapsed contact's (``also``)
        self.stale = {tuple(sorted(e)) for f in self.findings
                      for kind, e in ((f.rule_type, f.evidence),
                                      *((a.rule_type, a.evidence) for a in f.also))
                      if kind == "stale-relationship" and len(e) == 2
                      and not (isinstance(f.detail, StaleRelationship.Detail)
                               and f.detail.others and e is f.evidence)}
        self.threads = {f.detail.through for f in self.findings
                        if isinstance(f.detail, SingleThreaded.Detail) and f.detail.through}
        self.roles_of: dict[str, list[str]] = {}
        places = {s.id: s.name for s, _ in view.services} | \
            {a.id: a.name for a in view.agreements}
        for r in view.roles:
            # a service's name, as the services box and the pack's table name it
            where = "" if r.target == view.account.id else \
                f" @ {places.get(r.target, r.target)}"
            role = view.catalog.get(r.role)
            self.roles_of.setdefault(r.source, []).append((role.name if role else r.role) + where)

    def lines(self) -> list[str]:
        body = [*self.sides(), *self.things(), *self.edges()]
        return [
            "digraph account {",
            "  graph " + _attrs(label=HtmlLabel(self.heading()), labelloc="t",
                                fontname=FONT, rankdir="TB", newrank="true",
                                nodesep=0.4, ranksep=0.6) + ";",
            '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", '
            f'fontname="{FONT}", fontsize=10];',
            f'  edge [fontname="{FONT}", fontsize=8];',
            *body,
            "}",
        ]

    def heading(self) -> str:
        """The title, what the map folded, and a one-row legend of what it draws: on top,
        not a column beside the chart, which made the map a third wider."""
        title = f"{self.view.account.name}: " + \
            ("their people" if self.theirs_only else "account map")
        theirs = len(self.view.customer_people)
        shown = len(self.shown)
        sub = ("" if self.everyone else
               f"{shown} of their {theirs} people shown (who decides, key roles, top findings, "
               f"high influence), {theirs - shown} folded: --all draws everyone")
        lines = []
        for cells in _legend_rows(self.legend()):
            lines.append('<TR><TD><TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" '
                         f'CELLPADDING="3"><TR>{"".join(cells)}</TR></TABLE></TD></TR>')
        rows = [f'<TR><TD><FONT POINT-SIZE="18">{dot_html(title)}</FONT></TD></TR>']
        if sub:
            rows.append(f'<TR><TD><FONT POINT-SIZE="9" COLOR="#546e7a">{dot_html(sub)}'
                        "</FONT></TD></TR>")
        rows += lines
        return ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">'
                + "".join(rows) + "</TABLE>")

    def legend(self) -> list[str]:
        """The legend's cells, only for what this map draws."""
        drawn = [p for p in (*self.view.customer_people, *self.view.team)
                 if p.id in self.shown or (p.id in self.ours and not self.theirs_only)]
        stances = {p.stance for p in drawn if p.stance}

        def cell(text: str, fill: str | None = None) -> str:
            bg = f' BGCOLOR="{fill}"' if fill else ""
            return f'<TD{bg}><FONT POINT-SIZE="9">{text}</FONT></TD>'

        out = [cell(s.value, STANCE_FILL[s]) for s in Stance if s in stances]
        if any(p.influence for p in drawn):
            out.append(cell("border width, ●●●○○ = influence"))
        out.append(cell('<FONT COLOR="#2e7d32">known by NAME 0.6</FONT> = our tie, strength 0-1'))
        if self.everyone and any((r.source in self.ours) == (r.target in self.ours)
                                 for r in self.view.relationships):
            out.append(cell(
                f'<FONT COLOR="{SENTIMENT_COLOR[Sentiment.POSITIVE]}">━ positive</FONT> '
                f'<FONT COLOR="{SENTIMENT_COLOR[Sentiment.NEUTRAL]}">━ neutral</FONT> '
                f'<FONT COLOR="{SENTIMENT_COLOR[Sentiment.NEGATIVE]}">━ negative</FONT>'))
        out.append(cell(f'<FONT COLOR="{FADED_TEXT}">grey = stale</FONT>'))
        if not self.theirs_only and (self.view.owners or self.view.authority):
            out.append(cell('<FONT COLOR="#546e7a">→ owns</FONT> '
                            '<FONT COLOR="#6a1b9a">◆ decides</FONT>'))
        out.append(cell(f'<FONT COLOR="{GAP}">red / dashed = gap; ⚠ = finding</FONT>'))
        if any(p.status is PersonStatus.LEFT for p in drawn):
            out.append(cell("<S>name</S> = left"))
        if self.folded and not self.everyone:
            out.append(cell('<FONT COLOR="#546e7a"><I>+ N</I></FONT> = people folded'))
        return out

    def tags(self, subject: str) -> list[str]:
        return [_tag(f) for f in self.by_subject.get(subject, [])]

    def person(self, p: Person) -> str:
        tags = self.tags(p.id)
        if p.id in self.threads:
            tags.append("every cross-side relationship goes through this person")
        name = f"<B>{dot_html(p.name)}</B>"
        if p.status is PersonStatus.LEFT:
            name = f"<S>{name}</S> <I>(left)</I>"
        rows = [name]
        if p.title:
            rows.append(f'<FONT POINT-SIZE="9">{dot_html(p.title)}</FONT>')
        if self.roles_of.get(p.id):
            roles = "\n".join(textwrap.wrap(", ".join(self.roles_of[p.id]), WRAP))
            rows.append(f'<FONT POINT-SIZE="8" COLOR="#37474f">{dot_html(roles)}</FONT>')
        if p.influence:
            rows.append(f'<FONT POINT-SIZE="8">influence {"●" * p.influence}'
                        f'{"○" * (5 - p.influence)}</FONT>')
        if p.organization == self.view.account.id or p.id in self.shown:
            rows.append(self.badge(p.id))
        if self.inline(p.id):
            rows.append(f'<FONT POINT-SIZE="8" COLOR="#546e7a"><I>+ {len(self.folded[p.id])} '
                        f"more reporting here</I></FONT>")
        rows += _warnings(tags)
        left = p.status is PersonStatus.LEFT
        blocker = any(f.rule_class is BlockerWithoutChampion
                      for f in self.by_subject.get(p.id, []))
        return f"    {_node_id('person', p.id)} " + _attrs(
            label=HtmlLabel("<BR/>".join(rows)),
            fillcolor=STANCE_FILL[p.stance] if p.stance else "#ffffff",
            penwidth=3 if tags else (p.influence or 1),
            color=GAP if tags else ("#9e9e9e" if left else "#424242"),
            style="rounded,filled,dashed" if left else None,
            peripheries=2 if blocker else None,
            tooltip=p.id,
        ) + ";"

    def badge(self, person: str) -> str:
        """Who of ours knows them, warmest first, and how warm: the coverage of one of
        their people, drawn on them instead of as edges across the chart."""
        def stale(t: CrossTie) -> bool:  # as the playbook judged it, or as the caller said
            return t.stale or tuple(sorted((t.theirs, t.ours))) in self.stale

        ties = sorted(self.badges.get(person, ()), key=lambda t: (stale(t), -t.strength, t.ours))
        if not ties:
            return f'<FONT POINT-SIZE="8" COLOR="{FADED_TEXT}">no tie with our team</FONT>'
        named = ", ".join(f"{self.names.get(t.ours, t.ours)} {t.strength:.1f}"
                          for t in ties[:BADGE_NAMES])
        more = f" +{len(ties) - BADGE_NAMES}" if len(ties) > BADGE_NAMES else ""
        lapsed = all(stale(t) for t in ties)
        colour = FADED_TEXT if lapsed else "#2e7d32"
        last = max((t.last_contact for t in ties if t.last_contact), default=None)
        note = f"\nstale since {last.isoformat()}" if lapsed and last else \
            " (stale)" if lapsed else ""
        text = "\n".join(textwrap.wrap(f"known by {named}{more}", WRAP)) + note
        return f'<FONT POINT-SIZE="8" COLOR="{colour}">{dot_html(text)}</FONT>'

    def _fold(self) -> dict[str | None, list[Person]]:
        """Their people not shown, by the nearest shown manager above them (None: none)."""
        manager = _managers(self.view)
        folded: dict[str | None, list[Person]] = {}
        for p in self.view.customer_people:
            if p.id in self.shown:
                continue
            boss = manager.get(p.id)
            seen = {p.id}
            while boss is not None and boss not in self.shown and boss not in seen:
                seen.add(boss)
                boss = manager.get(boss)
            folded.setdefault(boss if boss in self.shown else None, []).append(p)
        return folded

    def inline(self, boss: str | None) -> bool:
        """Whether the people folded under ``boss`` are a line on the manager's own box
        rather than a node of their own: a node for one or two people made the map wider
        than what it folded."""
        return boss is not None and 0 < len(self.folded.get(boss, ())) <= INLINE_FOLD

    def folds(self) -> list[str]:
        out = []
        for boss, people in sorted(self.folded.items(), key=lambda x: x[0] or ""):
            if self.inline(boss):
                continue
            names = ", ".join(p.name for p in sorted(people, key=lambda p: p.name)[:30])
            text = (f"+ {len(people)} reporting to {self.names.get(boss, boss)}" if boss
                    else f"+ {len(people)} more of their people")
            out.append(f"    {_node_id('folded', boss or '')} " + _attrs(
                label=HtmlLabel(f"<I>{dot_html(text)}</I>"), style="rounded,dashed",
                color="#90a4ae", fontcolor="#546e7a",
                tooltip=names + (" ..." if len(people) > 30 else "")) + ";")
        return out

    def grid(self, people: list[Person], loose: Sequence[str] = ()) -> list[str]:
        """Invisible edges that stack the reports of one manager ``GRID_COLUMNS`` to a row,
        and the people with no manager drawn in a block, with the ``loose`` nodes (vacant
        seats first, the fold of people with no manager last): a flat network, or a manager
        with fifteen reports, would otherwise be one row many thousand pixels wide."""
        ids = {p.id for p in people}
        manager = {r: m for r, m in _managers(self.view).items() if r in ids and m in ids}
        groups: dict[str | None, list[str]] = {}
        for p in people:
            groups.setdefault(manager.get(p.id), []).append(_node_id("person", p.id))
        top = groups.setdefault(None, [])
        top[:0] = [n for n in loose if n.startswith('"vacant:')]
        top += [n for n in loose if not n.startswith('"vacant:')]
        out = []
        for boss, group in groups.items():
            # a manager's reports two to a row under them; people with no manager drawn in
            # a block about twice as wide as high
            k = GRID_COLUMNS if boss is not None else max(GRID_COLUMNS,
                                                          math.ceil(math.sqrt(2 * len(group))))
            out += [f"    {a} -> {b} [style=invis];"
                    for a, b in zip(group, group[k:], strict=False)]
        return out

    def sides(self) -> list[str]:
        view, out = self.view, []
        vacant = vacancies(self.findings, view.catalog, view.account.id)
        ours = view.provider.name if view.provider else "Our team"
        for side, title, people in (
                (Side.CUSTOMER, f"{view.account.name} (customer)", view.customer_people),
                *(() if self.theirs_only else
                  ((Side.PROVIDER, f"{ours} (our team)", view.team),))):
            out.append(f"  subgraph {dot_string('cluster_' + side.value)} {{")
            out.append("    graph " + _attrs(label=title, style="rounded", color="#90a4ae") + ";")
            drawn = [p for p in people if side is Side.PROVIDER or p.id in self.shown]
            out += [self.person(p) for p in drawn]
            seats = [v for v in vacant if v.side is side]
            loose = [_node_id("vacant", v.code) for v in seats]
            if side is Side.CUSTOMER:
                out += self.folds()
                if self.folded.get(None):
                    loose.append(_node_id("folded", ""))
            out += self.grid(drawn, loose)
            out += [f"    {_node_id('vacant', v.code)} " + _attrs(
                label=HtmlLabel(f"<I>{dot_html(v.name)}: {_vacant_text(v)}</I>"),
                style="rounded,dashed", color=GAP, fontcolor=GAP, penwidth=2) + ";"
                for v in seats]
            out.append("  }")
        return out

    def things(self) -> list[str]:
        view = self.view
        if self.theirs_only or not (view.services or view.agreements):
            return []
        # a box of their own under our team, a few to a row: on the ranks of their owners,
        # beside the clusters, they made the map a column wider
        out = [f"  subgraph {dot_string('cluster_things')} {{",
               "    graph " + _attrs(label="Services and agreements", style="rounded",
                                     color="#90a4ae") + ";"]
        for service, vital in view.services:
            tags = self.tags(service.id)
            rows = [f"<B>{dot_html(service.name)}</B>",
                    *(['<FONT POINT-SIZE="8">vital</FONT>'] if vital else []), *_warnings(tags)]
            out.append(f"    {_node_id('service', service.id)} " + _attrs(
                label=HtmlLabel("<BR/>".join(rows)), shape="component", style="filled",
                fillcolor="#e3f2fd" if vital else "#fafafa", color=GAP if tags else "#546e7a",
                penwidth=3 if tags else 1, tooltip=service.id) + ";")
        for agreement in view.agreements:
            tags = self.tags(agreement.id)
            review = (f"next review {agreement.next_review.isoformat()}"
                      if agreement.next_review else "no review date")
            rows = [f"<B>{dot_html(agreement.name)}</B>", f'<FONT POINT-SIZE="8">{review}</FONT>',
                    *_warnings(tags)]
            out.append(f"    {_node_id('agreement', agreement.id)} " + _attrs(
                label=HtmlLabel("<BR/>".join(rows)), shape="note", style="filled",
                fillcolor="#fffde7", color=GAP if tags else "#8d6e63",
                penwidth=3 if tags else 1, tooltip=agreement.id) + ";")
        things = [_node_id("service", s.id) for s, _ in view.services] + \
            [_node_id("agreement", a.id) for a in view.agreements]
        grid = [things[i:i + THING_COLUMNS] for i in range(0, len(things), THING_COLUMNS)]
        out += [f"    {{rank=same; {'; '.join(row)};}}" for row in grid if len(row) > 1]
        out += [f"    {a[0]} -> {b[0]} [style=invis];" for a, b in itertools.pairwise(grid)]
        out.append("  }")
        # under our team: from each of ours with no report drawn to the first row
        bosses = {line.target for line in view.reports if line.source in self.ours}
        out += [f"  {_node_id('person', p.id)} -> {grid[0][0]} [style=invis];"
                for p in view.team if p.id not in bosses]
        return out

    def edges(self) -> list[str]:
        view, out = self.view, []
        drawn = self.shown | (set() if self.theirs_only else self.ours)
        for boss in self.folded:
            if boss is not None and not self.inline(boss):
                out.append(f"  {_node_id('person', boss)} -> {_node_id('folded', boss)} "
                           + _attrs(arrowhead="none", color="#90a4ae", style="dashed") + ";")
        ours = {p.id for p in view.team}
        for line in view.reports:
            if line.source not in drawn or line.target not in drawn:
                continue
            out.append(f"  {_node_id('person', line.target)} -> {_node_id('person', line.source)} "
                       + _attrs(style="dotted" if line.line is ReportLine.DOTTED else "solid",
                                arrowhead="none", color="#607d8b") + ";")
        for rel in view.relationships:
            # Ties across the sides are badges on their people, not edges across the chart;
            # ranks come from reporting lines only: letting 2,000 colleague ties of a
            # 300-person account constrain the layout took dot over 15 minutes (1 s without).
            if (rel.source in ours) != (rel.target in ours) or not (
                    rel.source in drawn and rel.target in drawn) or not self.everyone:
                continue  # colleagues' ties are in the coverage matrix and --all
            stale = (rel.source, rel.target) in self.stale  # both sorted
            out.append(f"  {_node_id('person', rel.source)} -> {_node_id('person', rel.target)} "
                       + _attrs(
                           dir="none", constraint="false",
                           color=FADED if stale else SENTIMENT_COLOR[rel.sentiment],
                           penwidth=round(0.5 + 3 * _strength(rel.strength), 2),
                           style="dashed" if stale else None,
                           tooltip=f"stale since {rel.last_contact.isoformat()}"
                           if stale and rel.last_contact else None) + ";")
        for o in view.owners:
            if o.source in drawn and not self.theirs_only:
                out.append(f"  {_node_id('person', o.source)} -> {_node_id('service', o.target)} "
                           + _attrs(color="#546e7a", arrowhead="vee", constraint="false",
                                    tooltip=f"{self.names.get(o.source, o.source)} owns it")
                           + ";")
        conflicts = {(f.subject, f.detail.scope) for f in self.findings
                     if f.rule_class is AuthorityConflict and isinstance(f.detail, _Scoped)}
        services = {s.id for s, _ in view.services}
        agreements = {g.id for g in view.agreements}
        for a in view.authority:
            kind = "service" if a.target in services else \
                "agreement" if a.target in agreements else None
            if kind is None:
                continue  # authority over the account itself: on the person, via roles/tags
            if a.source not in drawn or self.theirs_only:
                continue
            clash = (a.target, a.scope) in conflicts
            out.append(f"  {_node_id('person', a.source)} -> {_node_id(kind, a.target)} "
                       + _attrs(label=f"decides: {a.scope.value}",
                                color=GAP if clash else "#6a1b9a", style="bold",
                                arrowhead="diamond", constraint="false") + ";")
        return out


LEGEND_LINE = 100
"""About how many characters of legend one row holds: a longer legend is two or more rows
of about equal length, so that it is not wider than the chart under it."""


def _legend_rows(cells: list[str]) -> list[list[str]]:
    """The legend's cells in rows of about equal length, each at most about
    ``LEGEND_LINE`` visible characters."""
    sizes = [len(re.sub(r"<[^>]*>", "", cell)) for cell in cells]
    target = sum(sizes) / max(1, math.ceil(sum(sizes) / LEGEND_LINE))
    rows: list[list[str]] = [[]]
    used = 0
    for cell, size in zip(cells, sizes, strict=True):
        if used >= target:
            rows.append([])
            used = 0
        rows[-1].append(cell)
        used += size
    return rows


def _vacant_text(v: Vacancy) -> str:
    return f"{v.held} of {v.needed}" if v.held else "vacant"


def _warnings(tags: list[str]) -> list[str]:
    return [f'<FONT POINT-SIZE="8" COLOR="{GAP}">⚠ {dot_html(t)}</FONT>' for t in tags]


def _tag(f: Finding) -> str:
    """The rule type's own short words for the finding."""
    return f.rule_class.tag(f.detail)


def portfolio_dot(scores: Iterable[CustomerScore], team: list[tuple[str, str, str, str]]) -> str:
    """The portfolio overview: each account with its coverage score, and who serves it.

    ``team`` is (person id, person name, role, account id). Accounts are coloured by their
    score's band (green good, amber fair, red poor), so weak coverage is visible across
    hundreds of accounts at a glance.
    """
    out = [
        "digraph portfolio {",
        "  graph " + _attrs(label="Portfolio overview: coverage score per account",
                            labelloc="t", fontsize=18, fontname=FONT, overlap="false",
                            splines="true", rankdir="LR") + ";",
        f'  node [fontname="{FONT}", fontsize=10];',
        '  edge [color="#90a4ae", arrowhead="none"];',
    ]
    for s in scores:
        out.append(f"  {_node_id('account', s.customer)} " + _attrs(
            label=HtmlLabel(f"<B>{dot_html(s.name)}</B><BR/>score {s.score}"), shape="box",
            style="rounded,filled", fillcolor=BAND_FILL[s.band], tooltip=s.customer) + ";")
    people: dict[str, str] = {}
    for person_id, person_name, _, _ in team:
        people.setdefault(person_id, person_name)
    for person_id, person_name in sorted(people.items()):
        out.append(f"  {_node_id('person', person_id)} " + _attrs(
            label=person_name, shape="ellipse", style="filled", fillcolor="#eceff1",
            tooltip=person_id) + ";")
    for person_id, _, role, account_id in team:
        out.append(f"  {_node_id('person', person_id)} -> {_node_id('account', account_id)} "
                   + _attrs(tooltip=role) + ";")
    out.append("}")
    return "\n".join(out) + "\n"


UNDECLARED_STRENGTH = 0.5
"""The pen width of a relationship whose strength was not declared: drawn as a middling
tie, as every relationship without a strength was before strength became optional."""


def _strength(strength: float | None) -> float:
    return UNDECLARED_STRENGTH if strength is None else strength
