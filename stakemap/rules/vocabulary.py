"""The words every rule, summary and diagram uses, defined once: in Python, and beside each
definition its Cypher twin for the Neo4j backend.

- **side**: a person is on the customer side when their organization is a customer, on the
  provider side otherwise (partners count as provider side).
- an **account** is a customer organization that consumes a service or is party to an
  agreement; a group parent that does neither (its divisions are the accounts) is not one.
- an account's **divisions** are the customer organizations whose ``parent`` chain leads to
  it; its **people** are the people of the account and of its divisions.
- an account's **things** are the account itself, its divisions, the services it consumes
  and the agreements it is party to; rules with a ``scopes`` parameter look at a subset.
- a person **counts for** an account at one of its things when they are on the provider
  side or one of the account's people (a role at a service another customer shares does
  not fill this account's seat).
- an account's **team** is the provider-side people who hold a role at one of its things or
  own one of them.
- a **decision-maker** of an account is an active person of the account with decision
  authority over one of its things.
- a **tie** is a pair (their active person, our active person) with a declared relationship
  or a meeting on or before the as-of day that both attended: contact happens between each
  provider-side and each customer-side attendee of a meeting, and only between them. A
  tie's **last contact** is the later of the relationship's ``last_contact`` and the latest
  such meeting; its **strength** is the declared one, or else computed from its dated
  interactions (``tie_strength``).
- a **key person** of an account is an active person of the account who is a
  decision-maker, holds a key role (``KEY_ROLES``: executive sponsor, business owner,
  system owner, authorized representative, purchaser) at one of its things, or has
  influence >= 4 (rules may set their own roles and threshold). End users and
  administrators are many and each one's tie matters less: they are the long tail.

``AccountIndex`` answers these over nodes and edges in memory (the memory backend's rules and
``stakemap show`` use it); the ``CYPHER_*`` fragments answer them inside Neo4j (the Neo4j
backend's rules use them). The parity tests hold the two to the same answers.
"""

from __future__ import annotations

import copy
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from stakemap.model.edges import (
    Attended,
    Consumes,
    DecisionAuthority,
    DirectedTie,
    Edge,
    HoldsRole,
    Owns,
    PartyTo,
    Relationship,
    ReportsTo,
)
from stakemap.model.enums import AuthorityScope, NodeKind, OrgKind, PersonStatus, Side, TieType
from stakemap.model.nodes import Meeting, Node, Organization, Person
from stakemap.rules.base import ALL_SCOPES, Account, AccountSizes, Scope
from stakemap.rules.network import NetworkPerson, PeopleNetwork, Raw, assemble

if TYPE_CHECKING:
    from stakemap.rules.stale import StaleTie

__all__ = [
    "CYPHER_IS_ACCOUNT",
    "CYPHER_PROVIDERS",
    "CYPHER_THINGS",
    "HALF_LIFE_DAYS",
    "KEY_INFLUENCE",
    "KEY_ROLES",
    "AccountIndex",
    "Tie",
    "divisions_of",
    "is_account",
    "side_of_org",
    "strength_from_ages",
    "tie_strength",
]

HALF_LIFE_DAYS = 90
"""An interaction's weight in a tie's computed strength halves every 90 days."""

KEY_INFLUENCE = 4
"""Influence from which a person is a key person of their account (``AccountSizes``)."""

KEY_ROLES = ("executive-sponsor", "business-owner", "system-owner",
             "authorized-representative", "purchaser")
"""Customer roles whose holders are key people of their account."""


def tie_strength(declared: float | None, interactions: Iterable[date], as_of: date
                 ) -> tuple[float, str]:
    """A tie's strength and where it comes from: ``declared`` when the relationship states
    one; else computed from its dated interactions (the meetings both attended and the
    relationship's ``last_contact``, each distinct day once, none after ``as_of``):

        strength = 1 - exp(-sum(0.5 ** (age_in_days / 90)))     rounded to 2 places

    Recency and frequency: a meeting today weighs 1, three months ago 0.5, a year ago 0.06;
    weights add up, so one meeting today gives 0.63, two give 0.86, one three months ago
    0.39, one a year ago 0.06. (Reciprocity, which relationship-intelligence CRMs also
    weigh, needs who reached out to whom, which a portfolio does not record.) With neither a
    declared strength nor a dated interaction: 0.5, "unknown"."""
    return strength_from_ages(declared, ((as_of - d).days for d in interactions))


