"""Gap rules evaluated in Python over the in-memory graph.

One function per rule type, each reading an ``_Index`` built once per report. The vocabulary
(account, team, decision-maker) is defined in ``stakemap.analysis.rules``; the Cypher twin of
every function is in ``neo4j_rules``, and the parity tests hold the two to the same answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from stakemap.analysis.rules import (
    AgreementReviewOverdue,
    AuthorityConflict,
    AuthorityMissing,
    BlockerWithoutChampion,
    Hit,
    LeftButHoldsRole,
    OverloadedPerson,
    RequiredRole,
    RuleBase,
    Selector,
    SingleThreaded,
    StaleContact,
    StaleRelationship,
    UncoveredDecisionMaker,
    UnownedService,
    VitalSinglePoint,
)
from stakemap.model.edges import (
    Attended,
    Consumes,
    DecisionAuthority,
    Edge,
    HoldsRole,
    Owns,
    PartyTo,
    Relationship,
)
from stakemap.model.enums import OrgKind, PersonStatus, Stance
from stakemap.model.nodes import Agreement, Meeting, Node, Organization, Person

__all__ = ["evaluate"]


class _Index:
    """The lookups every rule needs, built in one pass over the graph."""

    def __init__(self, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
        self.nodes = {n.id: n for n in nodes}
        self.orgs = {i: n for i, n in self.nodes.items() if isinstance(n, Organization)}
        self.people = {i: n for i, n in self.nodes.items() if isinstance(n, Person)}
        self.consumes: dict[str, list[Consumes]] = defaultdict(list)
        self.parties: dict[str, list[str]] = defaultdict(list)
        self.roles_at: dict[str, list[HoldsRole]] = defaultdict(list)
        self.roles_of: dict[str, list[HoldsRole]] = defaultdict(list)
        self.owners: dict[str, list[str]] = defaultdict(list)
        self.authority_over: dict[str, list[DecisionAuthority]] = defaultdict(list)
        self.knows: dict[str, list[Relationship]] = defaultdict(list)
        self.attended: dict[str, list[date]] = defaultdict(list)
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
            elif isinstance(e, Relationship):
                self.knows[e.source].append(e)
                self.knows[e.target].append(e)
            elif isinstance(e, Attended):
                meeting = self.nodes.get(e.target)
                if isinstance(meeting, Meeting):
                    self.attended[e.source].append(meeting.date)
        self.accounts = sorted(
            o.id for o in self.orgs.values()
            if o.type is OrgKind.CUSTOMER and (self.consumes.get(o.id) or self.parties.get(o.id)))
        self._cross: dict[str, list[tuple[Relationship, str, str]]] = {}
        self.members: dict[str, list[str]] = defaultdict(list)
        for p in self.people.values():
            self.members[p.organization].append(p.id)

    # -- vocabulary --------------------------------------------------------------------------
    def active(self, person_id: str) -> bool:
        p = self.people.get(person_id)
        return p is not None and p.status is PersonStatus.ACTIVE

    def provider_side(self, person_id: str) -> bool:
        org = self.orgs.get(self.people[person_id].organization)
        return org is not None and org.type is not OrgKind.CUSTOMER

    def things(self, account: str) -> list[str]:
        """The account, the services it consumes and the agreements it is party to."""
        return [account, *(c.target for c in self.consumes.get(account, [])),
                *self.parties.get(account, [])]

    def team(self, account: str) -> set[str]:
        found: set[str] = set()
        for thing in self.things(account):
            found.update(r.source for r in self.roles_at.get(thing, []))
            found.update(self.owners.get(thing, []))
        return {p for p in found if p in self.people and self.provider_side(p)}

    def cross(self, account: str) -> list[tuple[Relationship, str, str]]:
        """Relationships between active people of the account and active provider-side people,
        as (relationship, customer person, provider person). Three rules ask; computed once."""
        cached = self._cross.get(account)
        if cached is not None:
            return cached
        found: list[tuple[Relationship, str, str]] = []
        for person in self.members.get(account, []):
            if not self.active(person):
                continue
            for rel in self.knows.get(person, []):
                other = rel.target if rel.source == person else rel.source
                if other in self.people and self.active(other) and self.provider_side(other):
                    found.append((rel, person, other))
        self._cross[account] = found
        return found

    def selected(self, selector: Selector) -> list[str]:
        return [a for a in self.accounts if self.matches(a, selector)]

    def matches(self, account: str, s: Selector) -> bool:
        org = self.orgs[account]
        if s.customers and account not in s.customers:
            return False
        if s.tiers and org.tier not in s.tiers:
            return False
        if s.phases and org.phase not in s.phases:
            return False
        if s.with_vital_services is not None:
            vital = any(c.vital for c in self.consumes.get(account, []))
            if vital is not s.with_vital_services:
                return False
        return True


def evaluate(nodes: Iterable[Node], edges: Iterable[Edge], rules: Iterable[RuleBase],
             as_of: date, progress: Callable[[int, int], None] | None = None
             ) -> dict[str, list[Hit]]:
    """Hits per rule id, for every enabled rule, over the graph's nodes and edges."""
    index = _Index(nodes, edges)
    enabled = [rule for rule in rules if rule.enabled]
    found = {}
    for done, rule in enumerate(enabled, start=1):
        found[rule.id] = _RULES[type(rule)](index, rule, as_of)
        if progress is not None:
            progress(done, len(enabled))
    return found


