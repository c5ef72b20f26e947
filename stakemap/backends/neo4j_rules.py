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
from typing import Any, Protocol

from stakemap.model.enums import Side, Stance
from stakemap.rules import (
    AgreementReviewOverdue,
    AuthorityConflict,
    AuthorityMissing,
    BlockerWithoutChampion,
    GatekeeperUncovered,
    HiddenInfluencer,
    Hit,
    Implementations,
    LeftButHoldsRole,
    NetworkRule,
    NoMeetingInDays,
    OverloadedPerson,
    RenewalWithoutExecutiveContact,
    RequiredRole,
    RuleBase,
    SingleThreaded,
    StaleContact,
    StaleRelationship,
    UncoveredDecisionMaker,
    UnownedService,
    VitalSinglePoint,
)
from stakemap.rules.network import NetworkPerson, PeopleNetwork, Raw, assemble
from stakemap.rules.stale import StaleTie, Tail, stale_relationship_hits, summarizes
from stakemap.rules.vocabulary import (
    CYPHER_ACTIVE,
    CYPHER_COUNTS_FOR,
    CYPHER_DECISION_MAKER,
    CYPHER_EXECUTIVE,
    CYPHER_IS_ACCOUNT,
    CYPHER_SCOPED_THINGS,
    CYPHER_STAKEHOLDERS,
    CYPHER_TEAM,
    CYPHER_THINGS,
    CYPHER_TIES,
    KEY_INFLUENCE,
    KEY_ROLES,
    strength_from_ages,
)

__all__ = ["ACCOUNTS", "DIVISIONS", "IMPORTANCE", "RULES", "SIZES", "CypherRule"]

ACCOUNTS = ("MATCH (acc:StakemapNode:Organization) WHERE " + CYPHER_IS_ACCOUNT + " "
            "RETURN acc.id AS id, acc.tier AS tier, acc.phase AS phase, "
            "EXISTS { MATCH (acc)-[vc:CONSUMES]->() WHERE vc.vital } AS vital")
"""Every account with what the ``when`` selector looks at."""

DIVISIONS = ("MATCH (d:StakemapNode:Organization {type: 'customer'}) "
             "WHERE d.parent IS NOT NULL RETURN d.id AS id, d.parent AS parent")
"""Every division and its parent, to find each account's divisions (a few rows)."""

_CHOSEN = ("UNWIND $accounts AS chosen MATCH (acc:StakemapNode {id: chosen.id}) "
           "WITH acc, chosen.orgs AS orgs ")
"""The accounts the rule applies to, as ``acc``, and ``orgs``, the ids of the account and
its divisions; every per-account query starts here."""

_DAYS = "duration.inDays({d}, $as_of).days"
_PROVIDER = "any(x IN $providers WHERE x = {v}.organization)"
"""``{v}`` is on our side, written so no index can answer it: an index seek on our people
made the planner start from all of them (a 50 s blocker-without-champion on one account)."""
_ACTIVE = CYPHER_ACTIVE


def _no_parameters(rule: Any, as_of: date) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class CypherRule:
    """A rule type's query and how its parameters are bound."""

    query: str
    bind: Callable[[Any, date], dict[str, Any]] = _no_parameters
    finish: Callable[[Any, list[Any], date], list[Hit]] | None = None
    """Turns the records into hits where the rule's own Python does (stale ties); None:
    each record is a hit (subject, customer, evidence, detail)."""

    def run(self, read: Callable[..., list[Any]], rule: RuleBase,
            accounts: list[dict[str, Any]], as_of: date, providers: list[str], *,
            absent: list[str] | None = None) -> list[Hit]:
        params = {"accounts": accounts, "as_of": as_of, "providers": providers,
                  "absent": absent or [], **self.bind(rule, as_of)}
        records = read(self.query, f"checking rule '{rule.id}'", **params)
        if self.finish is not None:
            return self.finish(rule, records, as_of)
        ordered = rule.ordered_evidence
        detail_type = rule.Detail
        hits = []
        for record in records:
            evidence = [str(e) for e in record["evidence"]]
            hits.append(Hit.of(record["subject"], record["customer"],
                               tuple(evidence if ordered else sorted(evidence)),
                               detail_type.model_validate(dict(record["detail"]))))
        return hits


