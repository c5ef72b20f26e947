"""What an account review looks at, as data: the account, its findings and score, who holds
which role on each side (and what is vacant), where the customer's people sit on the
power-interest grid, who connects the account's people (brokers, gatekeepers, hidden
influencers) and whose departure would cost it most.

It is assembled from the same ``find_gaps`` findings the gap report and the diagram use, so
the three agree: a role is "vacant" here exactly when the playbook reported it vacant.
Rendering (HTML, Markdown) lives in ``stakemap.render``; nothing here formats text for a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from stakemap.analysis.account import AccountView
from stakemap.analysis.arguments import playbook_argument
from stakemap.analysis.gaps import CustomerScore, Finding, GapReport, find_gaps
from stakemap.analysis.keypeople import AccountCost, KeyPersonRisk, key_people_at_risk
from stakemap.analysis.network import AccountNetwork, PersonRole, network_roles
from stakemap.analysis.playbook import Playbook
from stakemap.model.enums import PersonStatus, Side
from stakemap.model.nodes import Person
from stakemap.model.roles import RoleCatalog
from stakemap.rules import RequiredRole, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from stakemap.analysis.coverage import CoverageMatrix
    from stakemap.backends import GraphStore

__all__ = [
    "HIGH",
    "LEAVERS",
    "QUADRANTS",
    "AccountReview",
    "Connector",
    "Holder",
    "Placement",
    "RoleRow",
    "ThingRow",
    "Vacancy",
    "quadrant",
    "vacancies",
]

HIGH = 4
"""On the 1-5 scales, 4 and 5 count as high influence or interest. A 3 is "medium" and
goes with the low half, so "manage closely" stays reserved for the people who matter most."""

LEAVERS = 3
"""How many key-person risks the pack shows: the few worth a conversation in the meeting;
``stakemap whatif --rank`` gives the full ranking."""

QUADRANTS = ("manage closely", "keep satisfied", "keep informed", "monitor")
"""Mendelow's power-interest grid: high/high, high influence only, high interest only, low/low."""


def quadrant(influence: int, interest: int) -> str:
    """The grid quadrant of a person rated ``influence`` and ``interest`` (1-5 each)."""
    if influence >= HIGH:
        return QUADRANTS[0] if interest >= HIGH else QUADRANTS[1]
    return QUADRANTS[2] if interest >= HIGH else QUADRANTS[3]


@dataclass(frozen=True)
class Vacancy:
    """A required role the playbook found unfilled (or under-filled) at the account."""

    side: Side
    roles: tuple[str, ...]
    """The role ids that would fill it (more than one for an ``any_of`` rule)."""
    name: str
    """The roles' names, joined with "or"."""
    code: str
    held: int
    needed: int


def vacancies(findings: Iterable[Finding], catalog: RoleCatalog, account: str) -> list[Vacancy]:
    """The vacant roles at ``account``, read off its required-role findings. One function so
    the diagram's dashed placeholders and the review's role table cannot disagree."""
    out = []
    for f in findings:
        detail = f.detail
        if not isinstance(detail, RequiredRole.Detail) or f.subject != account:
            continue
        role_ids = detail.role_ids()
        first = catalog.get(role_ids[0])
        name = " or ".join(d.name if (d := catalog.get(i)) else i for i in role_ids)
        out.append(Vacancy(side=first.side if first else Side.CUSTOMER, roles=role_ids,
                           name=name, code=f.code, held=detail.held, needed=detail.needed))
    return out


@dataclass(frozen=True)
class Holder:
    id: str
    name: str
    active: bool
    """False when the person has left, or the role has ended or not started by the as-of day
    (the same test the required-role rule applies)."""
    note: str = ""
    """Why not active ("left", "ended 2026-03-31"), empty when active."""


@dataclass(frozen=True)
class RoleRow:
    """One line of a side's role table: a role at one place, who holds it, what is missing."""

    side: Side
    role: str
    """The role's display name ("Executive Sponsor", or "A or B" for an any-of vacancy)."""
    where: str
    """Where the role is held: the account's name, or a service or agreement of it."""
    holders: tuple[Holder, ...]
    vacancy: Vacancy | None = None

    @property
    def gap(self) -> bool:
        """Vacant, under-filled, or held only by people who left or whose role ended."""
        return self.vacancy is not None or not any(h.active for h in self.holders)

    @property
    def status(self) -> str:
        if self.vacancy is None:
            return "held" if any(h.active for h in self.holders) else "no active holder"
        if self.vacancy.held:
            return f"{self.vacancy.held} of {self.vacancy.needed} needed"
        return "vacant"


