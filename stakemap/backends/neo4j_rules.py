"""Gap rules evaluated as Cypher inside Neo4j: one parameterized query per rule type.

Each rule class has a ``CypherRule`` in ``RULES``: the fixed query text and a function that
binds the rule's parameters. Every query also gets ``$accounts`` (the ids the rule's ``when``
selector chose; ``find_gaps`` applies the selector once, for every backend), ``$as_of`` and
``$providers`` (see ``stakemap.rules.vocabulary``). Only the hits travel to Python, never the
graph. Each query is the twin of a function in ``memory_rules``; the parity tests hold them
to identical answers. Query text is fixed; everything from a playbook or a portfolio is a
parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

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
    RuleBase,
    SingleThreaded,
    StaleContact,
    StaleRelationship,
    UncoveredDecisionMaker,
    UnownedService,
    VitalSinglePoint,
)
from stakemap.rules.vocabulary import (
    CYPHER_DECISION_MAKER,
    CYPHER_IS_ACCOUNT,
    CYPHER_TEAM,
    CYPHER_THINGS,
)

__all__ = ["ACCOUNTS", "RULES", "CypherRule"]

ACCOUNTS = ("MATCH (acc:StakemapNode:Organization) WHERE " + CYPHER_IS_ACCOUNT + " "
            "RETURN acc.id AS id, acc.tier AS tier, acc.phase AS phase, "
            "EXISTS { MATCH (acc)-[vc:CONSUMES]->() WHERE vc.vital } AS vital")
"""Every account with what the ``when`` selector looks at."""

_CHOSEN = "UNWIND $accounts AS chosen MATCH (acc:StakemapNode {id: chosen}) "
"""The accounts the rule applies to, as ``acc``; every per-account query starts here."""

_DAYS = "duration.inDays({d}, $as_of).days"
_PROVIDER = "{v}.organization IN $providers"


def _no_parameters(rule: Any, as_of: date) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class CypherRule:
    """A rule type's query and how its parameters are bound."""

    query: str
    bind: Callable[[Any, date], dict[str, Any]] = _no_parameters

    def run(self, read: Callable[..., list[Any]], rule: RuleBase, accounts: list[str],
            as_of: date, providers: list[str]) -> list[Hit]:
        params = {"accounts": accounts, "as_of": as_of, "providers": providers,
                  **self.bind(rule, as_of)}
        records = read(self.query, f"checking rule '{rule.id}'", **params)
        ordered = rule.ordered_evidence
        detail_type = rule.Detail
        hits = []
        for record in records:
            evidence = [str(e) for e in record["evidence"]]
            hits.append(Hit.of(record["subject"], record["customer"],
                               tuple(evidence if ordered else sorted(evidence)),
                               detail_type.model_validate(dict(record["detail"]))))
        return hits


RULES: Implementations[CypherRule] = Implementations("neo4j")


def _cypher(rule_cls: type[RuleBase], query: str
            ) -> Callable[[Callable[[Any, date], dict[str, Any]]],
                          Callable[[Any, date], dict[str, Any]]]:
    """Register ``query`` for ``rule_cls``, with the decorated function as its binding."""
    def register(bind: Callable[[Any, date], dict[str, Any]]
                 ) -> Callable[[Any, date], dict[str, Any]]:
        RULES.add(rule_cls, CypherRule(query, bind))
        return bind
    return register


@_cypher(RequiredRole, _CHOSEN + (
    "WITH acc WHERE acc.phase IS NULL OR size($role_phases) = 0 "
    "OR acc.phase IN $role_phases "
    "OPTIONAL MATCH (p:StakemapNode:Person {status: 'active'})-[r:HOLDS_ROLE]->(acc) "
    "WHERE r.role IN $roles AND (r.phase IS NULL OR acc.phase IS NULL OR r.phase = acc.phase) "
    "AND (r.since IS NULL OR r.since <= $as_of) AND (r.until IS NULL OR r.until >= $as_of) "
    "WITH acc, collect(DISTINCT p.id) AS holders WHERE size(holders) < $min_count "
    "RETURN acc.id AS subject, acc.id AS customer, holders AS evidence, "
    "{role: $role_text, held: size(holders), needed: $min_count} AS detail"))
def _required_role(rule: RequiredRole, as_of: date) -> dict[str, Any]:
    roles = rule.roles()  # phases resolved by find_gaps
    return {"roles": list(roles), "role_phases": sorted(p.value for p in rule.phases),
            "role_text": " or ".join(roles), "min_count": rule.min_count}


RULES.add(UnownedService, CypherRule(_CHOSEN + (
    "MATCH (acc)-[:CONSUMES]->(s:StakemapNode) "
    "WHERE NOT EXISTS { MATCH (o:StakemapNode:Person {status: 'active'})-[:OWNS]->(s) } "
    "RETURN s.id AS subject, acc.id AS customer, [] AS evidence, {} AS detail")))