def _required_role(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    roles, phases = rule.roles(), set(rule.phases)  # phases resolved by find_gaps
    hits = []
    for account in ix.selected(rule.when):
        phase = ix.orgs[account].phase
        if phase is not None and phases and phase not in phases:
            continue
        holders = sorted({r.source for r in ix.roles_at.get(account, [])
                          if r.role in roles and ix.active(r.source)
                          and (r.phase is None or phase is None or r.phase is phase)
                          and r.current_on(as_of)})
        if len(holders) < rule.min_count:
            hits.append(Hit.of(subject=account, customer=account, evidence=tuple(holders),
                            detail={"role": " or ".join(roles), "held": len(holders),
                                    "needed": rule.min_count}))
    return hits


def _unowned_service(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    return [Hit.of(subject=c.target, customer=account)
            for account in ix.selected(rule.when) for c in ix.consumes.get(account, [])
            if not any(ix.active(p) for p in ix.owners.get(c.target, []))]


def _vital_single_point(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    hits = []
    for account in ix.selected(rule.when):
        for c in ix.consumes.get(account, []):
            if not c.vital:
                continue
            service = c.target
            people = {*ix.owners.get(service, []),
                      *(r.source for r in ix.roles_at.get(service, [])),
                      *(a.source for a in ix.authority_over.get(service, []))}
            people = {p for p in people if ix.active(p)}
            if len(people) == 1:
                hits.append(Hit.of(subject=service, customer=account,
                                evidence=tuple(sorted(people))))
    return hits


def _authority_missing(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    hits = []
    for account in ix.selected(rule.when):
        over = [account, *ix.parties.get(account, [])]
        if not any(a.scope is rule.scope and ix.active(a.source)
                   for thing in over for a in ix.authority_over.get(thing, [])):
            hits.append(Hit.of(subject=account, customer=account,
                               detail={"scope": rule.scope.value}))
    return hits


def _authority_conflict(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    hits = []
    for account in ix.selected(rule.when):
        for thing in ix.things(account):
            by_scope: dict[str, set[str]] = defaultdict(set)
            for a in ix.authority_over.get(thing, []):
                if ix.active(a.source) and (not rule.scopes or a.scope in rule.scopes):
                    by_scope[a.scope.value].add(a.source)
            hits += [Hit.of(subject=thing, customer=account, evidence=tuple(sorted(people)),
                         detail={"scope": scope})
                     for scope, people in sorted(by_scope.items()) if len(people) > 1]
    return hits


def _decision_makers(ix: _Index, account: str) -> dict[str, list[str]]:
    """Active people of the account with authority over the account's things -> the things."""
    found: dict[str, list[str]] = defaultdict(list)
    for thing in ix.things(account):
        for a in ix.authority_over.get(thing, []):
            p = ix.people.get(a.source)
            if p is not None and p.organization == account and ix.active(a.source):
                found[a.source].append(thing)
    return found


def _uncovered_decision_maker(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    hits = []
    for account in ix.selected(rule.when):
        team = ix.team(account)
        for person, things in sorted(_decision_makers(ix, account).items()):
            known = {r.target if r.source == person else r.source for r in ix.knows[person]}
            if not known & team:
                hits.append(Hit.of(subject=person, customer=account,
                                evidence=tuple(sorted(set(things)))))
    return hits


def _blocker_without_champion(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    hits = []
    for account in ix.selected(rule.when):
        for person_id in ix.members.get(account, []):
            p = ix.people[person_id]
            if not (ix.active(person_id) and p.stance is Stance.BLOCKER
                    and (p.influence or 0) >= rule.min_influence):
                continue
            known = {r.target if r.source == person_id else r.source
                     for r in ix.knows[person_id]}
            if not any(ix.active(k) and ix.people[k].stance is Stance.CHAMPION
                       for k in known if k in ix.people):
                hits.append(Hit.of(subject=person_id, customer=account,
                                detail={"influence": p.influence}))
    return hits


def _single_threaded(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    hits = []
    for account in ix.selected(rule.when):
        cross = ix.cross(account)
        ours = sorted({o for _, _, o in cross})
        theirs = sorted({c for _, c, _ in cross})
        if not cross:
            hits.append(Hit.of(subject=account, customer=account, detail={"through": None}))
        elif len(ours) == 1 or len(theirs) == 1:
            through = ours[0] if len(ours) == 1 else theirs[0]
            hits.append(Hit.of(subject=account, customer=account, evidence=(through,),
                            detail={"through": through}))
    return hits


def _stale_relationship(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    cutoff = as_of - timedelta(days=rule.days)
    return [Hit.of(subject=theirs, customer=account, evidence=(theirs, ours),
                detail={"last_contact": rel.last_contact.isoformat(),
                        "days": (as_of - rel.last_contact).days})
            for account in ix.selected(rule.when)
            for rel, theirs, ours in ix.cross(account)
            if rel.last_contact is not None and rel.last_contact < cutoff]


def _stale_contact(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    cutoff = as_of - timedelta(days=rule.days)
    hits = []
    for account in ix.selected(rule.when):
        deciders = _decision_makers(ix, account)
        contacts: dict[str, list[date]] = defaultdict(list)
        for rel, theirs, _ in ix.cross(account):
            if rel.last_contact is not None:
                contacts[theirs].append(rel.last_contact)
        for person_id in ix.members.get(account, []):
            p = ix.people[person_id]
            if not ix.active(person_id) or not (
                    person_id in deciders or (p.influence or 0) >= rule.min_influence):
                continue
            seen = contacts[person_id] + ix.attended.get(person_id, [])
            if seen and max(seen) < cutoff:
                latest = max(seen)
                hits.append(Hit.of(subject=person_id, customer=account,
                                detail={"last_contact": latest.isoformat(),
                                        "days": (as_of - latest).days}))
    return hits


def _agreement_review_overdue(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    cutoff = as_of - timedelta(days=rule.grace_days)
    hits = []
    for account in ix.selected(rule.when):
        for agreement_id in ix.parties.get(account, []):
            a = ix.nodes.get(agreement_id)
            if isinstance(a, Agreement) and a.next_review is not None and a.next_review < cutoff:
                hits.append(Hit.of(subject=agreement_id, customer=account,
                                detail={"next_review": a.next_review.isoformat(),
                                        "days": (as_of - a.next_review).days}))
    return hits


def _left_but_holds_role(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    hits = []
    for person_id, p in sorted(ix.people.items()):
        held = ix.roles_of.get(person_id, [])
        if p.status is PersonStatus.LEFT and held:
            account = p.organization if p.organization in ix.accounts else None
            if account is not None and not ix.matches(account, rule.when):
                continue
            hits.append(Hit.of(subject=person_id, customer=account,
                            evidence=tuple(sorted(f"{r.role}@{r.target}" for r in held))))
    return hits


def _overloaded_person(ix: _Index, rule: Any, as_of: date) -> list[Hit]:
    accounts_of: dict[str, set[str]] = defaultdict(set)
    for account in ix.accounts:
        for thing in ix.things(account):
            accounts_of[thing].add(account)
    hits = []
    for person_id in sorted(ix.people):
        held = ix.roles_of.get(person_id, [])
        if not ix.active(person_id) or not held:
            continue
        accounts = sorted({a for r in held for a in accounts_of.get(r.target, ())})
        if len(accounts) > rule.max_accounts or len(held) > rule.max_roles:
            hits.append(Hit.of(subject=person_id, customer=None, evidence=tuple(accounts),
                               detail={"accounts": len(accounts), "roles": len(held)}))
    return hits


_RULES: dict[type[RuleBase], Callable[[_Index, Any, date], list[Hit]]] = {
    RequiredRole: _required_role,
    UnownedService: _unowned_service,
    VitalSinglePoint: _vital_single_point,
    AuthorityMissing: _authority_missing,
    AuthorityConflict: _authority_conflict,
    UncoveredDecisionMaker: _uncovered_decision_maker,
    BlockerWithoutChampion: _blocker_without_champion,
    SingleThreaded: _single_threaded,
    StaleRelationship: _stale_relationship,
    StaleContact: _stale_contact,
    AgreementReviewOverdue: _agreement_review_overdue,
    LeftButHoldsRole: _left_but_holds_role,
    OverloadedPerson: _overloaded_person,
}