@dataclass(frozen=True)
class ThingRow:
    """One service or agreement of the account: who owns it, who may decide on it, and the
    findings about it. The pack's map shows their people; this is the rest of the picture
    the whole map draws beside them."""

    kind: str
    """"service" or "agreement"."""
    id: str
    name: str
    vital: bool
    """A vital service (always False for an agreement)."""
    owners: tuple[str, ...]
    """Owners' names, each with its side ("Kenji Mori (ours)")."""
    deciders: tuple[str, ...]
    """Who may decide what ("Li Na: budget")."""
    next_review: date | None
    findings: tuple[str, ...]
    """The short words of the findings about it ("no owner")."""


@dataclass(frozen=True)
class Placement:
    """A customer person on the power-interest grid; ``quadrant`` is None when unrated."""

    person: Person
    quadrant: str | None


@dataclass(frozen=True)
class Connector:
    """One person of the account's network with a role in holding it together. A person
    can be broker, gatekeeper and hidden influencer at once; the pack shows them once with
    every role, so the same name does not fill three rows."""

    person: PersonRole
    roles: tuple[str, ...]
    """Of "broker", "gatekeeper", "hidden influencer", in that order."""
    cuts_off: tuple[str, ...]
    """The names of the people only reachable through them (``person.cuts_off`` looked up)."""


