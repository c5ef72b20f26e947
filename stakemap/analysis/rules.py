"""Gap rules as data: a rule type plus its parameters, read from a playbook.

Rules say *what* to look for; each backend says *how*, where the data lives (Python over the
in-memory graph, Cypher in Neo4j). Both return ``Hit``s, and ``stakemap.analysis.gaps`` turns
hits into findings with one wording, so the two backends can only differ in what they find,
which the parity tests rule out.

Vocabulary shared by every rule type:

- an **account** is a customer organization that consumes a service or is party to an
  agreement; a group parent that does neither (its divisions are the accounts) is not one.
- an account's **team** is the provider-side people who hold a role at the account, at a
  service it consumes or at an agreement it is party to, or who own such a service.
- a **decision-maker** is an active person with decision authority over the account, a
  service it consumes or an agreement it is party to.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from stakemap.model.enums import AuthorityScope, Phase
from stakemap.model.trusted import construct

__all__ = [
    "RULE_TYPES",
    "AgreementReviewOverdue",
    "AuthorityConflict",
    "AuthorityMissing",
    "BlockerWithoutChampion",
    "Hit",
    "LeftButHoldsRole",
    "OverloadedPerson",
    "RequiredRole",
    "Rule",
    "RuleBase",
    "Selector",
    "Severity",
    "SingleThreaded",
    "StaleContact",
    "StaleRelationship",
    "UncoveredDecisionMaker",
    "UnownedService",
    "VitalSinglePoint",
]


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical 4 ... info 0."""
        return _RANKS[self]


_RANKS = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1,
          Severity.INFO: 0}


class Selector(BaseModel):
    """Which accounts a rule applies to; every field given must match (empty = all)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tiers: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    customers: tuple[str, ...] = ()
    with_vital_services: bool | None = Field(
        None, description="true: only accounts that consume a vital service; false: only others")


class RuleBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="stable finding code")
    severity: Severity = Severity.MEDIUM
    enabled: bool = True
    when: Selector = Selector()
    remediation: str | None = Field(None, description="replaces the built-in advice")


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

    def roles(self) -> tuple[str, ...]:
        return (self.role, *self.any_of) if self.role else self.any_of


class UnownedService(RuleBase):
    """A service an account consumes with no active owner."""

    type: Literal["unowned-service"] = "unowned-service"


class VitalSinglePoint(RuleBase):
    """A vital service whose owners, role holders and deciders together are one person."""

    type: Literal["vital-single-point"] = "vital-single-point"


class AuthorityMissing(RuleBase):
    """Nobody active holds ``scope`` authority over the account or its agreements."""

    type: Literal["authority-missing"] = "authority-missing"
    scope: AuthorityScope = AuthorityScope.BUDGET


class AuthorityConflict(RuleBase):
    """More than one active person holds the same scope of authority over the same thing."""

    type: Literal["authority-conflict"] = "authority-conflict"
    scopes: tuple[AuthorityScope, ...] = ()


class UncoveredDecisionMaker(RuleBase):
    """A customer decision-maker with no relationship to anyone on the account's team."""

    type: Literal["uncovered-decision-maker"] = "uncovered-decision-maker"


class BlockerWithoutChampion(RuleBase):
    """A blocker with influence >= ``min_influence`` who has no relationship with a champion."""

    type: Literal["blocker-without-champion"] = "blocker-without-champion"
    min_influence: int = Field(4, ge=1, le=5)


class SingleThreaded(RuleBase):
    """Every relationship across the two sides goes through one person on one side."""

    type: Literal["single-threaded"] = "single-threaded"


class StaleRelationship(RuleBase):
    """A relationship across the sides whose last contact is more than ``days`` old."""

    type: Literal["stale-relationship"] = "stale-relationship"
    days: int = Field(90, ge=1)


class StaleContact(RuleBase):
    """A key contact (decision-maker or influence >= ``min_influence``) whose latest known
    contact (relationship or meeting) is more than ``days`` old. People never contacted are
    the uncovered-decision-maker rule's business."""

    type: Literal["stale-contact"] = "stale-contact"
    days: int = Field(90, ge=1)
    min_influence: int = Field(4, ge=1, le=5)


class AgreementReviewOverdue(RuleBase):
    """An agreement whose next review date is more than ``grace_days`` in the past."""

    type: Literal["agreement-review-overdue"] = "agreement-review-overdue"
    grace_days: int = Field(0, ge=0)


class LeftButHoldsRole(RuleBase):
    """Someone who left still holds roles."""

    type: Literal["left-but-holds-role"] = "left-but-holds-role"


class OverloadedPerson(RuleBase):
    """Someone holding roles at more than ``max_accounts`` accounts or more than
    ``max_roles`` roles in all."""

    type: Literal["overloaded-person"] = "overloaded-person"
    max_accounts: int = Field(5, ge=1)
    max_roles: int = Field(8, ge=1)


Rule = Annotated[
    RequiredRole | UnownedService | VitalSinglePoint | AuthorityMissing | AuthorityConflict
    | UncoveredDecisionMaker | BlockerWithoutChampion | SingleThreaded | StaleRelationship
    | StaleContact | AgreementReviewOverdue | LeftButHoldsRole | OverloadedPerson,
    Field(discriminator="type"),
]

RULE_TYPES: dict[str, type[RuleBase]] = {
    cls.model_fields["type"].default: cls
    for cls in (RequiredRole, UnownedService, VitalSinglePoint, AuthorityMissing,
                AuthorityConflict, UncoveredDecisionMaker, BlockerWithoutChampion,
                SingleThreaded, StaleRelationship, StaleContact, AgreementReviewOverdue,
                LeftButHoldsRole, OverloadedPerson)
}


class Hit(BaseModel):
    """What a backend found for one rule: the subject, its account, the proof, and numbers
    the message needs. Backends fill it; the analysis layer words it."""

    model_config = ConfigDict(frozen=True)

    subject: str
    customer: str | None = None
    evidence: tuple[str, ...] = ()
    detail: dict[str, str | int | None] = Field(default_factory=dict)

    @classmethod
    def of(cls, subject: str, customer: str | None, evidence: tuple[str, ...] = (),
           detail: dict[str, str | int | None] | None = None) -> Hit:
        """A hit from a backend's own, already typed values, without validating them again:
        a report over L makes 80,000 of them, and validation was a third of its time."""
        return construct(cls, {"subject": subject, "customer": customer,
                               "evidence": evidence, "detail": detail or {}})