def strength_from_ages(declared: float | None, ages: Iterable[int]) -> tuple[float, str]:
    """``tie_strength`` from the interactions' ages in days (negative: after the as-of day,
    not counted), the form the Neo4j backend returns them in."""
    if declared is not None:
        return declared, "declared"
    days = {a for a in ages if a >= 0}
    if not days:
        return 0.5, "unknown"
    weight = sum(0.5 ** (a / HALF_LIFE_DAYS) for a in days)
    return round(1 - math.exp(-weight), 2), "interactions"


@dataclass(frozen=True)
class Tie:
    """Their person and ours, what connects them, and when they were last in contact."""

    theirs: str
    ours: str
    relationship: Relationship | None
    meetings: tuple[date, ...]
    """Days of the meetings both attended, on or before the as-of day, newest first."""

    @functools.cached_property
    def last_contact(self) -> date | None:
        declared = self.relationship.last_contact if self.relationship else None
        met = self.meetings[0] if self.meetings else None
        if declared is None or (met is not None and met > declared):
            return met
        return declared

    def strength(self, as_of: date) -> tuple[float, str]:
        """Its strength as of a day (kept for the last day asked: a what-if ranking asks
        the same ties thousands of times)."""
        kept = self.__dict__.get("_strength")
        if kept is not None and kept[0] == as_of:
            return kept[1]  # type: ignore[no-any-return]
        rel = self.relationship
        declared = rel.strength if rel is not None else None
        dated = [*self.meetings, *([rel.last_contact] if rel and rel.last_contact else [])]
        found = tie_strength(declared, dated, as_of)
        self.__dict__["_strength"] = (as_of, found)
        return found


class _Less(Set[str]):
    """``base`` less ``gone``, as a view (membership, size and iteration)."""

    def __init__(self, base: Set[str], gone: frozenset[str]) -> None:
        self._base, self._gone = base, gone

    def __contains__(self, item: object) -> bool:
        return item not in self._gone and item in self._base

    def __iter__(self) -> Iterator[str]:
        return (i for i in self._base if i not in self._gone)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _LessAttendees(Mapping[str, list[str]]):
    """Each meeting's attendees of ours, less ``gone``, computed when asked."""

    def __init__(self, base: Mapping[str, list[str]], gone: frozenset[str]) -> None:
        self._base, self._gone = base, gone

    def __getitem__(self, meeting: str) -> list[str]:
        return [p for p in self._base[meeting] if p not in self._gone]

    def __iter__(self) -> Iterator[str]:
        return iter(self._base)

    def __len__(self) -> int:
        return len(self._base)


def divisions_of(parents: dict[str, str | None]) -> dict[str, tuple[str, ...]]:
    """Each organization's divisions, direct and indirect, sorted, from ``id -> parent``
    (parent cycles are refused when a portfolio loads; a cycle here ends the walk)."""
    found: dict[str, set[str]] = defaultdict(set)
    for org in parents:
        seen, parent = {org}, parents.get(org)
        while parent is not None and parent not in seen:
            found[parent].add(org)
            seen.add(parent)
            parent = parents.get(parent)
    return {org: tuple(sorted(d)) for org, d in found.items()}


def side_of_org(org: Organization | None) -> Side | None:
    """The side of a person in ``org`` (``Organization.side``); None for no organization."""
    return None if org is None else org.side


CYPHER_PROVIDERS = ("MATCH (po:StakemapNode:Organization) WHERE po.type <> 'customer' "
                    "RETURN collect(po.id) AS ids")
"""The provider-side organizations' ids. Read once per report and passed as ``$providers``,
so "``p`` is on the provider side" is ``p.organization IN $providers`` (an index lookup per
relationship row made the relationship rules 5-10x slower at L)."""


def is_account(org: Organization, *, consumes_or_party: bool) -> bool:
    """A customer that consumes a service or is party to an agreement."""
    return org.type is OrgKind.CUSTOMER and consumes_or_party


