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

from stakemap.model.edges import HoldsRole
from stakemap.model.enums import Stance
from stakemap.model.nodes import Agreement, Meeting
from stakemap.model.trusted import construct
from stakemap.rules import (
    AgreementReviewOverdue,
    AuthorityConflict,
    AuthorityMissing,
    BlockerWithoutChampion,
    GatekeeperUncovered,
    HiddenInfluencer,
    Hit,
    Implementations,
    LeftButHoldsRole,
    NetworkRule,
    NoMeetingInDays,
    OverloadedPerson,
    RenewalWithoutExecutiveContact,
    RequiredRole,
    SingleThreaded,
    StaleContact,
    StaleRelationship,
    UncoveredDecisionMaker,
    UnownedService,
    VitalSinglePoint,
)
from stakemap.rules.base import RuleDetail
from stakemap.rules.stale import stale_relationship_hits
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
        seats = [r for thing in ix.things(account, rule.scopes)
                 for r in ix.roles_at.get(thing, [])
                 if r.role in roles and ix.counts_for(r.source, account)
                 and (r.phase is None or phase is None or r.phase is phase)]
        holders = sorted({r.source for r in seats
                          if ix.active(r.source) and r.current_on(as_of)})
        if len(holders) < rule.min_count:
            since = max((end for r in seats if (end := _holding_ended(ix, r, as_of))),
                        default=None)
            hits.append(Hit.of(account, account, tuple(holders), _detail(
                RequiredRole.Detail, role=" or ".join(roles), held=len(holders),
                needed=rule.min_count, vacant_since=since,
                vacant_days=(as_of - since).days if since else None)))
    return hits


def _holding_ended(ix: AccountIndex, role: HoldsRole, as_of: date) -> date | None:
    """The day a holding ended by the as-of day: the holder left (``left_on``) or the role's
    ``until`` passed, whichever came first; None if it has not ended or nobody said when."""
    ends = []
    left_on = getattr(ix.people.get(role.source), "left_on", None)
    if left_on is not None and left_on <= as_of:
        ends.append(left_on)
    if role.until is not None and role.until < as_of:
        ends.append(role.until + timedelta(days=1))
    return min(ends, default=None)


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
        if not any(a.scope is rule.scope and ix.active(a.source)
                   and ix.counts_for(a.source, account)
                   for thing in ix.things(account, rule.scopes)
                   for a in ix.authority_over.get(thing, [])):
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
        covered = {t.theirs for t in ix.ties(account) if t.ours in team}
        for person, things in sorted(ix.decision_makers(account, rule.scopes).items()):
            if person not in covered:
                hits.append(Hit.of(person, account, tuple(sorted(set(things)))))
    return hits


@RULES.register(BlockerWithoutChampion)
def _blocker_without_champion(ix: AccountIndex, rule: BlockerWithoutChampion,
                              accounts: Sequence[str], as_of: date) -> list[Hit]:
    hits = []
    for account in accounts:
        tied: dict[str, set[str]] = defaultdict(set)
        for t in ix.ties(account):
            tied[t.theirs].add(t.ours)
        for person_id in ix.people_of(account):
            p = ix.people[person_id]
            if not (ix.active(person_id) and p.stance is Stance.BLOCKER
                    and (p.influence or 0) >= rule.min_influence):
                continue
            known = {r.target if r.source == person_id else r.source
                     for r in ix.knows[person_id]} | tied[person_id]
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
        ties = ix.ties(account)
        ours = sorted({t.ours for t in ties})
        theirs = sorted({t.theirs for t in ties})
        if not ties:
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
    hits = []
    for account in accounts:
        key = ix.key_people(account, rule.min_influence, rule.key_roles)
        stale = ix.stale_ties(account, cutoff)
        hits += stale_relationship_hits(rule, account, [t for t in stale if t.theirs in key],
                                        [t for t in stale if t.theirs not in key], as_of)
    return hits