class Check(Protocol):
    """How the Neo4j store evaluates one rule type: ``CypherRule`` (one query) or
    ``NetworkCheck`` (each account's network read, judged by the rule type)."""

    def run(self, read: Callable[..., list[Any]], rule: Any,
            accounts: list[dict[str, Any]], as_of: date, providers: list[str], *,
            absent: list[str] | None = None) -> list[Hit]: ...


RULES: Implementations[Check] = Implementations("neo4j")


def _cypher(rule_cls: type[RuleBase], query: str,
            finish: Callable[[Any, list[Any], date], list[Hit]] | None = None,
            ) -> Callable[[Callable[[Any, date], dict[str, Any]]],
                          Callable[[Any, date], dict[str, Any]]]:
    """Register ``query`` for ``rule_cls``, with the decorated function as its binding."""
    def register(bind: Callable[[Any, date], dict[str, Any]]
                 ) -> Callable[[Any, date], dict[str, Any]]:
        RULES.add(rule_cls, CypherRule(query, bind, finish))
        return bind
    return register


@_cypher(RequiredRole, _CHOSEN + (
    "WITH acc, orgs WHERE acc.phase IS NULL OR size($role_phases) = 0 "
    "OR acc.phase IN $role_phases " + CYPHER_SCOPED_THINGS +
    "CALL (acc, orgs, scoped) { UNWIND scoped AS t "
    "  MATCH (p:StakemapNode:Person)-[r:HOLDS_ROLE]->(t) "
    "  WHERE r.role IN $roles AND " + CYPHER_COUNTS_FOR.format(v="p") +
    "  AND (r.phase IS NULL OR acc.phase IS NULL OR r.phase = acc.phase) "
    "  WITH p, r, " + _ACTIVE.format(v="p") + " AND (r.since IS NULL OR r.since <= $as_of) "
    "  AND (r.until IS NULL OR r.until >= $as_of) AS holds, "
    "  [e IN [CASE WHEN p.left_on <= $as_of THEN p.left_on END, "
    "         CASE WHEN r.until < $as_of THEN r.until + duration({days: 1}) END] "
    "   WHERE e IS NOT NULL] AS ends "
    "  RETURN collect(DISTINCT CASE WHEN holds THEN p.id END) AS holders, "
    "  max(reduce(m = null, e IN ends | CASE WHEN m IS NULL OR e < m THEN e ELSE m END)) "
    "  AS since } "
    "WITH acc, holders, since WHERE size(holders) < $min_count "
    "RETURN acc.id AS subject, acc.id AS customer, holders AS evidence, "
    "{role: $role_text, held: size(holders), needed: $min_count, "
    "vacant_since: toString(since), "
    "vacant_days: CASE WHEN since IS NULL THEN null ELSE " + _DAYS.format(d="since") + " END}"
    " AS detail"))
def _required_role(rule: RequiredRole, as_of: date) -> dict[str, Any]:
    roles = rule.roles()  # phases resolved by find_gaps
    return {"roles": list(roles), "role_phases": sorted(p.value for p in rule.phases),
            "role_text": " or ".join(roles), "min_count": rule.min_count,
            "scopes": [s.value for s in rule.scopes]}


RULES.add(UnownedService, CypherRule(_CHOSEN + (
    "MATCH (acc)-[:CONSUMES]->(s:StakemapNode) "
    "WHERE NOT EXISTS { MATCH (o:StakemapNode:Person)-[:OWNS]->(s) WHERE "
    + _ACTIVE.format(v="o") + " } "
    "RETURN s.id AS subject, acc.id AS customer, [] AS evidence, {} AS detail")))

RULES.add(VitalSinglePoint, CypherRule(_CHOSEN + (
    "MATCH (acc)-[c:CONSUMES]->(s:StakemapNode) WHERE c.vital "
    "OPTIONAL MATCH (p:StakemapNode:Person)-[:OWNS|HOLDS_ROLE|DECISION_AUTHORITY]->(s) "
    "WHERE " + _ACTIVE.format(v="p") + " "
    "WITH acc, s, collect(DISTINCT p.id) AS people WHERE size(people) = 1 "
    "RETURN s.id AS subject, acc.id AS customer, people AS evidence, {} AS detail")))