CYPHER_IS_ACCOUNT = ("acc.type = 'customer' AND (EXISTS { (acc)-[:CONSUMES]->(:StakemapNode) } "
                     "OR EXISTS { (acc)-[:PARTY_TO]->(:StakemapNode) })")
"""``acc`` (an Organization) is an account."""

CYPHER_ACTIVE = ("(({v}.status = 'active' OR coalesce({v}.left_on > $as_of, false)) "
                 "AND NOT {v}.id IN $absent)")
"""``{v}`` (a Person) is active on the as-of day: not left, or leaving after it, and not one
of ``$absent`` (the people a what-if takes away)."""

CYPHER_COUNTS_FOR = "({v}.organization IN $providers OR {v}.organization IN orgs)"
"""``{v}`` counts for the account at its things (provider side, or one of its people)."""

_DIVISIONS = ("COLLECT { MATCH (d:StakemapNode) WHERE d.id IN orgs AND d.id <> acc.id "
              "RETURN d }")

CYPHER_THINGS = ("WITH *, [acc] + " + _DIVISIONS + " + [(acc)-[:CONSUMES]->(s:StakemapNode) | s] "
                 "+ [(acc)-[:PARTY_TO]->(g:StakemapNode) | g] AS things ")
"""The account's things, as the list ``things`` (needs ``acc`` and ``orgs``, the account
and its divisions' ids)."""

CYPHER_SCOPED_THINGS = (
    "WITH *, CASE WHEN 'account' IN $scopes THEN [acc] ELSE [] END "
    "+ CASE WHEN 'divisions' IN $scopes THEN " + _DIVISIONS + " ELSE [] END "
    "+ CASE WHEN 'services' IN $scopes THEN [(acc)-[:CONSUMES]->(s:StakemapNode) | s] "
    "ELSE [] END "
    "+ CASE WHEN 'agreements' IN $scopes THEN [(acc)-[:PARTY_TO]->(g:StakemapNode) | g] "
    "ELSE [] END AS scoped ")
"""The things of the rule's ``$scopes``, as the list ``scoped``."""

THIN = 2
"""A holding (a role at a thing, its ownership, an authority scope over it) with at most
this many active holders is thin: each holder is a stakeholder of the account."""

CYPHER_STAKEHOLDERS = (
    "CALL (things) { UNWIND things AS t3 "
    "  MATCH (h:StakemapNode:Person)-[e:HOLDS_ROLE|OWNS|DECISION_AUTHORITY]->(t3) "
    "  WHERE " + CYPHER_ACTIVE.format(v="h") +
    "  WITH t3, type(e) AS kind, coalesce(e.role, e.scope, '') AS what, "
    "  collect(DISTINCT h.id) AS people WHERE size(people) <= " + str(THIN) +
    "  UNWIND people AS holder RETURN collect(DISTINCT holder) AS holders } ")
"""``AccountIndex.stakeholders``, as the list ``holders`` (needs ``things``)."""

CYPHER_TEAM = ("CALL (things) { UNWIND things AS t2 "
               "  MATCH (m:StakemapNode:Person)-[:HOLDS_ROLE|OWNS]->(t2) "
               "  WHERE any(x IN $providers WHERE x = m.organization) "
               "  RETURN collect(DISTINCT m) AS team } ")
"""The account's team, as the list ``team`` (needs ``things``)."""