@RULES.register(StaleContact)
def _stale_contact(ix: AccountIndex, rule: StaleContact, accounts: Sequence[str],
                   as_of: date) -> list[Hit]:
    cutoff = as_of - timedelta(days=rule.days)
    hits = []
    for account in accounts:
        deciders = ix.decision_makers(account)
        latest: dict[str, tuple[date, str]] = {}
        ours: dict[str, set[str]] = defaultdict(set)
        for t in ix.ties(account):
            last = t.last_contact
            ours[t.theirs].add(t.ours)
            if last is not None and (t.theirs not in latest
                                     or (last, t.ours) > latest[t.theirs]):
                latest[t.theirs] = (last, t.ours)
        for person_id in sorted(latest):
            p = ix.people[person_id]
            if not (person_id in deciders or (p.influence or 0) >= rule.min_influence):
                continue
            last, with_ = latest[person_id]
            if last < cutoff:
                hits.append(Hit.of(person_id, account, tuple(sorted(ours[person_id])), _detail(
                    StaleContact.Detail, last_contact=last, days=(as_of - last).days,
                    last_with=with_)))
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
    left = ix.marked_left()  # by account, None for people of no account (ours, divisions')
    hits = []
    for person_id in sorted({*left.get(None, ()), *(p for a in accounts for p in left.get(a, ()))}):
        if ix.active(person_id):
            continue
        held = [r for r in ix.roles_of.get(person_id, ())
                if r.until is None or r.until >= as_of]  # a role that ended is handed back
        if held:
            organization = ix.people[person_id].organization
            hits.append(Hit.of(person_id, organization if organization in left else None,
                               tuple(sorted(f"{r.role}@{r.target}" for r in held))))
    return hits


@RULES.register(OverloadedPerson)
def _overloaded_person(ix: AccountIndex, rule: OverloadedPerson, accounts: Sequence[str],
                       as_of: date) -> list[Hit]:
    accounts_of = ix.accounts_of_things()  # every account: the rule is about people
    hits = []
    for person_id in sorted(ix.roles_of):
        held = ix.roles_of[person_id]
        if not ix.active(person_id) or not held:
            continue
        mine = sorted({a for r in held for a in accounts_of.get(r.target, ())})
        if len(mine) > rule.max_accounts or len(held) > rule.max_roles:
            hits.append(Hit.of(person_id, None, tuple(mine), _detail(
                OverloadedPerson.Detail, accounts=len(mine), roles=len(held))))
    return hits


@RULES.register(RenewalWithoutExecutiveContact)
def _renewal_without_executive_contact(ix: AccountIndex, rule: RenewalWithoutExecutiveContact,
                                       accounts: Sequence[str], as_of: date) -> list[Hit]:
    recent = as_of - timedelta(days=rule.days)
    hits = []
    for account in accounts:
        executives = ix.executives(account)
        latest = max(((t.last_contact, t.ours) for t in ix.ties(account)
                      if t.theirs in executives and t.last_contact is not None), default=None)
        for agreement_id in ix.parties.get(account, []):
            a = ix.nodes.get(agreement_id)
            if not isinstance(a, Agreement) or a.renewal is None or a.renewal < as_of:
                continue
            opens = a.notice_opens()
            warn = (a.renewal - timedelta(days=(a.notice_days or 0) + rule.lead_days)
                    if a.renewal.toordinal() > (a.notice_days or 0) + rule.lead_days
                    else date.min)
            if as_of < warn or (latest is not None and latest[0] >= recent):
                continue
            hits.append(Hit.of(agreement_id, account, tuple(sorted(executives)), _detail(
                RenewalWithoutExecutiveContact.Detail, renewal=a.renewal, notice_opens=opens,
                days_left=(a.renewal - as_of).days,
                last_contact=latest[0] if latest else None,
                last_with=latest[1] if latest else None)))
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
        for person in ix.people_of(account):
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


def _network_rule(ix: AccountIndex, rule: NetworkRule, accounts: Sequence[str],
                  as_of: date) -> list[Hit]:
    """A network rule type: each account's people network, read from the index, judged by
    the rule type itself."""
    return [h for a in accounts for h in rule.judge(ix.people_network(a, rule.reporting))]


RULES.add(HiddenInfluencer, _network_rule)
RULES.add(GatekeeperUncovered, _network_rule)
