"""Synthetic portfolios for benchmarks, load tests and demos.

``generate_portfolio(customers=N, seed=S)`` builds a valid portfolio with the shape of a real
one: one provider whose account teams are shared across customers, customers with org charts
several levels deep, services (some vital) with owners, agreements, meetings and
relationships whose strength is skewed towards weak ties, colleagues who know each other,
meetings. The same arguments always give the same portfolio, so benchmark figures are
comparable between runs and machines.

Some gaps are planted at known rates (``GapRates``) and reported (``Generated.planted``):
the generator never makes those kinds of gap by accident, so ``find_gaps`` with the
``default`` playbook finds exactly the planted ones. Other rules (stale relationships,
blockers, ...) fire wherever the random data happens to trip them, as in a real portfolio.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from stakemap.errors import ArgumentError, UsageError
from stakemap.model.edges import (
    Attended,
    Consumes,
    DecisionAuthority,
    Edge,
    HoldsRole,
    Owns,
    PartyTo,
    Provides,
    Relationship,
    ReportsTo,
)
from stakemap.model.enums import (
    AuthorityScope,
    MeetingKind,
    OrgKind,
    PersonStatus,
    Phase,
    ReportLine,
    Sentiment,
    Stance,
)
from stakemap.model.nodes import Agreement, Meeting, Node, Organization, Person, Service
from stakemap.model.portfolio import Portfolio

__all__ = ["GapRates", "Generated", "GeneratorSpec", "generate", "generate_portfolio"]

_TEAM_ROLES = ("account-manager", "executive-partner", "customer-service-manager",
               "technical-lead", "business-relationship-manager", "delivery-manager")
_FIRST = ("Ada", "Ben", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hana", "Ines", "Jonas",
          "Kenji", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
          "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zofia")
_LAST = ("Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
         "Jensen", "Kowalski", "Li", "Mori", "Nowak", "Okafor", "Patel", "Quispe", "Rossi",
         "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhang")
_SERVICES = ("Service Desk", "Network Operations", "Backup", "ERP Hosting", "Data Platform",
             "Workplace", "Security Operations", "Cloud Landing Zone", "WMS Support", "CRM")


_MEETING_KINDS = (MeetingKind.CHANGE, MeetingKind.FOLLOW_UP, MeetingKind.OTHER)
"""The kinds generated meetings draw from: the first version's three, fixed here so a seed
gives the same portfolio as before ``MeetingKind`` grew."""

PLANTED_CODES = {"sponsor_vacant": "executive-sponsor-missing",
                 "service_unowned": "unowned-service",
                 "decision_maker_uncovered": "uncovered-decision-maker",
                 "review_overdue": "agreement-review-overdue",
                 "left_holding_role": "left-but-holds-role"}
"""Each ``GapRates`` field and the finding code (in ``default``) of the gap it plants."""


@dataclass(frozen=True)
class GapRates:
    """How often each planted gap occurs; the key is the finding code in ``default``."""

    sponsor_vacant: float = 0.05
    """Share of accounts with no executive sponsor (``executive-sponsor-missing``)."""
    service_unowned: float = 0.08
    """Share of services with no owner (``unowned-service``)."""
    decision_maker_uncovered: float = 0.10
    """Share of accounts whose budget decider knows nobody on the team
    (``uncovered-decision-maker``)."""
    review_overdue: float = 0.15
    """Share of agreements past their review date (``agreement-review-overdue``)."""
    left_holding_role: float = 0.02
    """Share of customer people (below the executives) who left but still hold their role
    (``left-but-holds-role``)."""


@dataclass(frozen=True)
class GeneratorSpec:
    """The knobs of ``generate_portfolio``; defaults give about 50 people per customer."""

    customers: int = 10
    people_per_customer: int = 48
    """Customer-side people per customer; the provider adds 1.5 per customer (six per team),
    so N customers give about 50 N people: S = 10 / 500, M = 100 / 5,000, L = 1,000 / 50,000."""
    customers_per_team: int = 4
    """How many customers share one provider account team."""
    services_per_customer: int = 4
    colleagues: int = 5
    """Relationships each customer person has with colleagues near them in the org chart."""
    seed: int = 0
    as_of: date = date(2026, 11, 1)
    gaps: GapRates = field(default_factory=GapRates)

    def __post_init__(self) -> None:
        for name, least in (("customers", 1), ("people_per_customer", 1),
                            ("customers_per_team", 1), ("services_per_customer", 0),
                            ("colleagues", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ArgumentError(f"GeneratorSpec: {name} should be a whole number, not "
                                    f"{type(value).__name__} {value!r}")
            if value < least:
                raise UsageError(f"GeneratorSpec: {name} is {value}; use a whole number from "
                                 f"{least} up")

    def generate(self, progress: Callable[[int, int], None] | None = None) -> Generated:
        """The portfolio this spec describes, and the gaps planted in it."""
        return generate(self, progress)


@dataclass
class Generated:
    """A generated portfolio and the gaps planted in it: finding code -> (subject, customer)
    pairs, and how many candidates each rate was applied to."""

    portfolio: Portfolio
    planted: dict[str, set[tuple[str, str | None]]]
    candidates: dict[str, int]

    def summary(self) -> list[tuple[str, int, int]]:
        """(code, planted, out of) per planted gap kind, for reporting the actual rates."""
        return [(code, len(self.planted[code]), self.candidates[code]) for code in self.planted]


def generate(spec: GeneratorSpec,
             progress: Callable[[int, int], None] | None = None) -> Generated:
    """A valid, deterministic portfolio and its planted gaps. ``progress(done, total)`` is
    called as each customer is done, for a progress bar."""
    return _Builder(spec, progress).build()


def generate_portfolio(customers: int = 10, *, seed: int = 0,
                       spec: GeneratorSpec | None = None) -> Portfolio:
    """A valid, deterministic portfolio with ``customers`` customers (see ``GeneratorSpec``)."""
    return generate(spec or GeneratorSpec(customers=customers, seed=seed)).portfolio


class _Builder:
    def __init__(self, spec: GeneratorSpec,
                 progress: Callable[[int, int], None] | None) -> None:
        self.spec = spec
        self.progress = progress
        self.rng = random.Random(spec.seed)
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.planted: dict[str, set[tuple[str, str | None]]] = {
            code: set() for code in PLANTED_CODES.values()}
        self.candidates = dict.fromkeys(PLANTED_CODES.values(), 0)

    def _plant(self, kind: str, subject: str, customer: str | None) -> bool:
        """Roll the dice for one candidate of a planted gap kind; record a hit."""
        code = PLANTED_CODES[kind]
        self.candidates[code] += 1
        if self.rng.random() < getattr(self.spec.gaps, kind):
            self.planted[code].add((subject, customer))
            return True
        return False

    def _name(self) -> str:
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"

    def _day(self, back: int) -> date:
        return self.spec.as_of - timedelta(days=self.rng.randrange(back))

    def build(self) -> Generated:
        spec, rng = self.spec, self.rng
        self.nodes.append(Organization(id="provider", name="Provider", type=OrgKind.PROVIDER))
        teams = [self._team(t) for t in range(-(-spec.customers // spec.customers_per_team))]
        for c in range(spec.customers):
            self._customer(c, teams[c // spec.customers_per_team], rng)
            if self.progress:
                self.progress(c + 1, spec.customers)
        portfolio = Portfolio.build(name=f"generated-{spec.customers}-{spec.seed}",
                                    nodes=self.nodes, edges=self.edges)
        return Generated(portfolio, self.planted, self.candidates)

    def _team(self, t: int) -> list[str]:
        ids = []
        for role in _TEAM_ROLES:
            pid = f"p{t}-{role}"
            self.nodes.append(Person(id=pid, name=self._name(), organization="provider",
                                     title=role.replace("-", " ").title()))
            ids.append(pid)
        for a, b in zip(ids[1:], ids[:1] * len(ids), strict=False):
            self.edges.append(ReportsTo(source=a, target=b))
        return ids

    def _customer(self, c: int, team: list[str], rng: random.Random) -> None:
        spec = self.spec
        org = f"c{c}"
        self.nodes.append(Organization(
            id=org, name=f"Customer {c}", type=OrgKind.CUSTOMER,
            phase=rng.choice(list(Phase)), tier=rng.choice(("strategic", "key", "growth"))))
        for pid, role in zip(team, _TEAM_ROLES, strict=True):
            self.edges.append(HoldsRole(source=pid, target=org, role=role))
        people = self._org_chart(org, spec.people_per_customer, rng)
        executives = people[:1 + min(5, len(people) - 1)]
        if not self._plant("sponsor_vacant", org, org):
            self.edges.append(HoldsRole(source=executives[0], target=org,
                                        role="executive-sponsor"))
        for pid, role in zip(executives[1:], ("business-owner", "authorized-representative",
                                              "purchaser", "system-owner"), strict=False):
            self.edges.append(HoldsRole(source=pid, target=org, role=role))
        for pid in people[len(executives):]:
            role = "end-user" if rng.random() < 0.7 else "system-administrator"
            self.edges.append(HoldsRole(source=pid, target=org, role=role, phase=Phase.OPERATIONS))
        self._services(org, team, people, rng)
        agreement = f"{org}-msa"
        review = spec.as_of + (timedelta(days=-rng.randrange(1, 120))
                               if self._plant("review_overdue", agreement, org)
                               else timedelta(days=rng.randrange(0, 300)))
        self.nodes.append(Agreement(id=agreement, name=f"Customer {c} MSA", next_review=review))
        self.edges += [PartyTo(source="provider", target=agreement),
                       PartyTo(source=org, target=agreement)]
        self.edges.append(DecisionAuthority(source=executives[0], target=agreement,
                                            scope=AuthorityScope.BUDGET))
        if len(executives) > 1:
            self.edges.append(DecisionAuthority(source=executives[1], target=org,
                                                scope=AuthorityScope.TECHNICAL))
        uncovered = self._plant("decision_maker_uncovered", executives[0], org)
        self._relationships(team, people, executives[:2], uncovered, rng)
        # a meeting with the team is a tie too: the uncovered decider attends none
        self._meetings(org, team, [p for p in people if not (uncovered and p == executives[0])],
                       rng)

    def _org_chart(self, org: str, size: int, rng: random.Random) -> list[str]:
        """Breadth-first org chart: each manager has 3-7 reports, so depth grows with size."""
        ids: list[str] = []
        managers: list[str] = []
        for i in range(size):
            pid = f"{org}-{i}"
            # the executives (decision-makers, sponsor) stay: their gaps are planted apart
            left = i >= 6 and self._plant("left_holding_role", pid, org)
            status = PersonStatus.LEFT if left else PersonStatus.ACTIVE
            self.nodes.append(Person(
                id=pid, name=self._name(), organization=org, status=status,
                stance=rng.choice(list(Stance)),
                influence=min(5, max(1, 5 - i.bit_length() // 2 + rng.randrange(-1, 2))),
                interest=rng.randrange(1, 6)))
            if managers:
                line = ReportLine.DOTTED if rng.random() < 0.05 else ReportLine.SOLID
                self.edges.append(ReportsTo(source=pid, target=managers[0], line=line))
                if rng.random() < 1 / rng.randrange(3, 8):
                    managers.pop(0)
            managers.append(pid)
            ids.append(pid)
        return ids

    def _services(self, org: str, team: list[str], people: list[str],
                  rng: random.Random) -> None:
        for s in range(self.spec.services_per_customer):
            sid = f"{org}-s{s}"
            self.nodes.append(Service(id=sid, name=rng.choice(_SERVICES)))
            self.edges += [Provides(source="provider", target=sid),
                           Consumes(source=org, target=sid, vital=rng.random() < 0.3)]
            owner = rng.choice(team)
            if not self._plant("service_unowned", sid, org):
                self.edges += [Owns(source=owner, target=sid),
                               HoldsRole(source=owner, target=sid, role="service-owner")]
            self.edges.append(HoldsRole(source=rng.choice(people), target=sid,
                                        role="system-owner"))

    def _relationships(self, team: list[str], people: list[str], deciders: list[str],
                       uncovered: bool, rng: random.Random) -> None:
        """Ties across the sides (0-4 per person, weak ones likelier), and ties between
        colleagues close in the org chart. Decision-makers always know someone on the team,
        except the budget decider of an account where that gap is planted."""
        for pid in people:
            k = rng.choice((0, 1, 1, 2, 2, 3, 4))
            if pid in deciders:
                k = 0 if uncovered and pid == deciders[0] else max(k, 1)
            for contact in rng.sample(team, k=k):
                self.edges.append(self._tie(pid, contact, rng))
        n = len(people)
        for i, pid in enumerate(people):
            for step in range(1, min(self.spec.colleagues, n - 1) + 1):
                j = (i + step * (1 + i % 3)) % n
                if j > i:
                    self.edges.append(self._tie(pid, people[j], rng))

    def _tie(self, a: str, b: str, rng: random.Random) -> Relationship:
        return Relationship(source=a, target=b, strength=round(rng.betavariate(1.5, 4), 2),
                            sentiment=rng.choice(list(Sentiment)), last_contact=self._day(400))

    def _meetings(self, org: str, team: list[str], people: list[str],
                  rng: random.Random) -> None:
        for m in range(max(1, len(people) // 6)):
            mid = f"{org}-m{m}"
            self.nodes.append(Meeting(id=mid, name=f"{org} review {m}", date=self._day(365),
                                      type=rng.choice(_MEETING_KINDS)))
            for pid in {rng.choice(team), *rng.sample(people, k=min(rng.randrange(4, 12),
                                                                     len(people)))}:
                self.edges.append(Attended(source=pid, target=mid))