@_cypher(AuthorityMissing, _CHOSEN + CYPHER_SCOPED_THINGS + (
    # anchored on each thing: "t = acc OR ..." made the planner scan every person with
    # authority, for every account (1.7 s at L for no hits)
    "WITH acc WHERE NOT EXISTS { UNWIND scoped AS t "
    "  MATCH (t)<-[:DECISION_AUTHORITY {scope: $scope}]-(p:StakemapNode:Person) "
    "  WHERE " + _ACTIVE.format(v="p") + " AND " + CYPHER_COUNTS_FOR.format(v="p") + " } "
    "RETURN acc.id AS subject, acc.id AS customer, [] AS evidence, "
    "{scope: $scope} AS detail"))
def _authority_missing(rule: AuthorityMissing, as_of: date) -> dict[str, Any]:
    return {"scope": rule.scope.value, "scopes": [s.value for s in rule.scopes]}


@_cypher(AuthorityConflict, _CHOSEN + CYPHER_THINGS + (
    "UNWIND things AS t "
    "MATCH (p:StakemapNode:Person)-[a:DECISION_AUTHORITY]->(t) "
    "WHERE (size($scopes) = 0 OR a.scope IN $scopes) AND " + _ACTIVE.format(v="p") + " "
    "WITH acc, t, a.scope AS scope, collect(DISTINCT p.id) AS people "
    "WHERE size(people) > 1 "
    "RETURN t.id AS subject, acc.id AS customer, people AS evidence, "
    "{scope: scope} AS detail"))
def _authority_conflict(rule: AuthorityConflict, as_of: date) -> dict[str, Any]:
    return {"scopes": [s.value for s in rule.scopes]}


@_cypher(UncoveredDecisionMaker, _CHOSEN + CYPHER_THINGS + CYPHER_SCOPED_THINGS
         + CYPHER_DECISION_MAKER + (
    "WITH acc, things, p, collect(DISTINCT t.id) AS over " + CYPHER_TEAM +
    "WITH acc, p, over, [k IN team WHERE " + _ACTIVE.format(v="k") + "] AS team "
    "WHERE NOT EXISTS { MATCH (p)-[:RELATIONSHIP]-(k:StakemapNode) WHERE k IN team } "
    "AND NOT EXISTS { MATCH (p)-[:ATTENDED]->(m:StakemapNode:Meeting)<-[:ATTENDED]-"
    "(k:StakemapNode) WHERE k IN team AND m.date <= $as_of } "
    "RETURN p.id AS subject, acc.id AS customer, over AS evidence, {} AS detail"))
def _uncovered_decision_maker(rule: UncoveredDecisionMaker, as_of: date) -> dict[str, Any]:
    return {"scopes": [s.value for s in rule.scopes]}


@_cypher(BlockerWithoutChampion, _CHOSEN + (
    "UNWIND orgs AS org "
    "MATCH (p:StakemapNode:Person {organization: org, stance: 'blocker'}) "
    "WHERE coalesce(p.influence, 0) >= $min_influence AND " + _ACTIVE.format(v="p") + " "
    "AND NOT EXISTS { MATCH (p)-[:RELATIONSHIP]-(k:StakemapNode:Person {stance: 'champion'}) "
    "  WHERE " + _ACTIVE.format(v="k") + " } "
    "AND NOT EXISTS { MATCH (p)-[:ATTENDED]->(m:StakemapNode:Meeting)<-[:ATTENDED]-"
    "(k:StakemapNode:Person {stance: 'champion'}) WHERE m.date <= $as_of "
    "  AND " + _PROVIDER.format(v="k") + " AND " + _ACTIVE.format(v="k") + " } "
    "RETURN p.id AS subject, acc.id AS customer, [] AS evidence, "
    "{influence: p.influence} AS detail"))
def _blocker_without_champion(rule: BlockerWithoutChampion, as_of: date) -> dict[str, Any]:
    return {"min_influence": rule.min_influence}