CYPHER_TIES = (
    "CALL (acc, orgs) { CALL (acc, orgs) { "
    "  UNWIND orgs AS org "
    "  MATCH (c:StakemapNode:Person {organization: org})-[r:RELATIONSHIP]-"
    "(o:StakemapNode:Person) USING INDEX c:Person(organization) "
    "  WHERE " + CYPHER_ACTIVE.format(v="c") + " AND " + CYPHER_ACTIVE.format(v="o") +
    # "o is ours" written so no index can answer it: with "o.organization IN $providers" the
    # planner began at our side and expanded every one of our people's ties (1.8 million
    # rows for 20 accounts at L) instead of the account's people's
    "  AND any(x IN $providers WHERE x = o.organization) "
    "  RETURN c, o, r AS rel, [] AS met "
    "  UNION ALL "
    "  UNWIND orgs AS org "
    "  MATCH (c:StakemapNode:Person {organization: org})-[:ATTENDED]->(m:StakemapNode:Meeting)"
    "<-[:ATTENDED]-(o:StakemapNode:Person) USING INDEX c:Person(organization) "
    "  WHERE m.date <= $as_of AND any(x IN $providers WHERE x = o.organization) "
    "  AND " + CYPHER_ACTIVE.format(v="c") + " AND " + CYPHER_ACTIVE.format(v="o") +
    "  RETURN c, o, null AS rel, collect(DISTINCT m.date) AS met } "
    "WITH *, reduce(x = null, d IN met | CASE WHEN x IS NULL OR d > x THEN d ELSE x END) "
    "AS met_last "
    "WITH c, o, head(collect(rel)) AS rel, "
    "reduce(a = [], x IN collect(met) | a + x) AS met, max(met_last) AS met_last "
    "RETURN c, o, rel, met, CASE WHEN rel IS NULL OR rel.last_contact IS NULL THEN met_last "
    "WHEN met_last IS NULL OR rel.last_contact >= met_last THEN rel.last_contact "
    "ELSE met_last END AS last } ")
"""The account's ties (see the module), one row each: ``c`` theirs, ``o`` ours, ``rel`` the
relationship or null, ``met`` the days of the meetings both attended (on or before
``$as_of``), ``last`` the tie's last contact (needs ``acc`` and ``orgs``)."""

CYPHER_EXECUTIVE = ("(EXISTS {{ MATCH ({v})-[:HOLDS_ROLE {{role: 'executive-sponsor'}}]->(t) "
                    "WHERE t IN things }} OR EXISTS {{ MATCH ({v})-[:DECISION_AUTHORITY "
                    "{{scope: 'budget'}}]->(t) WHERE t IN things }})")
"""``{v}`` (one of the account's people) is an executive of it (needs ``things``)."""

CYPHER_DECISION_MAKER = ("MATCH (p:StakemapNode:Person)-[:DECISION_AUTHORITY]->(t) "
                         "WHERE t IN scoped AND p.organization IN orgs AND "
                         + CYPHER_ACTIVE.format(v="p") + " ")
"""``p`` is a decision-maker of ``acc`` over ``t`` (needs ``scoped`` and ``orgs``)."""


