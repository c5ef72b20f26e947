"""What every rule type shares: severity, the account selector, the rule base class with its
wording hooks, the typed detail of a hit, and the two registries (rule types; each backend's
implementations of them).

A rule type is one class (see ``stakemap.rules.catalog``). It declares, in one place:

- its **parameters** (pydantic fields, read from a playbook),
- its **detail** model (``Detail``): the numbers a hit carries, typed, so the backends that
  produce them and the report, diagram and review pack that read them agree on one shape,
- its **wording**: ``message`` and ``advice`` turn a hit into the sentence a person reads,
- its **tag**: the few words a diagram writes next to the subject.

Backends register an implementation per rule class in an ``Implementations`` table; a rule
type a backend lacks is a ``RuleNotImplementedError`` (a ``StakemapError``), never a
``KeyError``.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from stakemap.errors import StakemapError
from stakemap.model.enums import Phase
from stakemap.model.trusted import construct
from stakemap.rules.network import PeopleNetwork

__all__ = [
    "ALL_SCOPES",
    "DIMENSIONS",
    "RULE_TYPES",
    "Account",
    "AccountSizes",
    "Dimension",
    "Hit",
    "Implementations",
    "RuleBase",
    "RuleDetail",
    "RuleNotImplementedError",
    "Scope",
    "Selector",
    "Severity",
    "rule_type",
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


class Scope(StrEnum):
    """What counts for an account, in the rules that take a ``scopes`` parameter: a role
    held, or authority, at the account itself, at one of its divisions (customer
    organizations whose ``parent`` chain leads to it), at a service it consumes, or at an
    agreement it is party to."""

    ACCOUNT = "account"
    DIVISIONS = "divisions"
    SERVICES = "services"
    AGREEMENTS = "agreements"


ALL_SCOPES: tuple[Scope, ...] = tuple(Scope)


class Dimension(StrEnum):
    """The coverage dimensions a score is made of; every rule type belongs to one."""

    SEATS = "seats"
    """Required roles held, services owned, no single points of failure."""
    DECISIONS = "decisions"
    """Authority known and unambiguous, decision-makers covered, blockers countered."""
    RELATIONSHIPS = "relationships"
    """Ties across the two sides: many-threaded, recent, key contacts warm."""
    HYGIENE = "hygiene"
    """The records kept up: agreements reviewed, leavers' roles handed over."""


DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension)
"""The dimensions, in the order reports show them."""


@dataclass(frozen=True)
class AccountSizes:
    """How many things of each kind an account has: what a rule's failures are counted
    against (a rule's ``basis``), so a score measures the share of an account that is
    covered, not the number of things wrong. Every store computes these
    (``RuleRunner.sizes``); the vocabulary defines each."""

    rule: int = 1
    """One check per rule (a seat, a meeting cadence): the basis of account-wide rules."""
    people: int = 0
    """The account's people (of the account and its divisions), leavers included."""
    things: int = 0
    """The account, its divisions, consumed services and agreements."""
    services: int = 0
    vital_services: int = 0
    agreements: int = 0
    decision_makers: int = 0
    key_people: int = 0
    """Active people of the account who decide, hold a role, or have influence >= 4."""
    ties: int = 0
    """Pairs (their active person, our active person) that know each other or met."""


@dataclass(frozen=True)
class Account:
    """What a rule's ``when`` selector looks at: an account's id, tier, phase, and whether it
    consumes a vital service. Every store lists these (``GraphStore.accounts``), so the
    selector is applied once, in Python, whatever the backend."""

    id: str
    tier: str | None = None
    phase: Phase | None = None
    vital: bool = False
    divisions: tuple[str, ...] = ()
    """Its divisions, direct and indirect (customer organizations whose ``parent`` chain
    leads to it), sorted: their people and roles count for the account."""

    @property
    def orgs(self) -> tuple[str, ...]:
        """The account and its divisions: whose people are the account's people."""
        return (self.id, *self.divisions)


