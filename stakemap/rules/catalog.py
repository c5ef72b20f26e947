"""The rule types: one class each, with its parameters, the typed detail of its hits, its
wording and its diagram tag. Adding a rule type starts here (see docs/adding-a-rule-type.md).

The words (account, team, decision-maker, side) are defined in ``stakemap.rules.vocabulary``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from stakemap.model.enums import AuthorityScope, Phase
from stakemap.rules.base import RULE_TYPES, Hit, Names, RuleBase, RuleDetail, rule_type

__all__ = [
    "AgreementReviewOverdue",
    "AuthorityConflict",
    "AuthorityMissing",
    "BlockerWithoutChampion",
    "LeftButHoldsRole",
    "NoMeetingInDays",
    "OverloadedPerson",
    "RequiredRole",
    "Rule",
    "SingleThreaded",
    "StaleContact",
    "StaleRelationship",
    "UncoveredDecisionMaker",
    "UnownedService",
    "VitalSinglePoint",
]


@rule_type
class RequiredRole(RuleBase):
    """An account must have ``min_count`` active holders of the role (or of any of
    ``any_of``), at the account itself, in the given phases (empty: the role's own phases).
    A holder is active when they have not left and the role's ``since``/``until`` dates, if
    any, include the as-of day: a role that ended last spring leaves the seat vacant."""

    type: Literal["required-role"] = "required-role"
    role: str | None = None
    any_of: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    min_count: int = Field(1, ge=1)

    class Detail(RuleDetail):
        role: str
        """The role ids, joined with " or "."""
        held: int
        needed: int

        def role_ids(self) -> tuple[str, ...]:
            return tuple(self.role.split(" or "))

    def roles(self) -> tuple[str, ...]:
        return (self.role, *self.any_of) if self.role else self.any_of

    def _role_name(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(RequiredRole.Detail)
        return " or ".join(names.get(f"role:{r}", r) for r in d.role_ids())

    def message(self, hit: Hit, names: Names) -> str:
        d, s, role = hit.detail_as(RequiredRole.Detail), self.name(names, hit.subject), \
            self._role_name(hit, names)
        if d.held:
            return f"{s} has {d.held} active {role} but needs {d.needed}"
        return f"{s} has no active {role}"

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
    """Nobody active holds ``scope`` authority over the account or its agreements."""

    type: Literal["authority-missing"] = "authority-missing"
    scope: AuthorityScope = AuthorityScope.BUDGET

    Detail = _ScopeDetail

    def message(self, hit: Hit, names: Names) -> str:
        scope = hit.detail_as(_ScopeDetail).scope.value
        return f"nobody holds {scope} authority over {self.name(names, hit.subject)} or its " \
               f"agreements"

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
    """A customer decision-maker with no relationship to anyone on the account's team."""

    type: Literal["uncovered-decision-maker"] = "uncovered-decision-maker"

    def message(self, hit: Hit, names: Names) -> str:
        return (f"decision-maker {self.name(names, hit.subject)} "
                f"({self.name(names, hit.customer)}) has no relationship with anyone on our "
                f"account team")

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
    """Every relationship across the two sides goes through one person on one side."""

    type: Literal["single-threaded"] = "single-threaded"

    class Detail(RuleDetail):
        through: str | None
        """The one person every cross-side relationship goes through; None: there are no
        cross-side relationships at all."""

        def ids(self) -> tuple[str, ...]:
            return (self.through,) if self.through else ()

    def message(self, hit: Hit, names: Names) -> str:
        d, s = hit.detail_as(SingleThreaded.Detail), self.name(names, hit.subject)
        if d.through:
            return (f"{s} is single-threaded: every relationship across the two sides goes "
                    f"through {self.name(names, d.through)}")
        return f"{s} has no relationships between our people and theirs"

    def advice(self, hit: Hit, names: Names) -> str:
        return "Build relationships beyond one person on each side: map who should know whom."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        return "single thread"


class _ContactDetail(RuleDetail):
    last_contact: date
    days: int


@rule_type
class StaleRelationship(RuleBase):
    """A relationship across the sides whose last contact is more than ``days`` old.
    Evidence: (their person, our person)."""

    type: Literal["stale-relationship"] = "stale-relationship"
    days: int = Field(90, ge=1, le=36_500)

    Detail = _ContactDetail
    ordered_evidence: ClassVar[bool] = True

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(_ContactDetail)
        return (f"relationship between {self.name(names, hit.subject)} and "
                f"{self.name(names, hit.evidence[1])} is stale: last contact "
                f"{d.last_contact.isoformat()}, {d.days} days ago")

    def advice(self, hit: Hit, names: Names) -> str:
        return "Schedule a contact; if the relationship has lapsed, record who replaces it."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        days = detail.days if isinstance(detail, _ContactDetail) else None
        return f"stale relationship ({days} days)"


@rule_type
class StaleContact(RuleBase):
    """A key contact (decision-maker or influence >= ``min_influence``) whose latest known
    contact (relationship or meeting) is more than ``days`` old. People never contacted are
    the uncovered-decision-maker rule's business."""

    type: Literal["stale-contact"] = "stale-contact"
    days: int = Field(90, ge=1, le=36_500)
    min_influence: int = Field(4, ge=1, le=5)

    Detail = _ContactDetail

    def message(self, hit: Hit, names: Names) -> str:
        d = hit.detail_as(_ContactDetail)
        return (f"key contact {self.name(names, hit.subject)} ({self.name(names, hit.customer)})"
                f" last had contact on {d.last_contact.isoformat()}, {d.days} days ago")

    def advice(self, hit: Hit, names: Names) -> str:
        return f"Plan a meeting with {self.name(names, hit.subject)} in the next weeks."

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        days = detail.days if isinstance(detail, _ContactDetail) else None
        return f"no contact for {days} days"


@rule_type
class AgreementReviewOverdue(RuleBase):
    """An agreement whose next review date is more than ``grace_days`` in the past."""

    type: Literal["agreement-review-overdue"] = "agreement-review-overdue"
    grace_days: int = Field(0, ge=0, le=36_500)

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
    """Someone who left still holds roles. Evidence: ``role@where`` for each."""

    type: Literal["left-but-holds-role"] = "left-but-holds-role"

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


def _rule_union() -> Any:
    from typing import Union

    return Annotated[Union[tuple(RULE_TYPES.values())], Field(discriminator="type")]  # noqa: UP007


Rule: Any = _rule_union()
"""Any registered rule type, told apart by its ``type`` (for parsing playbooks)."""
