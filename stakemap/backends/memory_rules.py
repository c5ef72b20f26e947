"""Gap rules evaluated in Python over the in-memory graph: one function per rule type.

Each function is registered for its rule class in ``RULES`` and reads an ``AccountIndex``
(``stakemap.rules.vocabulary``) built once per report. It gets the accounts the rule's
``when`` selector chose (``find_gaps`` applies the selector, once, for every backend), in
id order. The Cypher twin of every function is in ``neo4j_rules``; the parity tests hold the
two to the same answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from stakemap.model.enums import PersonStatus, Stance
from stakemap.model.nodes import Agreement, Meeting
from stakemap.model.trusted import construct
from stakemap.rules import (
    AgreementReviewOverdue,
    AuthorityConflict,
    AuthorityMissing,
    BlockerWithoutChampion,
    Hit,
    Implementations,
    LeftButHoldsRole,
    NoMeetingInDays,
    OverloadedPerson,
    RequiredRole,
    SingleThreaded,
    StaleContact,
    StaleRelationship,
    UncoveredDecisionMaker,
    UnownedService,
    VitalSinglePoint,
)
from stakemap.rules.base import RuleDetail
from stakemap.rules.vocabulary import AccountIndex

__all__ = ["RULES", "MemoryRule"]

MemoryRule = Callable[[AccountIndex, Any, Sequence[str], date], list[Hit]]
"""``(index, rule, accounts, as_of) -> hits``."""

RULES: Implementations[MemoryRule] = Implementations("memory")


def _detail(cls: type[RuleDetail], **values: Any) -> RuleDetail:
    """A detail from values typed already (no re-validation: 80,000 hits at L)."""
    return construct(cls, values)


@RULES.register(RequiredRole)
def _required_role(ix: AccountIndex, rule: RequiredRole, accounts: Sequence[str],
                   as_of: date) -> list[Hit]:
    roles, phases = rule.roles(), set(rule.phases)  # phases resolved by find_gaps
    hits = []
    for account in accounts:
        phase = ix.orgs[account].phase
        if phase is not None and phases and phase not in phases:
            continue
        holders = sorted({r.source for r in ix.roles_at.get(account, [])
                          if r.role in roles and ix.active(r.source)
                          and (r.phase is None or phase is None or r.phase is phase)
                          and r.current_on(as_of)})
        if len(holders) < rule.min_count:
            hits.append(Hit.of(account, account, tuple(holders), _detail(
                RequiredRole.Detail, role=" or ".join(roles), held=len(holders),
                needed=rule.min_count)))
    return hits


@RULES.register(UnownedService)
def _unowned_service(ix: AccountIndex, rule: UnownedService, accounts: Sequence[str],
                     as_of: date) -> list[Hit]:
    return [Hit.of(c.target, account)
            for account in accounts for c in ix.consumes.get(account, [])
            if not any(ix.active(p) for p in ix.owners.get(c.target, []))]


@RULES.register(VitalSinglePoint)
def _vital_single_point(ix: AccountIndex, rule: VitalSinglePoint, accounts: Sequence[str],
                        as_of: date) -> list[Hit]:
    hits = []
    for account in accounts:
        for c in ix.consumes.get(account, []):
            if not c.vital:
                continue
            service = c.target
            people = {*ix.owners.get(service, []),
                      *(r.source for r in ix.roles_at.get(service, [])),
                      *(a.source for a in ix.authority_over.get(service, []))}
            people = {p for p in people if ix.active(p)}
            if len(people) == 1:
                hits.append(Hit.of(service, account, tuple(sorted(people))))
    return hits


@RULES.register(AuthorityMissing)
def _authority_missing(ix: AccountIndex, rule: AuthorityMissing, accounts: Sequence[str],
                       as_of: date) -> list[Hit]:
    hits = []
    for account in accounts:
        over = [account, *ix.parties.get(account, [])]
        if not any(a.scope is rule.scope and ix.active(a.source)
                   for thing in over for a in ix.authority_over.get(thing, [])):
            hits.append(Hit.of(account, account, (),
                               _detail(AuthorityMissing.Detail, scope=rule.scope)))
    return hits


@RULES.register(AuthorityConflict)
def _authority_conflict(ix: AccountIndex, rule: AuthorityConflict, accounts: Sequence[str],
                        as_of: date) -> list[Hit]:
    hits = []
    for account in accounts:
        for thing in ix.things(account):
            by_scope: dict[Any, set[str]] = defaultdict(set)
            for a in ix.authority_over.get(thing, []):
                if ix.active(a.source) and (not rule.scopes or a.scope in rule.scopes):
                    by_scope[a.scope].add(a.source)
            hits += [Hit.of(thing, account, tuple(sorted(people)),
                            _detail(AuthorityConflict.Detail, scope=scope))
                     for scope, people in sorted(by_scope.items(), key=lambda x: x[0].value)
                     if len(people) > 1]
    return hits


@RULES.register(UncoveredDecisionMaker)
def _uncovered_decision_maker(ix: AccountIndex, rule: UncoveredDecisionMaker,
                              accounts: Sequence[str], as_of: date) -> list[Hit]:
    hits = []
    for account in accounts:
        team = ix.team(account)
        for person, things in sorted(ix.decision_makers(account).items()):
            known = {r.target if r.source == person else r.source for r in ix.knows[person]}
            if not known & team:
                hits.append(Hit.of(person, account, tuple(sorted(set(things)))))
    return hits


@RULES.register(BlockerWithoutChampion)
def _blocker_without_champion(ix: AccountIndex, rule: BlockerWithoutChampion,
                              accounts: Sequence[str], as_of: date) -> list[Hit]:
    hits = []
    for account in accounts:
        for person_id in ix.members.get(account, []):
            p = ix.people[person_id]
            if not (ix.active(person_id) and p.stance is Stance.BLOCKER
                    and (p.influence or 0) >= rule.min_influence):
                continue
            known = {r.target if r.source == person_id else r.source
                     for r in ix.knows[person_id]}
            if not any(ix.active(k) and ix.people[k].stance is Stance.CHAMPION
                       for k in known if k in ix.people):
                hits.append(Hit.of(person_id, account, (), _detail(
                    BlockerWithoutChampion.Detail, influence=p.influence)))
    return hits


@RULES.register(SingleThreaded)
def _single_threaded(ix: AccountIndex, rule: SingleThreaded, accounts: Sequence[str],
                     as_of: date) -> list[Hit]:
    hits = []
    for account in accounts:
        cross = ix.cross(account)
        ours = sorted({o for _, _, o in cross})
        theirs = sorted({c for _, c, _ in cross})
        if not cross:
            hits.append(Hit.of(account, account, (),
                               _detail(SingleThreaded.Detail, through=None)))
        elif len(ours) == 1 or len(theirs) == 1:
            through = ours[0] if len(ours) == 1 else theirs[0]
            hits.append(Hit.of(account, account, (through,),
                               _detail(SingleThreaded.Detail, through=through)))
    return hits


@RULES.register(StaleRelationship)
def _stale_relationship(ix: AccountIndex, rule: StaleRelationship, accounts: Sequence[str],
                        as_of: date) -> list[Hit]:
    cutoff = as_of - timedelta(days=rule.days)
    return [Hit.of(theirs, account, (theirs, ours), _detail(
                StaleRelationship.Detail, last_contact=rel.last_contact,
                days=(as_of - rel.last_contact).days))
            for account in accounts
            for rel, theirs, ours in ix.cross(account)
            if rel.last_contact is not None and rel.last_contact < cutoff]


@RULES.register(StaleContact)
def _stale_contact(ix: AccountIndex, rule: StaleContact, accounts: Sequence[str],
                   as_of: date) -> list[Hit]:
    cutoff = as_of - timedelta(days=rule.days)
    hits = []
    for account in accounts:
        deciders = ix.decision_makers(account)
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
                hits.append(Hit.of(person_id, account, (), _detail(
                    StaleContact.Detail, last_contact=latest, days=(as_of - latest).days)))
    return hits


@RULES.register(AgreementReviewOverdue)
def _agreement_review_overdue(ix: AccountIndex, rule: AgreementReviewOverdue,
                              accounts: Sequence[str], as_of: date) -> list[Hit]:
    cutoff = as_of - timedelta(days=rule.grace_days)
    hits = []
    for account in accounts:
        for agreement_id in ix.parties.get(account, []):
            a = ix.nodes.get(agreement_id)
            if isinstance(a, Agreement) and a.next_review is not None and a.next_review < cutoff:
                hits.append(Hit.of(agreement_id, account, (), _detail(
                    AgreementReviewOverdue.Detail, next_review=a.next_review,
                    days=(as_of - a.next_review).days)))
    return hits


@RULES.register(LeftButHoldsRole)
def _left_but_holds_role(ix: AccountIndex, rule: LeftButHoldsRole, accounts: Sequence[str],
                         as_of: date) -> list[Hit]:
    chosen = set(accounts)
    hits = []
    for person_id, p in sorted(ix.people.items()):
        held = ix.roles_of.get(person_id, [])
        if p.status is PersonStatus.LEFT and held:
            account = p.organization if p.organization in ix.accounts else None
            if account is not None and account not in chosen:
                continue
            hits.append(Hit.of(person_id, account,
                               tuple(sorted(f"{r.role}@{r.target}" for r in held))))
    return hits


@RULES.register(OverloadedPerson)
def _overloaded_person(ix: AccountIndex, rule: OverloadedPerson, accounts: Sequence[str],
                       as_of: date) -> list[Hit]:
    accounts_of: dict[str, set[str]] = defaultdict(set)
    for account in ix.accounts:  # every account: this rule is about people, not accounts
        for thing in ix.things(account):
            accounts_of[thing].add(account)
    hits = []
    for person_id in sorted(ix.people):
        held = ix.roles_of.get(person_id, [])
        if not ix.active(person_id) or not held:
            continue
        mine = sorted({a for r in held for a in accounts_of.get(r.target, ())})
        if len(mine) > rule.max_accounts or len(held) > rule.max_roles:
            hits.append(Hit.of(person_id, None, tuple(mine), _detail(
                OverloadedPerson.Detail, accounts=len(mine), roles=len(held))))
    return hits


@RULES.register(NoMeetingInDays)
def _no_meeting_in_days(ix: AccountIndex, rule: NoMeetingInDays, accounts: Sequence[str],
                        as_of: date) -> list[Hit]:
    cutoff = as_of - timedelta(days=rule.days)
    met: dict[str, set[str]] = defaultdict(set)  # person -> meetings
    for meeting_id, people in ix.attendees.items():
        for person in people:
            met[person].add(meeting_id)
    hits = []
    for account in accounts:
        latest: date | None = None
        for person in ix.members.get(account, []):
            for meeting_id in met.get(person, ()):
                meeting = ix.nodes[meeting_id]
                assert isinstance(meeting, Meeting)
                if meeting.date > as_of or (latest is not None and meeting.date <= latest):
                    continue
                if any(o in ix.people and ix.provider_side(o)
                       for o in ix.attendees[meeting_id]):
                    latest = meeting.date
        if latest is None or latest < cutoff:
            hits.append(Hit.of(account, account, (), _detail(
                NoMeetingInDays.Detail, last_meeting=latest,
                days=(as_of - latest).days if latest else None)))
    return hits
