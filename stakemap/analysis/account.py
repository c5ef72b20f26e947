"""One account as a small graph: what a diagram or a review pack shows.

Fetched through the store contract only (people of the account, and the edges at the
account, its services and its agreements), so it works on every backend and never reads
more than the account: a few hundred nodes even in a portfolio of thousands of accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stakemap.backends import GraphStore
from stakemap.errors import GraphError
from stakemap.model.edges import (
    Consumes,
    DecisionAuthority,
    HoldsRole,
    Owns,
    Relationship,
    ReportsTo,
)
from stakemap.model.enums import EdgeKind, NodeKind, OrgKind, Side
from stakemap.model.nodes import Agreement, Organization, Person, Service
from stakemap.model.roles import RoleCatalog
from stakemap.rules.vocabulary import side_of_org

__all__ = ["AccountView", "account_teams"]


@dataclass
class AccountView:
    account: Organization
    provider: Organization | None
    customer_people: list[Person]
    team: list[Person]
    services: list[tuple[Service, bool]]
    agreements: list[Agreement]
    roles: list[HoldsRole] = field(default_factory=list)
    reports: list[ReportsTo] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    owners: list[Owns] = field(default_factory=list)
    authority: list[DecisionAuthority] = field(default_factory=list)
    catalog: RoleCatalog = field(default_factory=RoleCatalog)

    @classmethod
    def from_store(cls, store: GraphStore, account_id: str) -> AccountView:
        account = store.get_node(account_id)
        if not isinstance(account, Organization) or account.type is not OrgKind.CUSTOMER:
            raise GraphError(f"'{account_id}' is not a customer organization")
        consumes = [e for e in store.edges(EdgeKind.CONSUMES, source=account_id)
                    if isinstance(e, Consumes)]
        services = [(s, c.vital) for c in consumes
                    if isinstance(s := store.get_node(c.target), Service)]
        agreements = [a for e in store.edges(EdgeKind.PARTY_TO, source=account_id)
                      if isinstance(a := store.get_node(e.target), Agreement)]
        things = [account_id, *(s.id for s, _ in services), *(a.id for a in agreements)]
        customer_people = [p for p in store.nodes(NodeKind.PERSON, organization=account_id)
                           if isinstance(p, Person)]
        roles: list[HoldsRole] = []
        owners: list[Owns] = []
        authority: list[DecisionAuthority] = []
        for thing in things:
            for e in store.edges(target=thing):
                if isinstance(e, HoldsRole):
                    roles.append(e)
                elif isinstance(e, Owns):
                    owners.append(e)
                elif isinstance(e, DecisionAuthority):
                    authority.append(e)
        ours = {p.id for p in customer_people}
        team_ids = sorted({e.source for e in (*roles, *owners)} - ours)
        team: list[Person] = []
        provider: Organization | None = None
        for pid in team_ids:  # the team as stakemap.rules.vocabulary defines it
            person = store.get_node(pid)
            org = store.get_node(person.organization) if isinstance(person, Person) else None
            if isinstance(person, Person) and isinstance(org, Organization) \
                    and side_of_org(org) is Side.PROVIDER:
                team.append(person)
                provider = provider or (org if org.type is OrgKind.PROVIDER else None)
        shown = ours | {p.id for p in team}
        reports: list[ReportsTo] = []
        relationships: dict[str, Relationship] = {}
        for pid in sorted(shown):
            for e in store.edges(source=pid):
                if isinstance(e, ReportsTo) and e.target in shown:
                    reports.append(e)
                elif isinstance(e, Relationship) and e.target in shown:
                    relationships[e.key] = e
            for e in store.edges(EdgeKind.RELATIONSHIP, target=pid):
                if isinstance(e, Relationship) and e.source in shown:
                    relationships[e.key] = e
        _, extra_roles = store.metadata()
        return cls(
            account=account, provider=provider, customer_people=customer_people, team=team,
            services=services, agreements=agreements,
            roles=[r for r in roles if r.source in shown],
            reports=reports, relationships=[relationships[k] for k in sorted(relationships)],
            owners=owners, authority=[a for a in authority if a.source in shown],
            catalog=RoleCatalog(extra_roles))


def account_teams(store: GraphStore, accounts: list[str]) -> list[tuple[str, str, str, str]]:
    """(person id, name, role, account) for every provider-side role held at the accounts:
    who serves whom, for the portfolio overview. Each person is looked up once."""
    held = [(e.source, e.role, account) for account in accounts
            for e in store.edges(EdgeKind.HOLDS_ROLE, target=account) if isinstance(e, HoldsRole)]
    people: dict[str, Person] = {}
    side: dict[str, Side | None] = {}
    for person_id in {p for p, _, _ in held}:
        node = store.get_node(person_id)
        if not isinstance(node, Person):
            continue
        people[person_id] = node
        if node.organization not in side:
            org = store.get_node(node.organization)
            side[node.organization] = side_of_org(org if isinstance(org, Organization) else None)
    return [(p, people[p].name, role, account) for p, role, account in held
            if p in people and side[people[p].organization] is Side.PROVIDER]
