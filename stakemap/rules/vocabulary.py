"""The words every rule, summary and diagram uses, defined once: in Python, and beside each
definition its Cypher twin for the Neo4j backend.

- **side**: a person is on the customer side when their organization is a customer, on the
  provider side otherwise (partners count as provider side).
- an **account** is a customer organization that consumes a service or is party to an
  agreement; a group parent that does neither (its divisions are the accounts) is not one.
- an account's **things** are the account itself, the services it consumes and the
  agreements it is party to.
- an account's **team** is the provider-side people who hold a role at one of its things or
  own one of them.
- a **decision-maker** of an account is an active person of the account with decision
  authority over one of its things.

``AccountIndex`` answers these over nodes and edges in memory (the memory backend's rules and
``stakemap show`` use it); the ``CYPHER_*`` fragments answer them inside Neo4j (the Neo4j
backend's rules use them). The parity tests hold the two to the same answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

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
from stakemap.model.enums import OrgKind, PersonStatus, Side
from stakemap.model.nodes import Meeting, Node, Organization, Person
from stakemap.rules.base import Account

__all__ = [
    "CYPHER_IS_ACCOUNT",
    "CYPHER_PROVIDERS",
    "CYPHER_THINGS",
    "AccountIndex",
    "is_account",
    "side_of_org",
]


def side_of_org(org: Organization | None) -> Side | None:
    """The side of a person in ``org`` (``Organization.side``); None for no organization."""
    return None if org is None else org.side


CYPHER_PROVIDERS = ("MATCH (po:StakemapNode:Organization) WHERE po.type <> 'customer' "
                    "RETURN collect(po.id) AS ids")
"""The provider-side organizations' ids. Read once per report and passed as ``$providers``,
so "``p`` is on the provider side" is ``p.organization IN $providers`` (an index lookup per
relationship row made the relationship rules 5-10x slower at L)."""


def is_account(org: Organization, *, consumes_or_party: bool) -> bool:
    """A customer that consumes a service or is party to an agreement."""
    return org.type is OrgKind.CUSTOMER and consumes_or_party


CYPHER_IS_ACCOUNT = ("acc.type = 'customer' AND (EXISTS { (acc)-[:CONSUMES]->(:StakemapNode) } "
                     "OR EXISTS { (acc)-[:PARTY_TO]->(:StakemapNode) })")
"""``acc`` (an Organization) is an account."""

CYPHER_THINGS = ("WITH acc, [acc] + [(acc)-[:CONSUMES]->(s:StakemapNode) | s] "
                 "+ [(acc)-[:PARTY_TO]->(g:StakemapNode) | g] AS things ")
"""The account's things, as the list ``things``."""

CYPHER_TEAM = ("CALL (things) { UNWIND things AS t2 "
               "  MATCH (m:StakemapNode:Person)-[:HOLDS_ROLE|OWNS]->(t2) "
               "  WHERE m.organization IN $providers "
               "  RETURN collect(DISTINCT m) AS team } ")
"""The account's team, as the list ``team`` (needs ``things``)."""

CYPHER_DECISION_MAKER = ("MATCH (p:StakemapNode:Person {organization: acc.id, status: 'active'})"
                         "-[:DECISION_AUTHORITY]->(t) WHERE t IN things ")
"""``p`` is a decision-maker of ``acc`` over ``t`` (needs ``things``)."""


class AccountIndex:
    """The vocabulary over one graph in memory: the lookups every rule needs, built in one
    pass over its nodes and edges."""

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
        self.attendees: dict[str, list[str]] = defaultdict(list)
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
                    self.attendees[e.target].append(e.source)
        self.accounts = sorted(
            o.id for o in self.orgs.values()
            if is_account(o, consumes_or_party=bool(self.consumes.get(o.id)
                                                    or self.parties.get(o.id))))
        # asked 100,000s of times per report: answered by set lookups
        self._active = {i for i, p in self.people.items() if p.status is PersonStatus.ACTIVE}
        self._provider_orgs = {i for i, o in self.orgs.items() if o.side is Side.PROVIDER}
        self._cross: dict[str, list[tuple[Relationship, str, str]]] = {}
        self.members: dict[str, list[str]] = defaultdict(list)
        for p in self.people.values():
            self.members[p.organization].append(p.id)

    def active(self, person_id: str) -> bool:
        return person_id in self._active

    def provider_side(self, person_id: str) -> bool:
        """The person is on the provider side (``Organization.side``)."""
        return self.people[person_id].organization in self._provider_orgs

    def account_facts(self, account: str) -> Account:
        org = self.orgs[account]
        return Account(account, org.tier, org.phase,
                       any(c.vital for c in self.consumes.get(account, [])))

    def things(self, account: str) -> list[str]:
        """The account, the services it consumes and the agreements it is party to."""
        return [account, *(c.target for c in self.consumes.get(account, [])),
                *self.parties.get(account, [])]

    def team(self, account: str) -> set[str]:
        """Provider-side people with a role at, or ownership of, one of the account's things."""
        found: set[str] = set()
        for thing in self.things(account):
            found.update(r.source for r in self.roles_at.get(thing, []))
            found.update(self.owners.get(thing, []))
        return {p for p in found if p in self.people and self.provider_side(p)}

    def decision_makers(self, account: str) -> dict[str, list[str]]:
        """Active people of the account with authority over its things -> those things."""
        found: dict[str, list[str]] = defaultdict(list)
        for thing in self.things(account):
            for a in self.authority_over.get(thing, []):
                p = self.people.get(a.source)
                if p is not None and p.organization == account and self.active(a.source):
                    found[a.source].append(thing)
        return found

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
