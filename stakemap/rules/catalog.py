"""The rule types: one class each, with its parameters, the typed detail of its hits, its
wording and its diagram tag. Adding a rule type starts here (see docs/adding-a-rule-type.md).

The words (account, team, decision-maker, side) are defined in ``stakemap.rules.vocabulary``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from stakemap.model.enums import AuthorityScope, Phase, Side
from stakemap.model.trusted import construct
from stakemap.rules.base import (
    ALL_SCOPES,
    RULE_TYPES,
    Account,
    Dimension,
    Hit,
    Names,
    NetworkRule,
    RuleBase,
    RuleDetail,
    Scope,
    rule_type,
)
from stakemap.rules.centrality import (
    CENTRAL_BETWEENNESS,
    CENTRAL_RANK,
    LOW_INFLUENCE,
    cut_offs,
    measure,
)
from stakemap.rules.network import PeopleNetwork
from stakemap.rules.vocabulary import KEY_ROLES

__all__ = [
    "AgreementReviewOverdue",
    "AuthorityConflict",
    "AuthorityMissing",
    "BlockerWithoutChampion",
    "GatekeeperUncovered",
    "HiddenInfluencer",
    "LeftButHoldsRole",
    "NoMeetingInDays",
    "OverloadedPerson",
    "RenewalWithoutExecutiveContact",
    "RequiredRole",
    "Rule",
    "SingleThreaded",
    "StaleContact",
    "StaleRelationship",
    "UncoveredDecisionMaker",
    "UnownedService",
    "VitalSinglePoint",
]


def _scopes_text(scopes: tuple[Scope, ...]) -> str:
    """"its divisions, services or agreements": the places besides the account a rule looks."""
    others = [{"divisions": "divisions", "services": "services",
               "agreements": "agreements"}[s.value] for s in ALL_SCOPES
              if s in scopes and s is not Scope.ACCOUNT]
    if not others:
        return ""
    return "its " + (", ".join(others[:-1]) + " or " + others[-1] if len(others) > 1
                     else others[0])


@rule_type
class RequiredRole(RuleBase):
    """An account must have ``min_count`` active holders of the role (or of any of
    ``any_of``), in the given phases (empty: the role's own phases).

    ``scopes`` says where a held role counts (default: all): at the account itself, at its
    divisions, at a service it consumes (an end user of the account's ERP is an end user
    of the account), at an agreement it is party to. Away from the account itself, a holder
    counts when they are on the provider side or one of the account's people, so a role
    someone holds at a service another customer shares does not fill this account's seat.
    A holder is active when they have not left and the role's ``since``/``until`` dates, if
    any, include the as-of day: a role that ended last spring leaves the seat vacant."""

    type: Literal["required-role"] = "required-role"
    role: str | None = None
    any_of: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    min_count: int = Field(1, ge=1)
    scopes: tuple[Scope, ...] = ALL_SCOPES

    dimension: ClassVar[Dimension] = Dimension.SEATS

    def applies(self, account: Account) -> bool:
        # phases are resolved by find_gaps; an account in another phase has no such seat
        return not (self.phases and account.phase is not None
                    and account.phase not in self.phases)

    def shortfall(self, hit: Hit) -> float:
        d = hit.detail_as(RequiredRole.Detail)
        return (d.needed - d.held) / d.needed

    class Detail(RuleDetail):
        role: str
        """The role ids, joined with " or "."""
        held: int
        needed: int
        vacant_since: date | None = None
        """When the last holding that counted here ended (the holder's ``left_on``, or the
        day after the role's ``until``, whichever came first); None when unknown."""
        vacant_days: int | None = None

        def role_ids(self) -> tuple[str, ...]:
            return tuple(self.role.split(" or "))

    def roles(self) -> tuple[str, ...]:
        return (self.role, *self.any_of) if self.role else self.any_of

    def role_ids(self) -> tuple[str, ...]:
        return self.roles()

    def _role_name(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(RequiredRole.Detail)
        return " or ".join(names.get(f"role:{r}", r) for r in d.role_ids())

    def message(self, hit: Hit, names: Names) -> str:
        d, s, role = hit.detail_as(RequiredRole.Detail), self.name(names, hit.subject), \
            self._role_name(hit, names)
        since = (f" (vacant since {d.vacant_since.isoformat()}, {d.vacant_days} days)"
                 if d.vacant_since is not None else "")
        if d.held:
            return f"{s} has {d.held} active {role} but needs {d.needed}{since}"
        return f"{s} has no active {role}{since}"

    def advice(self, hit: Hit, names: Names) -> str:
        d, s, role = hit.detail_as(RequiredRole.Detail), self.name(names, hit.subject), \
            self._role_name(hit, names)
        if d.held:
            return f"Add another {role} so the role survives one person's absence."
        return f"Name a {role} for {s}, or record who holds the role if someone does."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "role vacant"


@rule_type
class UnownedService(RuleBase):
    """A service an account consumes with no active owner."""

    type: Literal["unowned-service"] = "unowned-service"

    dimension: ClassVar[Dimension] = Dimension.SEATS
    basis: ClassVar[str] = "services"

    def message(self, hit: Hit, names: Names) -> str:
        return (f"service {self.name(names, hit.subject)} (used by "
                f"{self.name(names, hit.customer)}) has no active owner")

    def advice(self, hit: Hit, names: Names) -> str:
        return "Make one person accountable for the service and record them as its owner."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "no owner"


@rule_type
class VitalSinglePoint(RuleBase):
    """A vital service whose owners, role holders and deciders together are one person."""

    type: Literal["vital-single-point"] = "vital-single-point"

    dimension: ClassVar[Dimension] = Dimension.SEATS
    basis: ClassVar[str] = "vital_services"

    def message(self, hit: Hit, names: Names) -> str:
        return (f"vital service {self.name(names, hit.subject)} (used by "
                f"{self.name(names, hit.customer)}) hangs on one person: "
                f"{self.who(names, hit.evidence)}")

    def advice(self, hit: Hit, names: Names) -> str:
        return "Add a second owner or deputy, and a decision-maker on the customer side."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "single point of failure"


class _ScopeDetail(RuleDetail):
    scope: AuthorityScope


@rule_type
class AuthorityMissing(RuleBase):
    """Nobody active holds ``scope`` authority over the account or, by ``scopes`` (default:
    all), its divisions, the services it consumes or its agreements; away from the account
    itself, the decider must be on the provider side or one of the account's people."""

    type: Literal["authority-missing"] = "authority-missing"
    scope: AuthorityScope = AuthorityScope.BUDGET
    scopes: tuple[Scope, ...] = ALL_SCOPES

    Detail = _ScopeDetail
    dimension: ClassVar[Dimension] = Dimension.DECISIONS

    def message(self, hit: Hit, names: Names) -> str:
        scope = hit.detail_as(_ScopeDetail).scope.value
        where = _scopes_text(self.scopes)
        return f"nobody holds {scope} authority over {self.name(names, hit.subject)}" + \
               (f" or {where}" if where else "")

    def advice(self, hit: Hit, names: Names) -> str:
        scope = hit.detail_as(_ScopeDetail).scope.value
        return f"Find out who decides on {scope} at {self.name(names, hit.subject)} and " \
               f"record their authority."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "no one decides" + (f" on {detail.scope.value}"
                                   if isinstance(detail, _ScopeDetail) else "")


@rule_type
class AuthorityConflict(RuleBase):
    """More than one active person holds the same scope of authority over the same thing."""

    type: Literal["authority-conflict"] = "authority-conflict"
    scopes: tuple[AuthorityScope, ...] = ()

    Detail = _ScopeDetail
    dimension: ClassVar[Dimension] = Dimension.DECISIONS
    basis: ClassVar[str] = "things"

    def message(self, hit: Hit, names: Names) -> str:
        scope = hit.detail_as(_ScopeDetail).scope.value
        return (f"{len(hit.evidence)} people hold {scope} authority over "
                f"{self.name(names, hit.subject)}: {self.who(names, hit.evidence)}")

    def advice(self, hit: Hit, names: Names) -> str:
        return "Agree with the customer who is accountable for this decision; record one decider."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "conflicting deciders"


@rule_type
class UncoveredDecisionMaker(RuleBase):
    """A decision-maker of the account (an active person of the account with authority over
    it or, by ``scopes``, its divisions, services or agreements) with no tie to anyone on
    the account's team: no relationship, and no meeting both attended."""

    type: Literal["uncovered-decision-maker"] = "uncovered-decision-maker"
    scopes: tuple[Scope, ...] = ALL_SCOPES

    dimension: ClassVar[Dimension] = Dimension.DECISIONS
    basis: ClassVar[str] = "decision_makers"

    def message(self, hit: Hit, names: Names) -> str:
        return (f"decision-maker {self.name(names, hit.subject)} "
                f"({self.name(names, hit.customer)}) has no tie with anyone on our account "
                f"team: no relationship, no meeting together")

    def advice(self, hit: Hit, names: Names) -> str:
        return (f"Plan an introduction to {self.name(names, hit.subject)} through someone who "
                f"knows them; assign an owner.")

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "uncovered decision-maker"


@rule_type
class BlockerWithoutChampion(RuleBase):
    """A blocker with influence >= ``min_influence`` who has no relationship with a champion."""

    type: Literal["blocker-without-champion"] = "blocker-without-champion"
    min_influence: int = Field(4, ge=1, le=5)

    dimension: ClassVar[Dimension] = Dimension.DECISIONS
    basis: ClassVar[str] = "key_people"

    class Detail(RuleDetail):
        influence: int | None

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(BlockerWithoutChampion.Detail)
        return (f"{self.name(names, hit.subject)} ({self.name(names, hit.customer)}) is a "
                f"blocker with influence {d.influence} and knows no champion")

    def advice(self, hit: Hit, names: Names) -> str:
        return (f"Find a champion who can reach {self.name(names, hit.subject)}, or build one, "
                f"and plan how to address the concerns.")

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "blocker, no champion"


@rule_type
class SingleThreaded(RuleBase):
    """Every tie across the two sides (a relationship, or a meeting both attended) goes
    through one person on one side, or there is none."""

    type: Literal["single-threaded"] = "single-threaded"

    dimension: ClassVar[Dimension] = Dimension.RELATIONSHIPS

    class Detail(RuleDetail):
        through: str | None
        """The one person every cross-side relationship goes through; None: there are no
        cross-side relationships at all."""

        def ids(self) -> tuple[str, ...]:
            return (self.through,) if self.through else ()

    def message(self, hit: Hit, names: Names) -> str:
        d, s = hit.detail_as(SingleThreaded.Detail), self.name(names, hit.subject)
        if d.through:
            return (f"{s} is single-threaded: every tie across the two sides goes "
                    f"through {self.name(names, d.through)}")
        return f"{s} has no ties between our people and theirs: no relationship, no meeting"

    def shortfall(self, hit: Hit) -> float:
        return 0.5 if hit.detail_as(SingleThreaded.Detail).through else 1.0

    def advice(self, hit: Hit, names: Names) -> str:
        return "Build relationships beyond one person on each side: map who should know whom."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "single thread"


@rule_type
class StaleRelationship(RuleBase):
    """Ties across the sides whose last contact is more than ``days`` old, judged by whom
    they connect. A tie is a declared relationship or a meeting both people attended; its
    last contact is the later of the relationship's ``last_contact`` and the latest such
    meeting. A stale tie to a key person of the account (a decision-maker, a holder of one
    of ``key_roles`` at one of its things, or influence >= ``min_influence``) is a finding
    of its own, evidence (their person, our person); the others, the long tail, are by
    ``tail``: one ``summary`` finding per account (default; when the tail has fewer than
    ``summary_from`` ties, they are findings each, since a summary of two says less than
    the two), a finding ``each``, or ``ignore``d."""

    type: Literal["stale-relationship"] = "stale-relationship"
    days: int = Field(90, ge=1, le=36_500)
    min_influence: int = Field(4, ge=1, le=5)
    key_roles: tuple[str, ...] = KEY_ROLES

    def role_ids(self) -> tuple[str, ...]:
        return self.key_roles
    tail: Literal["summary", "each", "ignore"] = "summary"
    summary_from: int = Field(4, ge=2)

    class Detail(RuleDetail):
        last_contact: date
        """The tie's last contact; for a summary, the oldest of the tail's."""
        days: int
        strength: float | None = None
        """The tie's strength: declared, or computed from its interactions (see
        ``stakemap.rules.vocabulary.tie_strength``); None in a summary."""
        strength_from: Literal["declared", "interactions", "unknown"] | None = None
        meetings: int = 0
        """Meetings the two attended on or before the as-of day."""
        others: int = 0
        """In a summary finding, how many stale ties it stands for; 0 for one tie."""

    ordered_evidence: ClassVar[bool] = True
    dimension: ClassVar[Dimension] = Dimension.RELATIONSHIPS
    basis: ClassVar[str] = "ties"
    cause_priority: ClassVar[int] = 2

    @classmethod
    def same_finding(cls, before: Hit, after: Hit) -> bool:
        """A summary of the tail is one finding however many ties it counts: a departure
        that takes one of them away causes nothing new."""
        counted = (before.detail_as(StaleRelationship.Detail).others,
                   after.detail_as(StaleRelationship.Detail).others)
        return all(counted) or before.evidence == after.evidence

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(StaleRelationship.Detail)
        if d.others:
            return (f"{self.name(names, hit.subject)}: {d.others} other tie"
                    f"{'s are' if d.others != 1 else ' is'} older than {self.days} days "
                    f"(oldest last contact {d.last_contact.isoformat()}, {d.days} days ago)")
        how = f"strength {d.strength:.2f} ({d.strength_from})" if d.strength is not None else ""
        met = f", {d.meetings} meeting{'s' if d.meetings != 1 else ''} together" \
            if d.meetings else ""
        return (f"relationship between {self.name(names, hit.subject)} and "
                f"{self.name(names, hit.evidence[1])} is stale: last contact "
                f"{d.last_contact.isoformat()}, {d.days} days ago"
                + (f"; {how}{met}" if how else ""))

    def advice(self, hit: Hit, names: Names) -> str:
        if hit.detail_as(StaleRelationship.Detail).others:
            return ("Review the tail at the next account review: renew the ties that still "
                    "matter, and let the rest go.")
        return "Schedule a contact; if the relationship has lapsed, record who replaces it."

    def shortfall(self, hit: Hit) -> float:
        return float(hit.detail_as(StaleRelationship.Detail).others or 1)

    def cause(self, hit: Hit) -> tuple[str, ...] | None:
        if hit.detail_as(StaleRelationship.Detail).others:
            return None
        return ("contact", hit.customer or "", hit.subject)

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        if isinstance(detail, StaleRelationship.Detail) and detail.others:
            return f"{detail.others} stale ties"
        days = detail.days if isinstance(detail, StaleRelationship.Detail) else None
        return f"stale relationship ({days} days)"


@rule_type
class StaleContact(RuleBase):
    """A key contact (decision-maker or influence >= ``min_influence``) whose latest contact
    with anyone on our side (a relationship's ``last_contact``, or a meeting both attended)
    is more than ``days`` old. A meeting among their own people is not contact. People never
    contacted are the uncovered-decision-maker rule's business. Evidence: our people they
    have ties with."""

    type: Literal["stale-contact"] = "stale-contact"
    days: int = Field(90, ge=1, le=36_500)
    min_influence: int = Field(4, ge=1, le=5)

    class Detail(RuleDetail):
        last_contact: date
        days: int
        last_with: str
        """Who on our side had that last contact."""

        def ids(self) -> tuple[str, ...]:
            return (self.last_with,)

    dimension: ClassVar[Dimension] = Dimension.RELATIONSHIPS
    basis: ClassVar[str] = "key_people"
    cause_priority: ClassVar[int] = 1

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(StaleContact.Detail)
        return (f"key contact {self.name(names, hit.subject)} ({self.name(names, hit.customer)})"
                f" last had contact with us on {d.last_contact.isoformat()} "
                f"({self.name(names, d.last_with)}), {d.days} days ago")

    def advice(self, hit: Hit, names: Names) -> str:
        return f"Plan a meeting with {self.name(names, hit.subject)} in the next weeks."

    def cause(self, hit: Hit) -> tuple[str, ...] | None:
        return ("contact", hit.customer or "", hit.subject)

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        days = detail.days if isinstance(detail, StaleContact.Detail) else None
        return f"no contact for {days} days"


@rule_type
class AgreementReviewOverdue(RuleBase):
    """An agreement whose next review date is more than ``grace_days`` in the past."""

    type: Literal["agreement-review-overdue"] = "agreement-review-overdue"
    grace_days: int = Field(0, ge=0, le=36_500)

    basis: ClassVar[str] = "agreements"

    class Detail(RuleDetail):
        next_review: date
        days: int

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(AgreementReviewOverdue.Detail)
        return (f"agreement {self.name(names, hit.subject)} was due for review on "
                f"{d.next_review.isoformat()} ({d.days} days ago)")

    def advice(self, hit: Hit, names: Names) -> str:
        return "Hold the agreement review and record the next review date."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        days = detail.days if isinstance(detail, AgreementReviewOverdue.Detail) else None
        return f"review overdue {days} days"


@rule_type
class LeftButHoldsRole(RuleBase):
    """Someone who left still holds roles (not ended by their ``until``). Evidence:
    ``role@where`` for each."""

    type: Literal["left-but-holds-role"] = "left-but-holds-role"

    basis: ClassVar[str] = "people"

    def message(self, hit: Hit, names: Names) -> str:
        return (f"{self.name(names, hit.subject)} has left but still holds "
                f"{len(hit.evidence)} role(s): {', '.join(hit.evidence)}")

    def advice(self, hit: Hit, names: Names) -> str:
        return "Remove the roles, and check each one has an active holder."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "left, still holds roles"


@rule_type
class OverloadedPerson(RuleBase):
    """Someone holding roles at more than ``max_accounts`` accounts or more than
    ``max_roles`` roles in all. Evidence: the accounts."""

    type: Literal["overloaded-person"] = "overloaded-person"
    max_accounts: int = Field(5, ge=1)
    max_roles: int = Field(8, ge=1)

    per_account: ClassVar[bool] = False
    dimension: ClassVar[Dimension] = Dimension.SEATS

    class Detail(RuleDetail):
        accounts: int
        roles: int

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(OverloadedPerson.Detail)
        return f"{self.name(names, hit.subject)} holds {d.roles} roles across {d.accounts} " \
               f"accounts"

    def advice(self, hit: Hit, names: Names) -> str:
        return ("Rebalance the roles, or name deputies for the accounts that need the most "
                "attention.")

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "overloaded"


@rule_type
class NoMeetingInDays(RuleBase):
    """An account with no meeting in the last ``days`` days that people of both sides
    attended: at least one of the account's people and one provider-side person. Meetings
    after the as-of day do not count (they have not happened yet)."""

    type: Literal["no-meeting-in-days"] = "no-meeting-in-days"
    days: int = Field(90, ge=1, le=36_500)

    dimension: ClassVar[Dimension] = Dimension.RELATIONSHIPS

    class Detail(RuleDetail):
        last_meeting: date | None
        """The latest meeting of both sides, or None when there has never been one."""
        days: int | None
        """Days since ``last_meeting``."""

    def message(self, hit: Hit, names: Names) -> str:
        d, s = hit.detail_as(NoMeetingInDays.Detail), self.name(names, hit.subject)
        if d.last_meeting is None:
            return f"{s} has no recorded meeting between our people and theirs"
        return (f"{s} has had no meeting between our people and theirs since "
                f"{d.last_meeting.isoformat()} ({d.days} days ago)")

    def advice(self, hit: Hit, names: Names) -> str:
        return ("Hold a meeting with the customer's people (a service review, a QBR) and "
                "record it with its attendees.")

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "no recent meeting"


@rule_type
class RenewalWithoutExecutiveContact(RuleBase):
    """An agreement of the account whose renewal is near (its notice window, ``renewal``
    minus ``notice_days``, opens within ``lead_days``, or is open) while nobody on our side
    has had contact (a tie's last contact) with an executive of the account in the last
    ``days`` days. Executives are the account's active people who hold the
    executive-sponsor role or budget authority at one of its things. Evidence: those
    executives."""

    type: Literal["renewal-without-executive-contact"] = "renewal-without-executive-contact"
    lead_days: int = Field(90, ge=0, le=3_650)
    days: int = Field(90, ge=1, le=36_500)

    class Detail(RuleDetail):
        renewal: date
        notice_opens: date | None
        days_left: int
        """Days from the as-of day to the renewal."""
        last_contact: date | None
        """Our latest contact with one of the executives; None if never."""
        last_with: str | None

        def ids(self) -> tuple[str, ...]:
            return (self.last_with,) if self.last_with else ()

    dimension: ClassVar[Dimension] = Dimension.RELATIONSHIPS
    basis: ClassVar[str] = "agreements"

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(RenewalWithoutExecutiveContact.Detail)
        notice = f", notice from {d.notice_opens.isoformat()}" if d.notice_opens else ""
        if not hit.evidence:
            who = f"no executive of {self.name(names, hit.customer)} is known"
        elif d.last_contact is None:
            who = f"we have never had contact with {self.who(names, hit.evidence)}"
        else:
            who = (f"our last contact with an executive was on {d.last_contact.isoformat()} "
                   f"({self.name(names, d.last_with)})")
        return (f"agreement {self.name(names, hit.subject)} renews on "
                f"{d.renewal.isoformat()} ({d.days_left} days{notice}) and {who}")

    def advice(self, hit: Hit, names: Names) -> str:
        return ("Meet the executive sponsor or budget holder before the notice window closes: "
                "confirm the renewal, or learn in time why not.")

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "renewal, no executive contact"


@rule_type
class HiddenInfluencer(NetworkRule):
    """One of their people rated low on influence (``max_rated`` or below, or unrated) who is
    central in the account's people network: betweenness or influence rank in its top
    quarter (``stakemap.rules.centrality``). The rating undersells them, and plans built on
    it pass them by. Only in networks with at least ``min_people`` of their people: in a
    smaller one everyone is "central"."""

    type: Literal["hidden-influencer"] = "hidden-influencer"
    max_rated: int = Field(LOW_INFLUENCE, ge=1, le=4)
    min_people: int = Field(5, ge=2)

    dimension: ClassVar[Dimension] = Dimension.RELATIONSHIPS
    basis: ClassVar[str] = "people"

    class Detail(RuleDetail):
        influence: int | None
        """Their rated influence (1-5), None when unrated."""
        betweenness: float
        influence_rank: float
        covered: bool
        """One of ours has a tie with them."""
        people: int
        """People in the network (the flat influence rank is 1/people)."""

    def judge(self, network: PeopleNetwork) -> list[Hit]:
        theirs = [p for p in network.people if p.side is Side.CUSTOMER]
        if len(theirs) < self.min_people:
            return []
        found = measure(network, low=self.max_rated)
        ours = {p.id for p in network.people if p.side is Side.PROVIDER}
        hits = []
        for p in theirs:
            m = found[p.id]
            if not m.hidden_influencer:
                continue
            near = sorted({t.b if t.a == p.id else t.a for t in network.ties
                           if p.id in (t.a, t.b)})
            hits.append(Hit.of(p.id, network.account, tuple(near), construct(
                HiddenInfluencer.Detail, {"influence": p.influence, "betweenness": m.betweenness,
                                          "influence_rank": m.influence_rank,
                                          "covered": bool(ours.intersection(near)),
                                          "people": len(network.people)})))
        return hits

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(HiddenInfluencer.Detail)
        rated = f"rated influence {d.influence}" if d.influence is not None else "unrated"
        times = d.influence_rank * d.people
        why = [f"on {d.betweenness:.0%} of the shortest chains between its people"
               ] if d.betweenness >= CENTRAL_BETWEENNESS else []
        if times >= CENTRAL_RANK:
            why.append(f"an influence rank {times:.1f} times the average")
        return (f"{self.name(names, hit.subject)} ({self.name(names, hit.customer)}) is "
                f"{rated} but central in the account's network: {' and '.join(why)}")

    def advice(self, hit: Hit, names: Names) -> str:
        d, who = hit.detail_as(HiddenInfluencer.Detail), self.name(names, hit.subject)
        if d.covered:
            return f"Re-rate {who}'s influence and plan with them, not around them."
        return (f"Re-rate {who}'s influence, and give them a contact of ours: today we "
                f"reach them only through others.")

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "hidden influencer"


@rule_type
class GatekeeperUncovered(NetworkRule):
    """One of their people through whom every tie of ours to some of their people passes:
    without them (``stakemap.rules.centrality``'s "cut off"), at least ``min_people`` of
    their people have no tie path to anyone of ours. The group behind the gatekeeper is
    uncovered: no one of ours knows any of them, and the account hangs on one person."""

    type: Literal["gatekeeper-uncovered"] = "gatekeeper-uncovered"
    min_people: int = Field(1, ge=1)

    dimension: ClassVar[Dimension] = Dimension.RELATIONSHIPS
    basis: ClassVar[str] = "people"

    class Detail(RuleDetail):
        cut_off: int
        """How many of their people only the gatekeeper connects to us."""

    def judge(self, network: PeopleNetwork) -> list[Hit]:
        found = cut_offs(network)
        return [Hit.of(p.id, network.account, cut, construct(
                    GatekeeperUncovered.Detail, {"cut_off": len(cut)}))
                for p in network.people
                if p.side is Side.CUSTOMER and len(cut := found.get(p.id, ())) >= self.min_people]

    def shortfall(self, hit: Hit) -> float:
        return float(hit.detail_as(GatekeeperUncovered.Detail).cut_off)

    def message(self, hit: Hit, names: Names) -> str:
        n, shown = len(hit.evidence), self.who(names, hit.evidence[:5])
        whom = shown if n == 1 else f"{n} people ({shown}{', ...' if n > 5 else ''})"
        return (f"every tie of ours to {whom} at {self.name(names, hit.customer)} runs "
                f"through {self.name(names, hit.subject)}")

    def advice(self, hit: Hit, names: Names) -> str:
        whom = self.who(names, hit.evidence[:3])
        return (f"Build a tie of our own to {whom if len(hit.evidence) == 1 else 'one of ' + whom}"
                f", so the account does not hang on {self.name(names, hit.subject)}.")

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        n = detail.cut_off if isinstance(detail, GatekeeperUncovered.Detail) else 0
        return f"gatekeeper: only way to {n} {'person' if n == 1 else 'people'}"


def _rule_union() -> Any:
    from typing import Union

    return Annotated[Union[tuple(RULE_TYPES.values())], Field(discriminator="type")]  # noqa: UP007


Rule: Any = _rule_union()
"""Any registered rule type, told apart by its ``type`` (for parsing playbooks)."""