class Selector(BaseModel):
    """Which accounts a rule applies to; every field given must match (empty = all)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tiers: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    customers: tuple[str, ...] = ()
    with_vital_services: bool | None = Field(
        None, description="true: only accounts that consume a vital service; false: only others")

    def matches(self, account: Account) -> bool:
        return ((not self.customers or account.id in self.customers)
                and (not self.tiers or account.tier in self.tiers)
                and (not self.phases or account.phase in self.phases)
                and (self.with_vital_services is None
                     or account.vital is self.with_vital_services))


class RuleDetail(BaseModel):
    """The typed numbers behind one hit (role, scope, dates, days). The base class itself is
    the detail of rule types whose hits need none."""

    model_config = ConfigDict(frozen=True)

    def ids(self) -> tuple[str, ...]:
        """Node ids the detail mentions, so the report can look up their names."""
        return ()

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


NO_DETAIL = RuleDetail()

D = TypeVar("D", bound=RuleDetail)


class Hit(BaseModel):
    """What a backend found for one rule: the subject, its account, the proof, and the typed
    detail the wording needs. Backends fill it; the rule type words it."""

    model_config = ConfigDict(frozen=True)

    subject: str
    customer: str | None = None
    evidence: tuple[str, ...] = ()
    detail: SerializeAsAny[RuleDetail] = NO_DETAIL

    @classmethod
    def of(cls, subject: str, customer: str | None, evidence: tuple[str, ...] = (),
           detail: RuleDetail = NO_DETAIL) -> Hit:
        """A hit from a backend's own, already typed values, without validating them again:
        a report over L makes 80,000 of them, and validation was a third of its time."""
        return construct(cls, {"subject": subject, "customer": customer,
                               "evidence": evidence, "detail": detail})

    def detail_as(self, kind: type[D]) -> D:
        """The detail as the rule type's own model; a backend that produced another shape is
        a bug in that backend, reported as such."""
        if not isinstance(self.detail, kind):
            raise StakemapError(
                f"a hit on '{self.subject}' carries {type(self.detail).__name__}, not "
                f"{kind.__qualname__}; the backend that produced it is out of step with the "
                f"rule type")
        return self.detail


Names = Mapping[str, str]
"""Display names by node id (and ``role:<id>`` for role names), for wording."""


class RuleBase(BaseModel):
    """A rule as a playbook states it, plus its type's wording. Subclasses are the rule
    types; each is registered with ``@rule_type``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="stable finding code")
    severity: Severity = Severity.MEDIUM
    enabled: bool = True
    when: Selector = Selector()
    remediation: str | None = Field(None, description="replaces the built-in advice")

    Detail: ClassVar[builtins.type[RuleDetail]] = RuleDetail
    """The model of this rule type's hit detail."""
    per_account: ClassVar[bool] = True
    """False for rules about people across accounts (``overloaded-person``): their hits
    belong to no one account, and the ``when`` selector does not apply to them."""
    ordered_evidence: ClassVar[bool] = False
    """True when a hit's evidence is a sequence with meaning; otherwise it is a set and
    backends return it sorted."""
    dimension: ClassVar[Dimension] = Dimension.HYGIENE
    """The score dimension this rule type's findings count in."""
    basis: ClassVar[str] = "rule"
    """The ``AccountSizes`` field a hit is counted against: a rule's share of failure at an
    account is (sum of ``shortfall`` over its hits) / that size, capped at 1."""
    cause_priority: ClassVar[int] = 5
    """When findings of several rules share a ``cause``, the most severe is kept, then the
    lowest ``cause_priority``; the others are folded into it."""

    def role_ids(self) -> tuple[str, ...]:
        """The role ids the rule names, checked against the run's role catalog."""
        return ()

    def applies(self, account: Account) -> bool:
        """Whether this rule checks ``account`` at all (beyond its ``when`` selector): a
        rule that does not apply neither fails nor passes, so it leaves the score alone."""
        return True

    def shortfall(self, hit: Hit) -> float:
        """How many of ``basis`` this hit stands for (1 by default; a seat half filled is
        0.5, a summary of 31 stale ties is 31)."""
        return 1.0

    def cause(self, hit: Hit) -> tuple[str, ...] | None:
        """What the hit is about, when another rule may find the same cause (a lapsed
        contact is both a stale contact and stale relationships): findings with one cause
        are reported as one. None: the hit is its own cause."""
        return None

    @classmethod
    def same_finding(cls, before: Hit, after: Hit) -> bool:
        """Whether ``after`` (same subject and account) is the finding ``before`` was, for a
        what-if that lists the findings a departure causes: by default when its evidence is
        the same (a single thread that became none is a new finding)."""
        return before.evidence == after.evidence

    def message(self, hit: Hit, names: Names) -> str:
        """The finding, in one sentence."""
        raise NotImplementedError(type(self).__name__)

    def advice(self, hit: Hit, names: Names) -> str:
        """What to do about it (a playbook's ``remediation`` replaces this)."""
        raise NotImplementedError(type(self).__name__)

    @classmethod
    def tag(cls, detail: RuleDetail) -> str:
        """The few words a diagram writes next to the finding's subject."""
        raise NotImplementedError(cls.__name__)

    # helpers for the wording of subclasses
    @staticmethod
    def name(names: Names, node_id: str | None) -> str:
        return names.get(node_id, node_id) if node_id else ""

    @staticmethod
    def who(names: Names, ids: tuple[str, ...]) -> str:
        return ", ".join(names.get(i, i) for i in ids)