RULES.add(VitalSinglePoint, CypherRule(_CHOSEN + (
    "MATCH (acc)-[c:CONSUMES]->(s:StakemapNode) WHERE c.vital "
    "OPTIONAL MATCH (p:StakemapNode:Person {status: 'active'})"
    "-[:OWNS|HOLDS_ROLE|DECISION_AUTHORITY]->(s) "
    "WITH acc, s, collect(DISTINCT p.id) AS people WHERE size(people) = 1 "
    "RETURN s.id AS subject, acc.id AS customer, people AS evidence, {} AS detail")))


@_cypher(AuthorityMissing, _CHOSEN + (
    # two patterns anchored on the account: one with "t = acc OR ..." made the planner
    # scan every person with authority, for every account (1.7 s at L for no hits)
    "WITH acc WHERE NOT EXISTS { MATCH (acc)<-[:DECISION_AUTHORITY {scope: $scope}]-"
    "(:StakemapNode:Person {status: 'active'}) } "
    "AND NOT EXISTS { MATCH (acc)-[:PARTY_TO]->(:StakemapNode)"
    "<-[:DECISION_AUTHORITY {scope: $scope}]-(:StakemapNode:Person {status: 'active'}) } "
    "RETURN acc.id AS subject, acc.id AS customer, [] AS evidence, "
    "{scope: $scope} AS detail"))
def _authority_missing(rule: AuthorityMissing, as_of: date) -> dict[str, Any]:
    return {"scope": rule.scope.value}


@_cypher(AuthorityConflict, _CHOSEN + CYPHER_THINGS + (
    "UNWIND things AS t "
    "MATCH (p:StakemapNode:Person {status: 'active'})-[a:DECISION_AUTHORITY]->(t) "
    "WHERE size($scopes) = 0 OR a.scope IN $scopes "
    "WITH acc, t, a.scope AS scope, collect(DISTINCT p.id) AS people "
    "WHERE size(people) > 1 "
    "RETURN t.id AS subject, acc.id AS customer, people AS evidence, "
    "{scope: scope} AS detail"))
def _authority_conflict(rule: AuthorityConflict, as_of: date) -> dict[str, Any]:
    return {"scopes": [s.value for s in rule.scopes]}


RULES.add(UncoveredDecisionMaker, CypherRule(_CHOSEN + CYPHER_THINGS + CYPHER_DECISION_MAKER + (
    "WITH acc, things, p, collect(DISTINCT t.id) AS over " + CYPHER_TEAM +
    "WITH acc, p, over, team "
    "WHERE NOT EXISTS { MATCH (p)-[:RELATIONSHIP]-(k:StakemapNode) WHERE k IN team } "
    "RETURN p.id AS subject, acc.id AS customer, over AS evidence, {} AS detail")))


@_cypher(BlockerWithoutChampion, _CHOSEN + (
    "MATCH (p:StakemapNode:Person {organization: acc.id, status: 'active', "
    "stance: 'blocker'}) WHERE coalesce(p.influence, 0) >= $min_influence "
    "AND NOT EXISTS { MATCH (p)-[:RELATIONSHIP]-"
    "(:StakemapNode:Person {status: 'active', stance: 'champion'}) } "
    "RETURN p.id AS subject, acc.id AS customer, [] AS evidence, "
    "{influence: p.influence} AS detail"))
def _blocker_without_champion(rule: BlockerWithoutChampion, as_of: date) -> dict[str, Any]:
    return {"min_influence": rule.min_influence}


RULES.add(SingleThreaded, CypherRule(_CHOSEN + (
    "OPTIONAL MATCH (c:StakemapNode:Person {organization: acc.id, status: 'active'})"
    "-[r:RELATIONSHIP]-(o:StakemapNode:Person {status: 'active'}) "
    "USING INDEX c:Person(organization) "  # see stale-relationship
    "WHERE " + _PROVIDER.format(v="o") + " "
    "WITH acc, collect(DISTINCT c.id) AS theirs, collect(DISTINCT o.id) AS ours, "
    "count(r) AS n "
    "WITH acc, n, CASE WHEN n = 0 THEN null WHEN size(ours) = 1 THEN ours[0] "
    "WHEN size(theirs) = 1 THEN theirs[0] ELSE '' END AS through "
    "WHERE through IS NULL OR through <> '' "
    "RETURN acc.id AS subject, acc.id AS customer, "
    "CASE WHEN through IS NULL THEN [] ELSE [through] END AS evidence, "
    "{through: through} AS detail")))


@_cypher(StaleRelationship, _CHOSEN + (
    "MATCH (c:StakemapNode:Person {organization: acc.id, status: 'active'})"
    "-[r:RELATIONSHIP]-(o:StakemapNode:Person {status: 'active'}) "
    # anchored on the account's people: from "o.organization IN $providers" the planner
    # expanded every provider person's ties once per account (40x slower at L)
    "USING INDEX c:Person(organization) "
    "WHERE " + _PROVIDER.format(v="o") + " "
    "AND r.last_contact IS NOT NULL AND r.last_contact < $cutoff "
    "RETURN c.id AS subject, acc.id AS customer, [c.id, o.id] AS evidence, "
    "{last_contact: toString(r.last_contact), days: " + _DAYS.format(d="r.last_contact") +
    "} AS detail"))