RULES.add(SingleThreaded, CypherRule(_CHOSEN + (
    "CALL (acc, orgs) { " + CYPHER_TIES +
    "  RETURN collect(DISTINCT c.id) AS theirs, collect(DISTINCT o.id) AS ours, "
    "  count(*) AS n } "
    "WITH acc, theirs, ours, n "
    "WITH acc, n, CASE WHEN n = 0 THEN null WHEN size(ours) = 1 THEN ours[0] "
    "WHEN size(theirs) = 1 THEN theirs[0] ELSE '' END AS through "
    "WHERE through IS NULL OR through <> '' "
    "RETURN acc.id AS subject, acc.id AS customer, "
    "CASE WHEN through IS NULL THEN [] ELSE [through] END AS evidence, "
    "{through: through} AS detail")))


def _stale_ties(rule: StaleRelationship, records: list[Any], as_of: date) -> list[Hit]:
    """Each account's stale ties (the tail already summarized in the database when it is
    one finding), made into hits by the rule's shared Python."""
    def tie(row: Any) -> StaleTie:
        return StaleTie(row["theirs"], row["ours"], row["last"].to_native(), row["meetings"],
                        *strength_from_ages(row["declared"], row["ages"]))

    hits = []
    for r in records:
        tail: list[StaleTie] | Tail = [tie(row) for row in r["tail"]]
        if r["tail_count"] and summarizes(rule, r["tail_count"]):
            tail = Tail(r["tail_count"], r["tail_oldest"].to_native(),
                        tuple(sorted(r["tail_theirs"])))
        hits += stale_relationship_hits(rule, r["account"], [tie(row) for row in r["keyed"]],
                                        tail, as_of)
    return hits


@_cypher(StaleRelationship, _CHOSEN + CYPHER_THINGS + CYPHER_TIES + (
    "WITH * WHERE last IS NOT NULL AND last < $cutoff "
    "WITH acc, {theirs: c.id, ours: o.id, last: last, declared: rel.strength, "
    "meetings: size(met), ages: [d IN met + CASE WHEN rel IS NULL OR rel.last_contact IS NULL "
    "THEN [] ELSE [rel.last_contact] END | duration.inDays(d, $as_of).days]} AS row, "
    "(coalesce(c.influence, 0) >= $min_influence "
    " OR EXISTS { MATCH (c)-[:DECISION_AUTHORITY]->(t) WHERE t IN things } "
    " OR EXISTS { MATCH (c)-[h:HOLDS_ROLE]->(t) WHERE t IN things AND h.role IN $key_roles }) "
    "AS key "
    "WITH acc, [x IN collect(CASE WHEN key THEN row END) | x] AS keyed, "
    "collect(CASE WHEN NOT key THEN row END) AS tail "
    "WITH acc, keyed, CASE WHEN $ignore THEN [] ELSE tail END AS tail "
    "WITH acc, keyed, tail, size(tail) >= $summary_from AND $summarize AS summarized "
    "RETURN acc.id AS account, keyed, CASE WHEN summarized THEN [] ELSE tail END AS tail, "
    "size(tail) AS tail_count, "
    "reduce(m = null, x IN tail | CASE WHEN m IS NULL OR x.last < m THEN x.last ELSE m END) "
    "AS tail_oldest, "
    "CASE WHEN summarized THEN reduce(s = [], x IN tail | CASE WHEN x.theirs IN s THEN s "
    "ELSE s + x.theirs END) ELSE [] END AS tail_theirs"), finish=_stale_ties)
def _stale_relationship(rule: StaleRelationship, as_of: date) -> dict[str, Any]:
    return {"cutoff": as_of - timedelta(days=rule.days), "min_influence": rule.min_influence,
            "key_roles": list(rule.key_roles), "ignore": rule.tail == "ignore",
            "summarize": rule.tail == "summary", "summary_from": rule.summary_from}


