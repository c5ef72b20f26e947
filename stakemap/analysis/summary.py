"""The portfolio at a glance: what ``stakemap show`` prints before any gap analysis.

A summary is computed from a ``Portfolio`` snapshot and is plain data, so the CLI can lay it
out as rich tables on a terminal or as plain text in a pipe without computing twice.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from stakemap.model.edges import Consumes, HoldsRole, Owns, Provides
from stakemap.model.enums import OrgKind, PersonStatus, Side
from stakemap.model.nodes import Organization, Person, Service
from stakemap.model.portfolio import Portfolio
from stakemap.rules.vocabulary import AccountIndex, side_of_org

__all__ = ["CustomerLine", "RoleLine", "ServiceLine", "Summary", "summarize"]


@dataclass(frozen=True)
class CustomerLine:
    """One customer; ``provider_team`` counts its team as the gap rules define it
    (``stakemap.rules.vocabulary``): our people with a role at, or ownership of, the
    customer, a service it consumes or an agreement it is party to."""

    id: str
    name: str
    phase: str
    parent: str
    people: int
    provider_team: int
    services: int
    vital_services: int


@dataclass(frozen=True)
class RoleLine:
    role: str
    name: str
    side: str
    holders: int


@dataclass(frozen=True)
class ServiceLine:
    id: str
    name: str
    providers: str
    consumers: int
    vital_for: int
    owners: str


@dataclass
class Summary:
    name: str
    customers: list[CustomerLine] = field(default_factory=list)
    people_by_side: dict[str, dict[str, int]] = field(default_factory=dict)
    roles: list[RoleLine] = field(default_factory=list)
    services: list[ServiceLine] = field(default_factory=list)


def summarize(portfolio: Portfolio) -> Summary:
    """Customers, people per side, roles held and services, in stable order."""
    if not isinstance(portfolio, Portfolio):
        from stakemap.errors import ArgumentError

        raise ArgumentError(f"summarize: portfolio should be a stakemap.Portfolio (e.g. "
                            f"graph.snapshot()), not {type(portfolio).__name__}")
    nodes = {n.id: n for n in portfolio.nodes}
    orgs = {i: n for i, n in nodes.items() if isinstance(n, Organization)}
    people = [n for n in nodes.values() if isinstance(n, Person)]
    catalog = portfolio.catalog()

    side_counts: dict[str, Counter[str]] = {s.value: Counter() for s in Side}
    members: Counter[str] = Counter()
    for person in people:
        side = side_of_org(orgs.get(person.organization)) or Side.PROVIDER
        side_counts[side.value][person.status.value] += 1
        members[person.organization] += 1

    index = AccountIndex(portfolio.nodes, portfolio.edges)  # "our team": the gap rules' team
    holders: dict[str, set[str]] = defaultdict(set)
    consumed: dict[str, list[Consumes]] = defaultdict(list)
    by_service: dict[str, list[Consumes]] = defaultdict(list)
    providers: dict[str, list[str]] = defaultdict(list)
    owners: dict[str, list[str]] = defaultdict(list)
    for edge in portfolio.edges:
        if isinstance(edge, HoldsRole):
            holders[edge.role].add(edge.source)
        elif isinstance(edge, Consumes):
            consumed[edge.source].append(edge)
            by_service[edge.target].append(edge)
        elif isinstance(edge, Provides):
            providers[edge.target].append(edge.source)
        elif isinstance(edge, Owns):
            owners[edge.target].append(edge.source)

    customers = [
        CustomerLine(
            id=org.id, name=org.name, phase=org.phase.value if org.phase else "",
            parent=org.parent or "", people=members[org.id],
            provider_team=len(index.team(org.id)),
            services=len(consumed[org.id]),
            vital_services=sum(1 for c in consumed[org.id] if c.vital),
        )
        for org in orgs.values() if org.type is OrgKind.CUSTOMER
    ]
    roles = [
        RoleLine(role=role.id, name=role.name, side=role.side.value, holders=len(holders[role.id]))
        for role in sorted(catalog, key=lambda r: (r.side.value, r.id)) if holders.get(role.id)
    ]
    services = [
        ServiceLine(
            id=s.id, name=s.name, providers=", ".join(providers[s.id]),
            consumers=len(by_service[s.id]),
            vital_for=sum(1 for c in by_service[s.id] if c.vital),
            owners=", ".join(owners[s.id]),
        )
        for s in nodes.values() if isinstance(s, Service)
    ]
    by_side = {
        side: {"active": counts[PersonStatus.ACTIVE.value], "left": counts[PersonStatus.LEFT.value]}
        for side, counts in side_counts.items()
    }
    return Summary(name=portfolio.name or "", customers=customers, people_by_side=by_side,
                   roles=roles, services=services)