class NetworkRule(RuleBase):
    """A rule type judged on each account's people network (``stakemap.rules.network``).

    Every store implements it the same way: it reads the account's network where the data
    lives (``RuleRunner.people_network``, bounded to the account) and hands it to ``judge``,
    the rule type's own Python, so the measures behind it (``stakemap.rules.centrality``)
    are computed once, identically, for every store."""

    reporting: bool = Field(True, description="reporting lines count as ties")

    def judge(self, network: PeopleNetwork) -> list[Hit]:
        """The hits in one account's network."""
        raise NotImplementedError(type(self).__name__)


RULE_TYPES: dict[str, type[RuleBase]] = {}
"""Every rule type by its ``type`` name, in the order they were declared: the one list the
playbook parser, the registry test and the docs derive from."""

R = TypeVar("R", bound=RuleBase)


def rule_type(cls: builtins.type[R]) -> builtins.type[R]:
    """Register a rule class under its ``type`` literal."""
    name = cls.model_fields["type"].default
    if not isinstance(name, str) or name in RULE_TYPES:
        raise TypeError(f"{cls.__name__}: rule type name {name!r} is missing or taken")
    RULE_TYPES[name] = cls
    return cls


class RuleNotImplementedError(StakemapError, NotImplementedError):
    """A store cannot evaluate a rule type (a third-party rule type, or a backend that lags)."""


T = TypeVar("T")


class Implementations(Generic[T]):
    """One backend's implementations, by rule class: ``@table.register(RequiredRole)``.

    Looking up a rule type that has none raises ``RuleNotImplementedError`` naming the
    backend and the rule type."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self._by_type: dict[type[RuleBase], T] = {}

    def register(self, rule_cls: type[RuleBase]) -> Callable[[T], T]:
        def add(implementation: T) -> T:
            self.add(rule_cls, implementation)
            return implementation
        return add

    def add(self, rule_cls: type[RuleBase], implementation: T) -> None:
        if rule_cls in self._by_type:
            raise TypeError(f"{self.backend}: {rule_cls.__name__} is implemented twice")
        self._by_type[rule_cls] = implementation

    def __contains__(self, rule_cls: object) -> bool:
        return rule_cls in self._by_type

    def __iter__(self) -> Iterator[type[RuleBase]]:
        return iter(self._by_type)

    def for_rule(self, rule: RuleBase | type[RuleBase]) -> T:
        rule_cls = rule if isinstance(rule, type) else type(rule)
        found = self._by_type.get(rule_cls)
        if found is None:
            name = rule_cls.model_fields["type"].default
            raise RuleNotImplementedError(
                f"the {self.backend} store cannot evaluate rule type '{name}'; remove the "
                f"rule from the playbook, or run it on a store that implements it")
        return found