@_cypher(StaleContact, _CHOSEN + CYPHER_THINGS + CYPHER_TIES + (
    "WITH acc, things, c, collect(o.id) AS ours, "
    "[x IN collect({d: last, o: o.id}) WHERE x.d IS NOT NULL] AS dated "
    "WHERE coalesce(c.influence, 0) >= $min_influence "
    "OR EXISTS { MATCH (c)-[:DECISION_AUTHORITY]->(t) WHERE t IN things } "
    "WITH acc, c, ours, reduce(b = null, x IN dated | CASE WHEN b IS NULL OR x.d > b.d "
    "OR (x.d = b.d AND x.o > b.o) THEN x ELSE b END) AS latest "
    "WHERE latest IS NOT NULL AND latest.d < $cutoff "
    "RETURN c.id AS subject, acc.id AS customer, ours AS evidence, "
    "{last_contact: toString(latest.d), days: " + _DAYS.format(d="latest.d") +
    ", last_with: latest.o} AS detail"))
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
    "WHERE NOT " + _ACTIVE.format(v="p") + " AND (r.until IS NULL OR r.until >= $as_of) "
    "WITH p, collect(r.role + '@' + t.id) AS held "
    "OPTIONAL MATCH (acc:StakemapNode:Organization {id: p.organization}) "
    "WHERE " + CYPHER_IS_ACCOUNT + " "
    "WITH p, held, acc WHERE acc IS NULL OR acc.id IN [a IN $accounts | a.id] "
    "RETURN p.id AS subject, acc.id AS customer, held AS evidence, {} AS detail"))


