"""Gap rules evaluated as Cypher inside Neo4j: one parameterized query per rule type.

Only the hits travel to Python, never the graph. Each query is the twin of a function in
``memory_rules`` (same vocabulary, see ``stakemap.analysis.rules``); the parity tests hold
them to identical answers. Query text is fixed; rule parameters, the selector and dates are
parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from stakemap.analysis.rules import Hit, RequiredRole, RuleBase

__all__ = ["ACCOUNTS", "PROVIDERS", "query_for"]

PROVIDERS = ("MATCH (po:StakemapNode:Organization) WHERE po.type <> 'customer' "
             "RETURN collect(po.id) AS ids")
"""The provider-side organizations, read once per report and passed as ``$providers``: an
index lookup per relationship row made the relationship rules 5-10x slower at L."""


def _provider(var: str) -> str:
    return f"{var}.organization IN $providers"


_IS_ACCOUNT = ("acc.type = 'customer' AND (EXISTS { (acc)-[:CONSUMES]->(:StakemapNode) } "
               "OR EXISTS { (acc)-[:PARTY_TO]->(:StakemapNode) })")
_SELECTED = (
    "(size($customers) = 0 OR acc.id IN $customers) "
    "AND (size($tiers) = 0 OR acc.tier IN $tiers) "
    "AND (size($phases) = 0 OR acc.phase IN $phases) "
    "AND ($vital IS NULL OR EXISTS { MATCH (acc)-[vc:CONSUMES]->() WHERE vc.vital } = $vital)")

ACCOUNTS = f"MATCH (acc:StakemapNode:Organization) WHERE {_IS_ACCOUNT} AND {_SELECTED} "
"""The selected accounts as ``acc``; every per-account query starts here."""

_THINGS = ("WITH acc, [acc] + [(acc)-[:CONSUMES]->(s:StakemapNode) | s] "
           "+ [(acc)-[:PARTY_TO]->(g:StakemapNode) | g] AS things ")
_DAYS = "duration.inDays({d}, $as_of).days"

_QUERIES: dict[str, str] = {
    "required-role": ACCOUNTS + (
        "WITH acc WHERE acc.phase IS NULL OR size($role_phases) = 0 "
        "OR acc.phase IN $role_phases "
        "OPTIONAL MATCH (p:StakemapNode:Person {status: 'active'})-[r:HOLDS_ROLE]->(acc) "
        "WHERE r.role IN $roles AND (r.phase IS NULL OR acc.phase IS NULL OR r.phase = acc.phase) "
        "AND (r.since IS NULL OR r.since <= $as_of) AND (r.until IS NULL OR r.until >= $as_of) "
        "WITH acc, collect(DISTINCT p.id) AS holders WHERE size(holders) < $min_count "
        "RETURN acc.id AS subject, acc.id AS customer, holders AS evidence, "
        "{role: $role_text, held: size(holders), needed: $min_count} AS detail"),
    "unowned-service": ACCOUNTS + (
        "MATCH (acc)-[:CONSUMES]->(s:StakemapNode) "
        "WHERE NOT EXISTS { MATCH (o:StakemapNode:Person {status: 'active'})-[:OWNS]->(s) } "
        "RETURN s.id AS subject, acc.id AS customer, [] AS evidence, {} AS detail"),
    "vital-single-point": ACCOUNTS + (
        "MATCH (acc)-[c:CONSUMES]->(s:StakemapNode) WHERE c.vital "
        "OPTIONAL MATCH (p:StakemapNode:Person {status: 'active'})"
        "-[:OWNS|HOLDS_ROLE|DECISION_AUTHORITY]->(s) "
        "WITH acc, s, collect(DISTINCT p.id) AS people WHERE size(people) = 1 "
        "RETURN s.id AS subject, acc.id AS customer, people AS evidence, {} AS detail"),
    "authority-missing": ACCOUNTS + (
        # two patterns anchored on the account: one with "t = acc OR ..." made the planner
        # scan every person with authority, for every account (1.7 s at L for no hits)
        "AND NOT EXISTS { MATCH (acc)<-[:DECISION_AUTHORITY {scope: $scope}]-"
        "(:StakemapNode:Person {status: 'active'}) } "
        "AND NOT EXISTS { MATCH (acc)-[:PARTY_TO]->(:StakemapNode)"
        "<-[:DECISION_AUTHORITY {scope: $scope}]-(:StakemapNode:Person {status: 'active'}) } "
        "RETURN acc.id AS subject, acc.id AS customer, [] AS evidence, "
        "{scope: $scope} AS detail"),
    "authority-conflict": ACCOUNTS + _THINGS + (
        "UNWIND things AS t "
        "MATCH (p:StakemapNode:Person {status: 'active'})-[a:DECISION_AUTHORITY]->(t) "
        "WHERE size($scopes) = 0 OR a.scope IN $scopes "
        "WITH acc, t, a.scope AS scope, collect(DISTINCT p.id) AS people "
        "WHERE size(people) > 1 "
        "RETURN t.id AS subject, acc.id AS customer, people AS evidence, "
        "{scope: scope} AS detail"),
    "uncovered-decision-maker": ACCOUNTS + _THINGS + (
        "UNWIND things AS t "
        "MATCH (p:StakemapNode:Person {organization: acc.id, status: 'active'})"
        "-[:DECISION_AUTHORITY]->(t) "
        "WITH acc, things, p, collect(DISTINCT t.id) AS over "
        "CALL (things) { UNWIND things AS t2 "
        "  MATCH (m:StakemapNode:Person)-[:HOLDS_ROLE|OWNS]->(t2) WHERE " + _provider("m") +
        "  RETURN collect(DISTINCT m) AS team } "
        "WITH acc, p, over, team "
        "WHERE NOT EXISTS { MATCH (p)-[:RELATIONSHIP]-(k:StakemapNode) WHERE k IN team } "
        "RETURN p.id AS subject, acc.id AS customer, over AS evidence, {} AS detail"),
    "blocker-without-champion": ACCOUNTS + (
        "MATCH (p:StakemapNode:Person {organization: acc.id, status: 'active', "
        "stance: 'blocker'}) WHERE coalesce(p.influence, 0) >= $min_influence "
        "AND NOT EXISTS { MATCH (p)-[:RELATIONSHIP]-"
        "(:StakemapNode:Person {status: 'active', stance: 'champion'}) } "
        "RETURN p.id AS subject, acc.id AS customer, [] AS evidence, "
        "{influence: p.influence} AS detail"),
    "single-threaded": ACCOUNTS + (
        "OPTIONAL MATCH (c:StakemapNode:Person {organization: acc.id, status: 'active'})"
        "-[r:RELATIONSHIP]-(o:StakemapNode:Person {status: 'active'}) "
        "WHERE " + _provider("o") + " "
        "WITH acc, collect(DISTINCT c.id) AS theirs, collect(DISTINCT o.id) AS ours, "
        "count(r) AS n "
        "WITH acc, n, CASE WHEN n = 0 THEN null WHEN size(ours) = 1 THEN ours[0] "
        "WHEN size(theirs) = 1 THEN theirs[0] ELSE '' END AS through "
        "WHERE through IS NULL OR through <> '' "
        "RETURN acc.id AS subject, acc.id AS customer, "
        "CASE WHEN through IS NULL THEN [] ELSE [through] END AS evidence, "
        "{through: through} AS detail"),
    "stale-relationship": ACCOUNTS + (
        "MATCH (c:StakemapNode:Person {organization: acc.id, status: 'active'})"
        "-[r:RELATIONSHIP]-(o:StakemapNode:Person {status: 'active'}) "
        "WHERE " + _provider("o") + " "
        "AND r.last_contact IS NOT NULL AND r.last_contact < $cutoff "
        "RETURN c.id AS subject, acc.id AS customer, [c.id, o.id] AS evidence, "
        "{last_contact: toString(r.last_contact), days: " + _DAYS.format(d="r.last_contact") +
        "} AS detail"),
    "stale-contact": ACCOUNTS + _THINGS + (
        "MATCH (p:StakemapNode:Person {organization: acc.id, status: 'active'}) "
        "WHERE (coalesce(p.influence, 0) >= $min_influence "
        "     OR EXISTS { MATCH (p)-[:DECISION_AUTHORITY]->(t) WHERE t IN things }) "
        "CALL (p) { OPTIONAL MATCH (p)-[r:RELATIONSHIP]-(o:StakemapNode:Person "
        "{status: 'active'}) WHERE r.last_contact IS NOT NULL AND " + _provider("o") +
        "  RETURN max(r.last_contact) AS rel_last } "
        "CALL (p) { OPTIONAL MATCH (p)-[:ATTENDED]->(m:StakemapNode:Meeting) "
        "  RETURN max(m.date) AS met_last } "
        "WITH acc, p, CASE WHEN rel_last IS NULL THEN met_last WHEN met_last IS NULL "
        "THEN rel_last WHEN rel_last > met_last THEN rel_last ELSE met_last END AS latest "
        "WHERE latest IS NOT NULL AND latest < $cutoff "
        "RETURN p.id AS subject, acc.id AS customer, [] AS evidence, "
        "{last_contact: toString(latest), days: " + _DAYS.format(d="latest") + "} AS detail"),
    "agreement-review-overdue": ACCOUNTS + (
        "MATCH (acc)-[:PARTY_TO]->(a:StakemapNode:Agreement) "
        "WHERE a.next_review IS NOT NULL AND a.next_review < $cutoff "
        "RETURN a.id AS subject, acc.id AS customer, [] AS evidence, "
        "{next_review: toString(a.next_review), days: " + _DAYS.format(d="a.next_review") +
        "} AS detail"),
    "left-but-holds-role": (
        "MATCH (p:StakemapNode:Person {status: 'left'})-[r:HOLDS_ROLE]->(t:StakemapNode) "
        "WITH p, collect(r.role + '@' + t.id) AS held "
        "OPTIONAL MATCH (acc:StakemapNode:Organization {id: p.organization}) "
        "WHERE " + _IS_ACCOUNT + " "
        "WITH p, held, acc WHERE acc IS NULL OR (" + _SELECTED + ") "
        "RETURN p.id AS subject, acc.id AS customer, held AS evidence, {} AS detail"),
    "overloaded-person": (
        "MATCH (p:StakemapNode:Person {status: 'active'})-[r:HOLDS_ROLE]->(t:StakemapNode) "
        "WITH p, collect(t) AS targets, count(r) AS roles "
        "CALL (targets) { UNWIND targets AS t "
        "  UNWIND [(acc:StakemapNode:Organization)-[:CONSUMES|PARTY_TO]->(t) "
        "          WHERE " + _IS_ACCOUNT + " | acc.id] "
        "    + [acc IN [t] WHERE acc:Organization AND " + _IS_ACCOUNT + " | acc.id] AS account "
        "  RETURN collect(DISTINCT account) AS accounts } "
        "WITH p, roles, accounts WHERE size(accounts) > $max_accounts OR roles > $max_roles "
        "RETURN p.id AS subject, null AS customer, accounts AS evidence, "
        "{accounts: size(accounts), roles: roles} AS detail"),
}

_ORDERED_EVIDENCE = {"stale-relationship"}
"""Rule types whose evidence is a sequence with meaning; all others are sets, sorted."""


def query_for(rule: RuleBase, as_of: date, providers: list[str]
              ) -> tuple[str, dict[str, Any], Callable[[Any], Hit]]:
    """The Cypher, its parameters, and how to turn a record into a ``Hit``."""
    kind = rule.type
    sel = rule.when
    params: dict[str, Any] = {
        "customers": list(sel.customers), "tiers": list(sel.tiers),
        "phases": [p.value for p in sel.phases], "vital": sel.with_vital_services,
        "as_of": as_of, "providers": providers,
    }
    for field in ("min_influence", "max_accounts", "max_roles", "min_count"):
        if hasattr(rule, field):
            params[field] = getattr(rule, field)
    if hasattr(rule, "scope"):
        params["scope"] = rule.scope.value
    if hasattr(rule, "scopes"):
        params["scopes"] = [s.value for s in rule.scopes]
    if hasattr(rule, "days"):
        params["cutoff"] = as_of - timedelta(days=rule.days)
    if hasattr(rule, "grace_days"):
        params["cutoff"] = as_of - timedelta(days=rule.grace_days)
    if isinstance(rule, RequiredRole):
        roles = rule.roles()  # phases resolved by find_gaps
        params.update(roles=list(roles), role_phases=sorted(p.value for p in rule.phases),
                      role_text=" or ".join(roles))
    ordered = kind in _ORDERED_EVIDENCE

    def to_hit(record: Any) -> Hit:
        evidence = [str(e) for e in record["evidence"]]
        return Hit.of(record["subject"], record["customer"],
                      tuple(evidence if ordered else sorted(evidence)), dict(record["detail"]))

    return _QUERIES[kind], params, to_hit
