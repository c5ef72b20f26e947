"""Coverage gaps: run a playbook on a graph, word the hits as findings, score each account.

The backend finds (``store.evaluate_rules``), this module words: one message and one piece
of advice per rule type, whatever backend found the hit, so reports are identical across
backends.

Coverage score, per account: 100 minus a penalty per finding about that account, by
severity: critical 30, high 15, medium 7, low 3, info 0; never below 0. A score says how
much is wrong, weighted by how much it matters; the report lists what it is made of.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from stakemap._gc import paused_gc
from stakemap.analysis.playbook import Playbook, resolve_playbooks
from stakemap.analysis.rules import Hit, RequiredRole, RuleBase, Severity
from stakemap.errors import GraphError
from stakemap.model.integrity import did_you_mean
from stakemap.model.roles import RoleCatalog
from stakemap.model.trusted import construct

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["PENALTY", "SCORE_BANDS", "SCORE_RULE", "CustomerScore", "Finding", "GapReport",
           "find_gaps"]

PENALTY = {Severity.CRITICAL: 30, Severity.HIGH: 15, Severity.MEDIUM: 7, Severity.LOW: 3,
           Severity.INFO: 0}
SCORE_RULE = (f"Coverage score: 100 minus "
              f"{', '.join(f'{k.value} {v}' for k, v in PENALTY.items())} per finding, "
              f"never below 0.")
"""How a score is made, in the words every report ends with."""
SCORE_BANDS = ((80, "good"), (50, "fair"), (0, "poor"))


class Finding(BaseModel):
    """One gap: a stable code, how bad it is, what it is about, and what to do."""

    model_config = ConfigDict(frozen=True)

    code: str
    rule_type: str
    """Which rule type found it (``required-role``, ...); ``code`` is the playbook's name."""
    severity: Severity
    subject: str
    subject_name: str
    customer: str | None
    message: str
    evidence: tuple[str, ...]
    remediation: str
    detail: dict[str, str | int | None] = {}
    """The numbers behind the message (role, scope, dates, days), for diagrams and tools."""

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "rule_type": self.rule_type,
                "severity": self.severity.value,
                "subject": self.subject, "subject_name": self.subject_name,
                "customer": self.customer, "message": self.message,
                "evidence": list(self.evidence), "remediation": self.remediation,
                "detail": dict(self.detail)}


class CustomerScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    customer: str
    name: str
    score: int
    penalties: dict[str, int]
    """Severity -> points taken off, so the score explains itself."""

    def taken_off(self) -> str:
        """What the score lost, e.g. "high -45, medium -7"; empty for a perfect score."""
        return ", ".join(f"{k} -{v}" for k, v in self.penalties.items() if v)

    @property
    def band(self) -> str:
        """"good" (80+), "fair" (50+) or "poor": the colour every view gives the score."""
        return next(name for floor, name in SCORE_BANDS if self.score >= floor)


class GapReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    playbook: str
    as_of: date
    findings: tuple[Finding, ...]
    scores: tuple[CustomerScore, ...]

    def by_customer(self) -> dict[str | None, list[Finding]]:
        grouped: dict[str | None, list[Finding]] = {}
        for f in self.findings:
            grouped.setdefault(f.customer, []).append(f)
        return grouped

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def summary(self) -> dict[str, Any]:
        counts = {s.value: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        return {"playbook": self.playbook, "as_of": self.as_of.isoformat(),
                "findings": len(self.findings), "by_severity": counts,
                "customers": len(self.scores)}

    def as_json(self) -> dict[str, Any]:
        """The documented, stable JSON shape of ``stakemap gaps --format json``."""
        return {"findings": [f.as_json() for f in self.findings],
                "scores": {s.customer: {"name": s.name, "score": s.score,
                                        "penalties": s.penalties} for s in self.scores},
                "summary": self.summary()}

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["severity", "code", "customer", "subject", "subject_name", "message",
                         "evidence", "remediation"])
        for f in self.findings:
            writer.writerow([f.severity.value, f.code, f.customer or "", f.subject,
                             f.subject_name, f.message, " ".join(f.evidence), f.remediation])
        return out.getvalue()

    def to_markdown(self) -> str:
        lines = [f"# Coverage gaps ({self.playbook}, as of {self.as_of.isoformat()})", ""]
        if self.scores:
            lines += ["| customer | score | taken off |", "|---|---:|---|"]
            lines += [f"| {_md(s.name)} (`{s.customer}`) | {s.score} | "
                      f"{_md(s.taken_off()) or '-'} |" for s in self.scores]
            lines.append("")
        if not self.findings:
            lines.append("No gaps found.")
        names = {s.customer: s.name for s in self.scores}
        for customer, findings in self.by_customer().items():
            title = f"{names.get(customer, customer)} (`{customer}`)" if customer else \
                "Across accounts"
            lines += [f"## {_md(title)}", "",
                      "| severity | code | finding | what to do |", "|---|---|---|---|"]
            lines += [f"| {f.severity.value} | `{f.code}` | {_md(f.message)} | "
                      f"{_md(f.remediation)} |" for f in findings]
            lines.append("")
        lines.append(SCORE_RULE)
        return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def find_gaps(
    source: StakeholderGraph | GraphStore,
    *,
    playbook: Playbook | str | Iterable[str] | None = None,
    as_of: date | None = None,
    customers: Iterable[str] = (),
    only: Iterable[str] = (),
    ignore: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> GapReport:
    """Run a playbook (default: ``default``) over a graph or store, as of a date (today).
    ``progress(done, total)`` is called as each rule finishes, for a progress bar."""
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    if playbook is None or isinstance(playbook, str):
        resolved = resolve_playbooks([playbook] if playbook else [])
    elif isinstance(playbook, Playbook):
        resolved = playbook
    else:
        resolved = resolve_playbooks(list(playbook))
    as_of = as_of or date.today()
    only, ignore, wanted = set(only), set(ignore), set(customers)
    known_codes = {r.id for r in resolved.rules}
    unknown = sorted((only | ignore) - known_codes)
    if unknown:
        raise GraphError(f"no rule with code {', '.join(repr(u) for u in unknown)} in playbook "
                         f"{resolved.name}; " + (did_you_mean(unknown[0], known_codes) or
                                                  f"codes: {', '.join(sorted(known_codes))}"))
    accounts = store.accounts()
    if wanted:
        missing = sorted(wanted - set(accounts))
        if missing:
            raise GraphError(
                f"no account {', '.join(repr(m) for m in missing)}; accounts are customers that "
                f"consume a service or are party to an agreement; "
                + (did_you_mean(missing[0], accounts) or "check the id"))
        accounts = [a for a in accounts if a in wanted]
    _, roles = store.metadata()
    catalog = RoleCatalog(roles)
    rules = [prepared for r in resolved.enabled()
             if (not only or r.id in only) and r.id not in ignore
             and (prepared := _prepare(r, catalog, wanted)) is not None]
    with paused_gc():  # the index and findings are 100,000s of objects; see stakemap._gc
        hits = store.evaluate_rules(rules, as_of, progress)
        mentioned: set[str] = set(accounts)
        for found in hits.values():
            for h in found:
                mentioned.update((h.subject, *h.evidence))
                mentioned.update(str(v) for v in (h.customer, h.detail.get("through")) if v)
        names = store.names(mentioned)
        names.update({f"role:{r.id}": r.name for r in catalog})
        findings = []
        for rule in rules:
            for hit in hits.get(rule.id, []):
                if wanted and hit.customer not in wanted:
                    continue  # person-wide rules (overloaded-person) belong to no one account
                findings.append(_finding(rule, hit, names))
        findings.sort(key=lambda f: (-f.severity.rank, f.customer or "\uffff", f.code, f.subject,
                                     f.evidence))
    taken: dict[str, dict[str, int]] = {a: {s.value: 0 for s in Severity} for a in accounts}
    for f in findings:  # one pass: a score per account, made of its findings' penalties
        if f.customer in taken:
            taken[f.customer][f.severity.value] += PENALTY[f.severity]
    scores = tuple(CustomerScore(customer=a, name=names.get(a, a),
                                 score=max(0, 100 - sum(taken[a].values())), penalties=taken[a])
                   for a in accounts)
    return GapReport(playbook=resolved.name, as_of=as_of, findings=tuple(findings),
                     scores=scores)


def _prepare(rule: RuleBase, catalog: RoleCatalog, wanted: set[str]) -> RuleBase | None:
    """The rule as a backend should run it: a required role's phases filled in from the
    catalog (so backends need no catalog), and its accounts narrowed to ``wanted`` (so a
    one-account report does one account's work). None when no wanted account is left."""
    update: dict[str, Any] = {}
    if isinstance(rule, RequiredRole) and not rule.phases:
        update["phases"] = tuple(sorted(
            {p for role_id in rule.roles() if (role := catalog.get(role_id))
             for p in role.phases}))
    if wanted:
        narrowed = tuple(sorted(set(rule.when.customers) & wanted if rule.when.customers
                                else wanted))
        if not narrowed:
            return None
        update["when"] = rule.when.model_copy(update={"customers": narrowed})
    return rule.model_copy(update=update) if update else rule


def _finding(rule: RuleBase, hit: Hit, names: dict[str, str]) -> Finding:
    subject_name = names.get(hit.subject, hit.subject)
    customer = names.get(hit.customer, hit.customer) if hit.customer else None
    d = hit.detail
    kind = rule.type
    message, advice = _WORDING[kind](subject_name, customer, hit, names, d)
    # built without re-validation: every value is typed already, and there are 80,000 at L
    return construct(Finding, {
        "code": rule.id, "rule_type": rule.type, "severity": rule.severity,
        "subject": hit.subject, "subject_name": subject_name, "customer": hit.customer,
        "message": message, "evidence": hit.evidence,
        "remediation": rule.remediation or advice, "detail": dict(hit.detail)})


def _who(ids: Iterable[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids)


def _required(s: str, c: str | None, h: Hit, n: dict[str, str], d: dict[str, Any]
              ) -> tuple[str, str]:
    role = " or ".join(n.get(f"role:{r}", r) for r in str(d["role"]).split(" or "))
    if d["held"]:
        return (f"{s} has {d['held']} active {role} but needs {d['needed']}",
                f"Add another {role} so the role survives one person's absence.")
    return (f"{s} has no active {role}",
            f"Name a {role} for {s}, or record who holds the role if someone does.")


_WORDING: dict[str, Any] = {
    "required-role": _required,
    "unowned-service": lambda s, c, h, n, d: (
        f"service {s} (used by {c}) has no active owner",
        "Make one person accountable for the service and record them as its owner."),
    "vital-single-point": lambda s, c, h, n, d: (
        f"vital service {s} (used by {c}) hangs on one person: {_who(h.evidence, n)}",
        "Add a second owner or deputy, and a decision-maker on the customer side."),
    "authority-missing": lambda s, c, h, n, d: (
        f"nobody holds {d['scope']} authority over {s} or its agreements",
        f"Find out who decides on {d['scope']} at {s} and record their authority."),
    "authority-conflict": lambda s, c, h, n, d: (
        f"{len(h.evidence)} people hold {d['scope']} authority over {s}: {_who(h.evidence, n)}",
        "Agree with the customer who is accountable for this decision; record one decider."),
    "uncovered-decision-maker": lambda s, c, h, n, d: (
        f"decision-maker {s} ({c}) has no relationship with anyone on our account team",
        f"Plan an introduction to {s} through someone who knows them; assign an owner."),
    "blocker-without-champion": lambda s, c, h, n, d: (
        f"{s} ({c}) is a blocker with influence {d['influence']} and knows no champion",
        f"Find a champion who can reach {s}, or build one, and plan how to address the concerns."),
    "single-threaded": lambda s, c, h, n, d: (
        (f"{s} is single-threaded: every relationship across the two sides goes through "
         f"{n.get(str(d['through']), d['through'])}") if d.get("through") else
        f"{s} has no relationships between our people and theirs",
        "Build relationships beyond one person on each side: map who should know whom."),
    "stale-relationship": lambda s, c, h, n, d: (
        f"relationship between {s} and {n.get(h.evidence[1], h.evidence[1])} is stale: last "
        f"contact {d['last_contact']}, {d['days']} days ago",
        "Schedule a contact; if the relationship has lapsed, record who replaces it."),
    "stale-contact": lambda s, c, h, n, d: (
        f"key contact {s} ({c}) last had contact on {d['last_contact']}, {d['days']} days ago",
        f"Plan a meeting with {s} in the next weeks."),
    "agreement-review-overdue": lambda s, c, h, n, d: (
        f"agreement {s} was due for review on {d['next_review']} ({d['days']} days ago)",
        "Hold the agreement review and record the next review date."),
    "left-but-holds-role": lambda s, c, h, n, d: (
        f"{s} has left but still holds {len(h.evidence)} role(s): {', '.join(h.evidence)}",
        "Remove the roles, and check each one has an active holder."),
    "overloaded-person": lambda s, c, h, n, d: (
        f"{s} holds {d['roles']} roles across {d['accounts']} accounts",
        "Rebalance the roles, or name deputies for the accounts that need the most attention."),
}