def _stale_relationship(rule: StaleRelationship, as_of: date) -> dict[str, Any]:
    return {"cutoff": as_of - timedelta(days=rule.days)}


@_cypher(StaleContact, _CHOSEN + CYPHER_THINGS + (
    "MATCH (p:StakemapNode:Person {organization: acc.id, status: 'active'}) "
    "WHERE (coalesce(p.influence, 0) >= $min_influence "
    "     OR EXISTS { MATCH (p)-[:DECISION_AUTHORITY]->(t) WHERE t IN things }) "
    "CALL (p) { OPTIONAL MATCH (p)-[r:RELATIONSHIP]-(o:StakemapNode:Person "
    "{status: 'active'}) WHERE r.last_contact IS NOT NULL AND " + _PROVIDER.format(v="o") +
    "  RETURN max(r.last_contact) AS rel_last } "
    "CALL (p) { OPTIONAL MATCH (p)-[:ATTENDED]->(m:StakemapNode:Meeting) "
    "  RETURN max(m.date) AS met_last } "
    "WITH acc, p, CASE WHEN rel_last IS NULL THEN met_last WHEN met_last IS NULL "
    "THEN rel_last WHEN rel_last > met_last THEN rel_last ELSE met_last END AS latest "
    "WHERE latest IS NOT NULL AND latest < $cutoff "
    "RETURN p.id AS subject, acc.id AS customer, [] AS evidence, "
    "{last_contact: toString(latest), days: " + _DAYS.format(d="latest") + "} AS detail"))
def _stale_contact(rule: StaleContact, as_of: date) -> dict[str, Any]:
    return {"cutoff": as_of - timedelta(days=rule.days), "min_influence": rule.min_influence}


@_cypher(AgreementReviewOverdue, _CHOSEN + (
    "MATCH (acc)-[:PARTY_TO]->(a:StakemapNode:Agreement) "
    "WHERE a.next_review IS NOT NULL AND a.next_review < $cutoff "
    "RETURN a.id AS subject, acc.id AS customer, [] AS evidence, "
    "{next_review: toString(a.next_review), days: " + _DAYS.format(d="a.next_review") +
    "} AS detail"))
def _agreement_review_overdue(rule: AgreementReviewOverdue, as_of: date) -> dict[str, Any]:
    return {"cutoff": as_of - timedelta(days=rule.grace_days)}


RULES.add(LeftButHoldsRole, CypherRule(
    "MATCH (p:StakemapNode:Person {status: 'left'})-[r:HOLDS_ROLE]->(t:StakemapNode) "
    "WITH p, collect(r.role + '@' + t.id) AS held "
    "OPTIONAL MATCH (acc:StakemapNode:Organization {id: p.organization}) "
    "WHERE " + CYPHER_IS_ACCOUNT + " "
    "WITH p, held, acc WHERE acc IS NULL OR acc.id IN $accounts "
    "RETURN p.id AS subject, acc.id AS customer, held AS evidence, {} AS detail"))


@_cypher(OverloadedPerson, (
    "MATCH (p:StakemapNode:Person {status: 'active'})-[r:HOLDS_ROLE]->(t:StakemapNode) "
    "WITH p, collect(t) AS targets, count(r) AS roles "
    "CALL (targets) { UNWIND targets AS t "
    "  UNWIND [(acc:StakemapNode:Organization)-[:CONSUMES|PARTY_TO]->(t) "
    "          WHERE " + CYPHER_IS_ACCOUNT + " | acc.id] "
    "    + [acc IN [t] WHERE acc:Organization AND " + CYPHER_IS_ACCOUNT + " | acc.id] AS account "
    "  RETURN collect(DISTINCT account) AS accounts } "
    "WITH p, roles, accounts WHERE size(accounts) > $max_accounts OR roles > $max_roles "
    "RETURN p.id AS subject, null AS customer, accounts AS evidence, "
    "{accounts: size(accounts), roles: roles} AS detail"))
def _overloaded_person(rule: OverloadedPerson, as_of: date) -> dict[str, Any]:
    return {"max_accounts": rule.max_accounts, "max_roles": rule.max_roles}


@_cypher(NoMeetingInDays, _CHOSEN + (
    "CALL (acc) { OPTIONAL MATCH (c:StakemapNode:Person {organization: acc.id})"
    "-[:ATTENDED]->(m:StakemapNode:Meeting)<-[:ATTENDED]-(o:StakemapNode:Person) "
    "WHERE m.date <= $as_of AND " + _PROVIDER.format(v="o") + " "
    "RETURN max(m.date) AS last } "
    "WITH acc, last WHERE last IS NULL OR last < $cutoff "
    "RETURN acc.id AS subject, acc.id AS customer, [] AS evidence, "
    "{last_meeting: toString(last), days: CASE WHEN last IS NULL THEN null ELSE "
    + _DAYS.format(d="last") + " END} AS detail"))
def _no_meeting_in_days(rule: NoMeetingInDays, as_of: date) -> dict[str, Any]:
    return {"cutoff": as_of - timedelta(days=rule.days)}