@_cypher(OverloadedPerson, (
    "MATCH (p:StakemapNode:Person)-[r:HOLDS_ROLE]->(t:StakemapNode) "
    "WHERE " + _ACTIVE.format(v="p") + " "
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


@_cypher(RenewalWithoutExecutiveContact, _CHOSEN + CYPHER_THINGS + (
    "MATCH (acc)-[:PARTY_TO]->(a:StakemapNode:Agreement) "
    "WHERE a.renewal IS NOT NULL AND a.renewal >= $as_of "
    "AND $as_of >= a.renewal - duration({days: coalesce(a.notice_days, 0) + $lead_days}) "
    "CALL (acc, orgs, things) { UNWIND orgs AS org "
    "  MATCH (e:StakemapNode:Person {organization: org}) WHERE " + _ACTIVE.format(v="e") +
    "  AND " + CYPHER_EXECUTIVE.format(v="e") + " RETURN collect(e.id) AS executives } "
    "CALL (acc, orgs, executives) { " + CYPHER_TIES +
    "  WITH c, o, last WHERE last IS NOT NULL AND c.id IN executives "
    "  WITH collect({d: last, o: o.id}) AS dated "
    "  RETURN reduce(b = null, x IN dated | CASE WHEN b IS NULL OR x.d > b.d "
    "  OR (x.d = b.d AND x.o > b.o) THEN x ELSE b END) AS latest } "
    "WITH acc, a, executives, latest WHERE latest IS NULL OR latest.d < $recent "
    "RETURN a.id AS subject, acc.id AS customer, executives AS evidence, "
    "{renewal: toString(a.renewal), "
    "notice_opens: CASE WHEN a.notice_days IS NULL THEN null "
    "ELSE toString(a.renewal - duration({days: a.notice_days})) END, "
    "days_left: duration.inDays($as_of, a.renewal).days, last_contact: toString(latest.d), "
    "last_with: latest.o} AS detail"))
def _renewal_without_executive_contact(rule: RenewalWithoutExecutiveContact,
                                       as_of: date) -> dict[str, Any]:
    return {"lead_days": rule.lead_days, "recent": as_of - timedelta(days=rule.days)}


@_cypher(NoMeetingInDays, _CHOSEN + (
    "CALL (acc, orgs) { UNWIND orgs AS org "
    "OPTIONAL MATCH (c:StakemapNode:Person {organization: org})"
    "-[:ATTENDED]->(m:StakemapNode:Meeting)<-[:ATTENDED]-(o:StakemapNode:Person) "
    "WHERE m.date <= $as_of AND " + _PROVIDER.format(v="o") + " "
    "RETURN max(m.date) AS last } "
    "WITH acc, last WHERE last IS NULL OR last < $cutoff "
    "RETURN acc.id AS subject, acc.id AS customer, [] AS evidence, "
    "{last_meeting: toString(last), days: CASE WHEN last IS NULL THEN null ELSE "
    + _DAYS.format(d="last") + " END} AS detail"))
def _no_meeting_in_days(rule: NoMeetingInDays, as_of: date) -> dict[str, Any]:
    return {"cutoff": as_of - timedelta(days=rule.days)}


SIZES = _CHOSEN + CYPHER_THINGS + (
    "CALL (acc, orgs) { " + CYPHER_TIES + " RETURN count(*) AS ties } "
    "CALL (orgs) { UNWIND orgs AS org MATCH (p:StakemapNode:Person {organization: org}) "
    "  RETURN count(p) AS people } "
    "CALL (acc, orgs, things) { UNWIND orgs AS org "
    "  MATCH (p:StakemapNode:Person {organization: org}) WHERE " + _ACTIVE.format(v="p") +
    "  WITH p, EXISTS { MATCH (p)-[:DECISION_AUTHORITY]->(t) WHERE t IN things } AS decides "
    "  WITH p, decides WHERE decides OR coalesce(p.influence, 0) >= $min_influence "
    "  OR EXISTS { MATCH (p)-[h:HOLDS_ROLE]->(t) WHERE t IN things AND h.role IN $key_roles } "
    "  RETURN sum(CASE WHEN decides THEN 1 ELSE 0 END) AS decision_makers, "
    "  count(p) AS key_people } "
    "RETURN acc.id AS account, people, size(things) AS things, "
    "COUNT { (acc)-[:CONSUMES]->() } AS services, "
    "COUNT { (acc)-[v:CONSUMES]->() WHERE v.vital } AS vital_services, "
    "COUNT { (acc)-[:PARTY_TO]->() } AS agreements, decision_makers, key_people, ties")
"""What each account's rules are counted against (``stakemap.rules.AccountSizes``)."""

SIZES_PARAMETERS = {"min_influence": KEY_INFLUENCE, "key_roles": list(KEY_ROLES)}

IMPORTANCE = (
    "UNWIND $ids AS id MATCH (n:StakemapNode {id: id}) "
    "RETURN n.id AS id, CASE "
    "WHEN n:Person THEN coalesce(n.influence, 0) "
    "  + CASE WHEN EXISTS { (n)-[:DECISION_AUTHORITY]->() } THEN 3 ELSE 0 END "
    "  + CASE WHEN EXISTS { (n)-[:HOLDS_ROLE]->() } THEN 1 ELSE 0 END "
    "WHEN n:Organization THEN 3 "
    "WHEN n:Service THEN CASE WHEN EXISTS { ()-[v:CONSUMES]->(n) WHERE v.vital } THEN 4 "
    "  ELSE 1 END "
    "ELSE 2 END AS weight")
"""How much each finding subject matters (``AccountIndex.importance`` defines it)."""


NETWORK_PEOPLE = (
    "MATCH (acc:StakemapNode {id: $account}) WITH acc, $orgs AS orgs " + CYPHER_THINGS
    + CYPHER_TEAM +
    "CALL (acc, orgs) { " + CYPHER_TIES + " RETURN collect(DISTINCT o) AS tied } "
    "CALL (orgs) { UNWIND orgs AS org MATCH (p:StakemapNode:Person {organization: org}) "
    "  WHERE " + _ACTIVE.format(v="p") + " RETURN collect(p) AS theirs } "
    "WITH theirs, [k IN team WHERE " + _ACTIVE.format(v="k") + "] AS team, tied "
    "UNWIND theirs + team + tied AS p "
    "WITH DISTINCT p, team "
    "RETURN p.id AS id, p.name AS name, any(x IN $providers WHERE x = p.organization) AS ours, "
    "p.influence AS influence, p.stance AS stance, p IN team AS team")
"""The members of an account's people network (``stakemap.rules.network``)."""

NETWORK_LINKS = (
    "MATCH (a:StakemapNode:Person)-[r:RELATIONSHIP]->(b:StakemapNode:Person) "
    "WHERE a.id IN $ids AND b.id IN $ids "
    "RETURN 'relationship' AS kind, a.id AS a, b.id AS b, r.strength AS strength, "
    "r.last_contact AS day "
    "UNION ALL "
    "MATCH (a:StakemapNode:Person)-[:ATTENDED]->(m:StakemapNode:Meeting)"
    "<-[:ATTENDED]-(b:StakemapNode:Person) "
    "WHERE a.id IN $ids AND b.id IN $ids AND a.id < b.id AND m.date <= $as_of "
    "RETURN 'meeting' AS kind, a.id AS a, b.id AS b, null AS strength, m.date AS day "
    "UNION ALL "
    "MATCH (a:StakemapNode:Person)-[:REPORTS_TO]->(b:StakemapNode:Person) "
    "WHERE a.id IN $ids AND b.id IN $ids "
    "RETURN 'report' AS kind, a.id AS a, b.id AS b, null AS strength, null AS day "
    "UNION ALL "
    "MATCH (a:StakemapNode:Person)-[:DIRECTED_TIE {type: 'influences'}]->(b:StakemapNode:Person) "
    "WHERE a.id IN $ids AND b.id IN $ids "
    "RETURN 'influences' AS kind, a.id AS a, b.id AS b, null AS strength, null AS day")
"""The links among a network's members: relationships, meetings both attended, reporting
lines and "influences" ties."""


STAKEHOLDERS = _CHOSEN + CYPHER_THINGS + CYPHER_STAKEHOLDERS + \
    "RETURN acc.id AS account, holders"
"""Each account's stakeholders (``AccountIndex.stakeholders``)."""

TOUCHED = (
    "UNWIND $people AS pid MATCH (p:StakemapNode:Person {id: pid}) "
    "CALL (p) { RETURN p.organization AS org "
    "  UNION MATCH (p)-[:HOLDS_ROLE|OWNS|DECISION_AUTHORITY]->(t:StakemapNode) "
    "  MATCH (o:StakemapNode:Organization)-[:CONSUMES|PARTY_TO]->(t) RETURN o.id AS org "
    "  UNION MATCH (p)-[:HOLDS_ROLE|OWNS|DECISION_AUTHORITY]->(o:StakemapNode:Organization) "
    "  RETURN o.id AS org "
    "  UNION MATCH (p)-[:RELATIONSHIP]-(q:StakemapNode:Person) RETURN q.organization AS org "
    "  UNION MATCH (p)-[:ATTENDED]->(:StakemapNode:Meeting)<-[:ATTENDED]-(q:StakemapNode:Person) "
    "  RETURN q.organization AS org } "
    "RETURN collect(DISTINCT org) AS orgs")
"""The organizations ``$people`` touch (``AccountIndex.touched`` defines it)."""


def read_people_network(read: Callable[..., list[Any]], chosen: dict[str, Any], as_of: date,
                        providers: list[str], absent: list[str], *,
                        reporting: bool = True) -> PeopleNetwork:
    """One account's people network (``chosen``: its id and organizations), in two bounded
    reads: its members, then the links among them."""
    people = [NetworkPerson(r["id"], r["name"], Side.PROVIDER if r["ours"] else Side.CUSTOMER,
                            r["influence"], Stance(r["stance"]) if r["stance"] else None,
                            r["team"])
              for r in read(NETWORK_PEOPLE, "reading the people network", account=chosen["id"],
                            orgs=chosen["orgs"], as_of=as_of, providers=providers,
                            absent=absent)]
    raw = Raw(people=people, relationships=[], meetings=[], reports=[], influences=[])
    for r in read(NETWORK_LINKS, "reading the people network", ids=[p.id for p in people],
                  as_of=as_of):
        day = r["day"].to_native() if r["day"] is not None else None
        if r["kind"] == "relationship":
            raw.relationships.append((r["a"], r["b"], r["strength"], day))
        elif r["kind"] == "meeting":
            raw.meetings.append((r["a"], r["b"], day))  # type: ignore[arg-type]
        elif r["kind"] == "report":
            raw.reports.append((r["a"], r["b"]))
        else:
            raw.influences.append((r["a"], r["b"]))
    return assemble(chosen["id"], reporting, raw, as_of)


@dataclass(frozen=True)
class NetworkCheck:
    """A network rule type (``NetworkRule``): each account's network, read where the data
    lives and bounded to the account, judged by the rule type's own Python."""

    def run(self, read: Callable[..., list[Any]], rule: NetworkRule,
            accounts: list[dict[str, Any]], as_of: date, providers: list[str], *,
            absent: list[str] | None = None) -> list[Hit]:
        return [h for chosen in accounts for h in rule.judge(read_people_network(
            read, chosen, as_of, providers, absent or [], reporting=rule.reporting))]


RULES.add(HiddenInfluencer, NetworkCheck())
RULES.add(GatekeeperUncovered, NetworkCheck())