@dataclass(frozen=True)
class AccountReview:
    """Everything an account-review pack shows, for one account, as of one day."""

    view: AccountView
    report: GapReport
    """The gap report narrowed to this account (its score is ``score``)."""
    score: CustomerScore
    connectors: AccountNetwork
    """The account's people network and its roles (``network_roles``), as of the same day."""
    leavers: tuple[KeyPersonRisk, ...]
    """The ``LEAVERS`` costliest departures at this account, both sides together (from
    ``key_people_at_risk`` with the same playbook and day): most points lost first, then most
    people out of reach."""
    coverage: CoverageMatrix | None = None
    """Who of our team covers which of their key people (``stakemap.analysis.coverage``),
    from the same findings and day."""

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.report.findings

    @property
    def provider_name(self) -> str:
        return self.view.provider.name if self.view.provider else "our team"

    @classmethod
    def build(cls, store: GraphStore, customer: str, *,
              playbook: Playbook | str | Iterable[str] | None = None,
              as_of: date | None = None) -> AccountReview:
        book = playbook_argument(playbook)  # resolved once: both analyses run the same rules
        report = find_gaps(store, playbook=book, as_of=as_of, customers=[customer])
        view = AccountView.from_store(store, customer)
        score = next(s for s in report.scores if s.customer == customer)
        # the day find_gaps settled on, so every section is judged on the same day
        network = network_roles(store, customers=[customer], as_of=report.as_of).accounts[0]
        ranking = key_people_at_risk(store, customers=[customer], playbook=book,
                                     as_of=report.as_of, limit=LEAVERS)
        leavers = sorted((*ranking.ours, *ranking.theirs),
                         key=lambda r: (-r.points, -r.unreachable, r.person))[:LEAVERS]
        from stakemap.analysis.coverage import coverage_matrix

        coverage = coverage_matrix(store, customer, findings=report.findings, as_of=report.as_of)
        return cls(view=view, report=report, score=score, connectors=network,
                   leavers=tuple(leavers), coverage=coverage)

    def name_of(self, person: str) -> str:
        """A person's name from the account's people (either side) or its network, else the
        id: the pack names people, and these already hold every name it needs."""
        for p in (*self.view.customer_people, *self.view.team):
            if p.id == person:
                return p.name
        return next((p.name for p in self.connectors.people if p.id == person), person)

    def key_connectors(self) -> list[Connector]:
        """The brokers (most betweenness first), then the other gatekeepers, then the other
        hidden influencers, each once with all their roles."""
        network = self.connectors
        found: dict[str, list[str]] = {}
        people: dict[str, PersonRole] = {}
        for role, holders in (
                ("broker", sorted(network.brokers(), key=lambda p: (-p.betweenness, p.id))),
                ("gatekeeper", sorted(network.gatekeepers(), key=lambda p: p.id)),
                ("hidden influencer", sorted(network.hidden_influencers(),
                                             key=lambda p: p.id))):
            # sorted by id too: the order cannot depend on the order a store reads people in
            for p in holders:
                people.setdefault(p.id, p)
                found.setdefault(p.id, []).append(role)
        return [Connector(person=people[i], roles=tuple(roles),
                          cuts_off=tuple(self.name_of(c) for c in people[i].cuts_off))
                for i, roles in found.items()]

    def leaver_cost(self, leaver: KeyPersonRisk) -> AccountCost | None:
        """What this account loses without ``leaver`` (the ranking covers only it)."""
        return next((c for c in leaver.accounts if c.account == self.view.account.id), None)

    def counts(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def role_rows(self) -> dict[Side, list[RoleRow]]:
        """Per side: every role held at the account (or its services and agreements), with
        its holders, and every vacancy the playbook reported, merged into the row of the same
        role where one exists. Customer side first, rows in the catalog's role order."""
        view, catalog = self.view, self.view.catalog
        people = {p.id: p for p in (*view.customer_people, *view.team)}
        sides = {p.id: Side.CUSTOMER for p in view.customer_people} | \
            {p.id: Side.PROVIDER for p in view.team}
        places = {view.account.id: view.account.name} | \
            {s.id: s.name for s, _ in view.services} | {a.id: a.name for a in view.agreements}
        held: dict[tuple[str, str], list[Holder]] = {}
        as_of = self.report.as_of
        for r in view.roles:
            person = people.get(r.source)
            if person is None:
                continue
            note = "left" if person.status is PersonStatus.LEFT else "" if r.current_on(as_of) \
                else f"ended {r.until.isoformat()}" if r.until and r.until < as_of \
                else f"starts {r.since.isoformat() if r.since else ''}"
            held.setdefault((r.role, r.target), []).append(
                Holder(person.id, person.name, active=not note, note=note))
        order = {role.id: i for i, role in enumerate(catalog)}
        gaps = {(v.roles[0], view.account.id): v for v in vacancies(
            self.findings, catalog, view.account.id)}
        rows: dict[Side, list[tuple[tuple[int, bool, str, str], RoleRow]]] = {
            Side.CUSTOMER: [], Side.PROVIDER: []}
        for key in sorted(held.keys() | gaps.keys()):
            role_id, target = key
            holders = tuple(sorted(held.get(key, []), key=lambda h: (not h.active, h.name)))
            vacancy = gaps.get(key)
            definition = catalog.get(role_id)
            side = vacancy.side if vacancy else definition.side if definition else \
                sides.get(holders[0].id, Side.CUSTOMER) if holders else Side.CUSTOMER
            name = vacancy.name if vacancy else definition.name if definition else role_id
            sort = (order.get(role_id, len(order)), target != view.account.id,
                    places.get(target, target), role_id)
            rows[side].append((sort, RoleRow(side=side, role=name,
                                             where=places.get(target, target),
                                             holders=holders, vacancy=vacancy)))
        return {side: [row for _, row in sorted(found, key=lambda x: x[0])]
                for side, found in rows.items()}

    def thing_rows(self) -> list[ThingRow]:
        """The account's services (vital first), then its agreements, each with its owners,
        its deciders and the tags of its findings."""
        view = self.view
        people = {p.id: (p.name, "theirs") for p in view.customer_people} | \
            {p.id: (p.name, "ours") for p in view.team}

        def owners(thing: str) -> tuple[str, ...]:
            return tuple(sorted(f"{people[o.source][0]} ({people[o.source][1]})"
                                if o.source in people else o.source
                                for o in view.owners if o.target == thing))

        def deciders(thing: str) -> tuple[str, ...]:
            return tuple(sorted(f"{people.get(a.source, (a.source,))[0]}: {a.scope.value}"
                                for a in view.authority if a.target == thing))

        def tags(thing: str) -> tuple[str, ...]:
            return tuple(f.rule_class.tag(f.detail) for f in self.findings if f.subject == thing)

        services = sorted(view.services, key=lambda x: (not x[1], x[0].name, x[0].id))
        return [ThingRow("service", s.id, s.name, vital, owners(s.id), deciders(s.id), None,
                         tags(s.id)) for s, vital in services] + \
            [ThingRow("agreement", a.id, a.name, False, owners(a.id), deciders(a.id),
                      a.next_review, tags(a.id))
             for a in sorted(view.agreements, key=lambda a: (a.name, a.id))]

    def power_interest(self) -> list[Placement]:
        """The customer's active people on the grid, by quadrant (manage closely first), most
        influential first within one; people without both ratings come last with no
        quadrant, so the page can ask for them to be rated."""
        placed = [Placement(p, quadrant(p.influence, p.interest)
                            if p.influence and p.interest else None)
                  for p in self.view.customer_people if p.status is PersonStatus.ACTIVE]
        rank = {q: i for i, q in enumerate(QUADRANTS)}
        return sorted(placed, key=lambda x: (rank.get(x.quadrant or "", len(rank)),
                                             -(x.person.influence or 0),
                                             -(x.person.interest or 0), x.person.name))