class AccountIndex:
    """The vocabulary over one graph in memory: the lookups every rule needs, built in one
    pass over its nodes and edges. ``as_of`` bounds the meetings that count as contact
    (none after it); without it, every meeting counts."""

    def __init__(self, nodes: Iterable[Node], edges: Iterable[Edge],
                 as_of: date | None = None, absent: Iterable[str] = ()) -> None:
        self.as_of = as_of
        self.nodes = {n.id: n for n in nodes}
        self.orgs = {i: n for i, n in self.nodes.items() if isinstance(n, Organization)}
        self.people = {i: n for i, n in self.nodes.items() if isinstance(n, Person)}
        self.consumes: dict[str, list[Consumes]] = defaultdict(list)
        self.parties: dict[str, list[str]] = defaultdict(list)
        self.roles_at: dict[str, list[HoldsRole]] = defaultdict(list)
        self.roles_of: dict[str, list[HoldsRole]] = defaultdict(list)
        self.owners: dict[str, list[str]] = defaultdict(list)
        self.authority_over: dict[str, list[DecisionAuthority]] = defaultdict(list)
        self.authority_of: dict[str, list[DecisionAuthority]] = defaultdict(list)
        self.knows: dict[str, list[Relationship]] = defaultdict(list)
        self.attended: dict[str, list[date]] = defaultdict(list)
        self.attendees: dict[str, list[str]] = defaultdict(list)
        self.meetings_of: dict[str, list[str]] = defaultdict(list)
        self.reports: list[ReportsTo] = []
        self.directed: list[DirectedTie] = []
        self.reports_of: dict[str, list[ReportsTo]] = defaultdict(list)
        """Reporting lines by the report (``source``): a person's own lines upward."""
        self.directed_of: dict[str, list[DirectedTie]] = defaultdict(list)
        """Directed ties by their ``source``."""
        self._index_edges(edges)
        self.accounts = sorted(
            o.id for o in self.orgs.values()
            if is_account(o, consumes_or_party=bool(self.consumes.get(o.id)
                                                    or self.parties.get(o.id))))
        self.divisions = divisions_of(
            {i: o.parent for i, o in self.orgs.items() if o.type is OrgKind.CUSTOMER})
        # asked 100,000s of times per report: answered by set lookups
        gone = set(absent)  # what if these people left: as of the day, they are not active
        self._active: Set[str] = {i for i, p in self.people.items()
                                  if (p.status is PersonStatus.ACTIVE
                                      or (as_of is not None and _left_after(p, as_of)))
                                  and i not in gone}
        self._provider_orgs = {i for i, o in self.orgs.items() if o.side is Side.PROVIDER}
        self._ties: dict[str, list[Tie]] = {}
        self._accounts_of: dict[str, set[str]] | None = None
        self._parent: AccountIndex | None = None
        """The index this one was made from by ``without``: its per-account lookups, less
        the people gone, are this one's (a tie, a decider or a key person does not depend
        on anyone else being present)."""
        self._gone: frozenset[str] = frozenset()
        self._stale: dict[tuple[str, date], list[StaleTie]] = {}
        self._marked_left: dict[str | None, list[str]] | None = None
        self._key: dict[tuple[str, int, tuple[str, ...]], set[str]] = {}
        self._deciders: dict[tuple[str, tuple[Scope, ...]], dict[str, list[str]]] = {}
        # our active people, and each meeting's (None: after the as-of day), for ties
        self._ours: Set[str] = {p for p in self._active if self.provider_side(p)}
        self._meeting_day = {m: (None if as_of is not None and node.date > as_of else node.date)
                             for m in self.attendees
                             if isinstance(node := self.nodes[m], Meeting)}
        self._our_attendees: Mapping[str, list[str]] = {
            m: [p for p in people if p in self._ours] for m, people in self.attendees.items()}
        self._vital = {c.target for cs in self.consumes.values() for c in cs if c.vital}
        self.members: dict[str, list[str]] = defaultdict(list)
        for p in self.people.values():
            self.members[p.organization].append(p.id)

    def _index_edges(self, edges: Iterable[Edge]) -> None:
        """Sort each edge into the lookups rules ask (one pass)."""
        for e in edges:
            if isinstance(e, Consumes):
                self.consumes[e.source].append(e)
            elif isinstance(e, PartyTo):
                self.parties[e.source].append(e.target)
            elif isinstance(e, HoldsRole):
                self.roles_at[e.target].append(e)
                self.roles_of[e.source].append(e)
            elif isinstance(e, Owns):
                self.owners[e.target].append(e.source)
            elif isinstance(e, DecisionAuthority):
                self.authority_over[e.target].append(e)
                self.authority_of[e.source].append(e)
            elif isinstance(e, Relationship):
                self.knows[e.source].append(e)
                self.knows[e.target].append(e)
            elif isinstance(e, ReportsTo):
                self.reports.append(e)
                self.reports_of[e.source].append(e)
            elif isinstance(e, DirectedTie):
                self.directed.append(e)
                self.directed_of[e.source].append(e)
            elif isinstance(e, Attended):
                meeting = self.nodes.get(e.target)
                if isinstance(meeting, Meeting):
                    self.attended[e.source].append(meeting.date)
                    self.attendees[e.target].append(e.source)
                    self.meetings_of[e.source].append(e.target)

    def without(self, absent: Iterable[str]) -> AccountIndex:
        """This index with ``absent`` taken as gone (a what-if): the lookups are shared, the
        active people and what depends on them are new. Milliseconds, not a rebuild."""
        other = copy.copy(self)
        gone = frozenset(absent)
        # membership views, not copies: a ranking makes one index per person it tries, and
        # copying 50,000 ids each time was most of a try at L
        other._active = _Less(self._active, gone)
        other._ours = _Less(self._ours, gone)
        other._our_attendees = _LessAttendees(self._our_attendees, gone)
        other._ties, other._key, other._deciders, other._stale = {}, {}, {}, {}
        other._parent, other._gone = self, gone
        return other

    def active(self, person_id: str) -> bool:
        return person_id in self._active

    def marked_left(self) -> dict[str | None, list[str]]:
        """The people whose status is ``left`` (a few of 50,000 at L), by account: their
        organization when it is an account, else None (ours, a division's); every account
        has an entry."""
        if self._parent is not None:
            return self._parent.marked_left()
        if self._marked_left is None:
            accounts = set(self.accounts)
            found: dict[str | None, list[str]] = {a: [] for a in accounts}
            found[None] = []
            for i, p in sorted(self.people.items()):
                if p.status is PersonStatus.LEFT:
                    found[p.organization if p.organization in accounts else None].append(i)
            self._marked_left = found
        return self._marked_left

    def accounts_of_things(self) -> dict[str, set[str]]:
        """Each thing (account, division, service, agreement) -> the accounts it belongs to;
        built once per index (``without`` shares it: it depends on no one being active)."""
        if self._parent is not None:
            return self._parent.accounts_of_things()
        if self._accounts_of is None:
            found: dict[str, set[str]] = defaultdict(set)
            for account in self.accounts:
                for thing in self.things(account):
                    found[thing].add(account)
            self._accounts_of = dict(found)
        return self._accounts_of

    def provider_side(self, person_id: str) -> bool:
        """The person is on the provider side (``Organization.side``)."""
        return self.people[person_id].organization in self._provider_orgs

    def account_facts(self, account: str) -> Account:
        org = self.orgs[account]
        return Account(account, org.tier, org.phase,
                       any(c.vital for c in self.consumes.get(account, [])),
                       self.divisions.get(account, ()))

    def orgs_of(self, account: str) -> tuple[str, ...]:
        """The account and its divisions."""
        return (account, *self.divisions.get(account, ()))

    def people_of(self, account: str) -> list[str]:
        """The account's people: of the account and of its divisions, leavers included."""
        return [p for org in self.orgs_of(account) for p in self.members.get(org, [])]

    def things(self, account: str, scopes: Sequence[Scope] = ALL_SCOPES) -> list[str]:
        """The account, its divisions, the services it consumes and the agreements it is
        party to: those of ``scopes``."""
        found = [account] if Scope.ACCOUNT in scopes else []
        if Scope.DIVISIONS in scopes:
            found += self.divisions.get(account, ())
        if Scope.SERVICES in scopes:
            found += [c.target for c in self.consumes.get(account, [])]
        if Scope.AGREEMENTS in scopes:
            found += self.parties.get(account, [])
        return found

    def counts_for(self, person_id: str, account: str) -> bool:
        """The person is on the provider side or one of the account's people."""
        person = self.people.get(person_id)
        return person is not None and (person.organization in self._provider_orgs
                                       or person.organization in self.orgs_of(account))

    def team(self, account: str) -> set[str]:
        """Provider-side people with a role at, or ownership of, one of the account's things."""
        found: set[str] = set()
        for thing in self.things(account):
            found.update(r.source for r in self.roles_at.get(thing, []))
            found.update(self.owners.get(thing, []))
        return {p for p in found if p in self.people and self.provider_side(p)}

    def stakeholders(self, account: str) -> set[str]:
        """Active people, of either side, whose departure can leave one of the account's
        things short: they hold a role there, own it, or have authority of some scope over
        it, with at most ``THIN - 1`` other active people holding the same (a seat a
        playbook wants one or two of, an owner, a decider)."""
        found: set[str] = set()
        for thing in self.things(account):
            holders: dict[tuple[str, str], set[str]] = defaultdict(set)
            for r in self.roles_at.get(thing, ()):
                holders[("role", r.role)].add(r.source)
            for o in self.owners.get(thing, ()):
                holders[("owns", "")].add(o)
            for d in self.authority_over.get(thing, ()):
                holders[("decides", d.scope.value)].add(d.source)
            for people in holders.values():
                active = {p for p in people if p in self._active}
                if len(active) <= THIN:
                    found |= active
        return found

    def decision_makers(self, account: str, scopes: Sequence[Scope] = ALL_SCOPES
                        ) -> dict[str, list[str]]:
        """Active people of the account with authority over its things -> those things."""
        key = (account, tuple(scopes))
        cached = self._deciders.get(key)
        if cached is not None:
            return cached
        if self._parent is not None:
            gone = self._gone
            derived = {p: things for p, things in self._parent.decision_makers(
                account, scopes).items() if p not in gone}
            self._deciders[key] = derived
            return derived
        found: dict[str, list[str]] = defaultdict(list)
        self._deciders[key] = found
        orgs = self.orgs_of(account)
        for thing in self.things(account, scopes):
            for a in self.authority_over.get(thing, []):
                p = self.people.get(a.source)
                if p is not None and p.organization in orgs and self.active(a.source):
                    found[a.source].append(thing)
        return found

    def key_people(self, account: str, min_influence: int = KEY_INFLUENCE,
                   key_roles: Sequence[str] = KEY_ROLES) -> set[str]:
        """Active people of the account who decide, hold one of ``key_roles`` at one of its
        things, or have influence >= ``min_influence``."""
        key = (account, min_influence, tuple(key_roles))
        cached = self._key.get(key)
        if cached is not None:
            return cached
        if self._parent is not None:
            derived = self._parent.key_people(account, min_influence, key_roles) - self._gone
            self._key[key] = derived
            return derived
        things = set(self.things(account))
        found = set(self.decision_makers(account))
        self._key[key] = found
        for person in self.people_of(account):
            if not self.active(person):
                continue
            if (self.people[person].influence or 0) >= min_influence or any(
                    r.target in things and r.role in key_roles
                    for r in self.roles_of.get(person, [])):
                found.add(person)
        return found

    def ties(self, account: str) -> list[Tie]:
        """The account's ties (see the module), by (their person, our person). Computed
        once per account: several rules ask."""
        cached = self._ties.get(account)
        if cached is not None:
            return cached
        if self._parent is not None:
            gone = self._gone
            derived = [t for t in self._parent.ties(account)
                       if t.theirs not in gone and t.ours not in gone]
            self._ties[account] = derived
            return derived
        declared: dict[tuple[str, str], Relationship] = {}
        met: dict[tuple[str, str], set[date]] = defaultdict(set)
        ours, active = self._ours, self._active
        for person in self.people_of(account):
            if person not in active:
                continue
            for rel in self.knows.get(person, ()):
                other = rel.target if rel.source == person else rel.source
                if other in ours:
                    declared[(person, other)] = rel
            for meeting_id in self.meetings_of.get(person, ()):
                day = self._meeting_day[meeting_id]
                if day is None:
                    continue  # after the as-of day: not happened yet
                for other in self._our_attendees[meeting_id]:
                    met[(person, other)].add(day)
        found = [Tie(theirs, ours, declared.get((theirs, ours)),
                     tuple(sorted(met.get((theirs, ours), ()), reverse=True)))
                 for theirs, ours in sorted(declared.keys() | met.keys())]
        self._ties[account] = found
        return found

    def stale_ties(self, account: str, cutoff: date) -> list[StaleTie]:
        """The account's ties last in contact before ``cutoff``, as ``StaleTie``s (kept per
        account and cutoff; an index made by ``without`` filters its parent's)."""
        from stakemap.rules.stale import StaleTie

        key = (account, cutoff)
        cached = self._stale.get(key)
        if cached is not None:
            return cached
        if self._parent is not None:
            gone = self._gone
            found = [t for t in self._parent.stale_ties(account, cutoff)
                     if t.theirs not in gone and t.ours not in gone]
        else:
            as_of = self.as_of or date.today()
            found = [StaleTie(t.theirs, t.ours, last, len(t.meetings), *t.strength(as_of))
                     for t in self.ties(account)
                     if (last := t.last_contact) is not None and last < cutoff]
        self._stale[key] = found
        return found

    def importance(self, node_id: str) -> int:
        """How much a finding's subject matters, to rank an account's findings of one
        severity: a person's influence (0 unrated) + 3 if they hold decision authority + 1
        if they hold a role; a service 4 if some account finds it vital, else 1; the account
        itself (a gap of the whole account) 3; an agreement 2."""
        node = self.nodes.get(node_id)
        if isinstance(node, Person):
            return ((node.influence or 0) + (3 if self.authority_of.get(node_id) else 0)
                    + (1 if self.roles_of.get(node_id) else 0))
        if node is None:
            return 0
        if isinstance(node, Organization):
            return 3
        if node.kind is NodeKind.SERVICE:
            return 4 if node_id in self._vital else 1
        return 2

    def executives(self, account: str) -> set[str]:
        """Active people of the account who hold the executive-sponsor role or budget
        authority at one of its things."""
        things = set(self.things(account))
        return {p for p in self.people_of(account) if self.active(p) and (
            any(r.role == "executive-sponsor" and r.target in things
                for r in self.roles_of.get(p, []))
            or any(a.scope is AuthorityScope.BUDGET and a.target in things
                   for a in self.authority_of.get(p, [])))}

    def touched(self, people: Iterable[str]) -> set[str]:
        """The organizations ``people`` touch: their own; those that consume, or are party
        to, a thing they hold a role at, own or decide on (and such organizations
        themselves); and the organizations of everyone they know or met."""
        users: dict[str, set[str]] = defaultdict(set)  # thing -> organizations using it
        for org, consumed in self.consumes.items():
            for c in consumed:
                users[c.target].add(org)
        for org, agreements in self.parties.items():
            for a in agreements:
                users[a].add(org)
        found: set[str] = set()
        for pid in people:
            person = self.people.get(pid)
            if person is None:
                continue
            found.add(person.organization)
            things = ([r.target for r in self.roles_of.get(pid, [])]
                      + [a.target for a in self.authority_of.get(pid, [])]
                      + [s for s, owners in self.owners.items() if pid in owners])
            for thing in things:
                found |= users.get(thing, set())
                if thing in self.orgs:
                    found.add(thing)
            for rel in self.knows.get(pid, []):
                other = self.people.get(rel.target if rel.source == pid else rel.source)
                if other is not None:
                    found.add(other.organization)
            for meeting in self.meetings_of.get(pid, []):
                found |= {self.people[q].organization for q in self.attendees[meeting]
                          if q in self.people}
        return found

    def people_network(self, account: str, reporting: bool = True) -> PeopleNetwork:
        """The account's people network (``stakemap.rules.network``)."""
        theirs = {p for p in self.people_of(account) if p in self._active}
        team = {p for p in self.team(account) if p in self._active}
        ours = set(team)
        ours |= {t.ours for t in self.ties(account)}
        members = theirs | ours
        relationships = {(r.source, r.target, r.strength, r.last_contact)
                         for p in members for r in self.knows.get(p, ())
                         if r.source in members and r.target in members}
        meetings = []
        # only the members' own meetings, links and lines: a scan of the portfolio's took
        # most of a 40 ms read at L
        for meeting_id in sorted({m for p in members for m in self.meetings_of.get(p, ())}):
            day = self._meeting_day.get(meeting_id)
            present = sorted({a for a in self.attendees[meeting_id] if a in members})
            if day is not None:
                meetings += [(a, b, day) for i, a in enumerate(present) for b in present[i + 1:]]
        raw = Raw(
            people=[NetworkPerson(p, self.people[p].name,
                                  Side.PROVIDER if p in self._ours else Side.CUSTOMER,
                                  self.people[p].influence, self.people[p].stance, p in team)
                    for p in members],
            relationships=sorted(relationships), meetings=meetings,
            reports=[(r.source, r.target) for p in sorted(members)
                     for r in self.reports_of.get(p, ()) if r.target in members],
            influences=[(d.source, d.target) for p in sorted(members)
                        for d in self.directed_of.get(p, ())
                        if d.type is TieType.INFLUENCES and d.target in members])
        return assemble(account, reporting, raw, self.as_of or date.today())

    def sizes(self, account: str) -> AccountSizes:
        """What the account's rules are counted against (``AccountSizes``)."""
        consumed = self.consumes.get(account, [])
        return AccountSizes(
            people=len(self.people_of(account)), things=len(self.things(account)),
            services=len(consumed), vital_services=sum(1 for c in consumed if c.vital),
            agreements=len(self.parties.get(account, [])),
            decision_makers=len(self.decision_makers(account)),
            key_people=len(self.key_people(account)), ties=len(self.ties(account)))


def _left_after(person: Person, day: date) -> bool:
    """Left, but on a day after ``day``: still active then."""
    left_on = getattr(person, "left_on", None)
    return left_on is not None and left_on > day
