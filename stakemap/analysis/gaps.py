"""Coverage gaps: run a playbook on a graph, word the hits as findings, score each account.

The backend finds (``store.evaluate_rules``), this module words: one message and one piece
of advice per rule type, whatever backend found the hit, so reports are identical across
backends.

Coverage score, per account: how much of the account is covered, in four dimensions (seats,
decisions, relationships, hygiene; each rule type belongs to one). A rule's failure at an
account is the share of what it checks there that fails: its hits' ``shortfall`` over the
account's size in the rule's ``basis`` (services for unowned-service, key people for
stale-contact, one seat for a required role), capped at 1. Each failing rule
takes a fixed fraction of what is left of its dimension, by severity (critical 0.6, high
0.35, medium 0.15, low 0.05, info 0), times its share of failure:

    dimension = 100 x product over its rules of (1 - fraction(severity) x share)

Rules that do not apply to the account (no services, another phase) are left out, and
passing rules change nothing, so a playbook with more rules does not dilute a gap. The
score is the product of the dimensions (every failing rule takes its fraction of what is
left, wherever it counts); the dimensions say where it went. A mean of the dimensions would
let a spotless hygiene record hide an empty seats dimension, and measured on a generated
50-account portfolio it squeezed every account into 80-97. A rule can take at most its own
fraction, so volume cannot zero an account: 40 stale ties cost the relationships dimension
what one account's worth of stale ties costs, not 40 findings' worth. Scores use every
finding of the playbook, so display filters (``only``, ``ignore``, ``customers``) never
change them.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, SerializeAsAny

from stakemap._gc import paused_gc
from stakemap.analysis.arguments import day_argument, playbook_argument, strings_argument
from stakemap.analysis.playbook import Playbook
from stakemap.errors import UsageError
from stakemap.escape import csv_cell, markdown_code, markdown_text
from stakemap.model.integrity import did_you_mean
from stakemap.model.roles import RoleCatalog
from stakemap.model.trusted import construct
from stakemap.rules import (
    DIMENSIONS,
    RULE_TYPES,
    Account,
    AccountSizes,
    Dimension,
    Hit,
    RequiredRole,
    RuleBase,
    RuleDetail,
    RuleNotImplementedError,
    Severity,
)

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.backends.base import RuleRunner
    from stakemap.graph import StakeholderGraph

__all__ = ["SCORE_BANDS", "SCORE_RULE", "SEVERITY_FRACTION", "TOP_ACTIONS", "CustomerScore",
           "Finding", "Folded", "GapReport", "find_gaps"]

SEVERITY_FRACTION = {Severity.CRITICAL: 0.6, Severity.HIGH: 0.35, Severity.MEDIUM: 0.15,
                     Severity.LOW: 0.05, Severity.INFO: 0.0}
"""What a rule failing in full takes from its dimension, by the severity the playbook gives
it (of what is left: two high gaps leave 100 x 0.65 x 0.65 = 42)."""
SCORE_RULE = ("Coverage score: each failing rule takes its share of failure times critical "
              "60%, high 35%, medium 15%, low 5% of what is left, so no rule takes more than "
              "its own part; the score is the product of the "
              + ", ".join(d.value for d in DIMENSIONS) + " dimensions shown beside it.")
"""How a score is made, in the words every report ends with."""
TOP_ACTIONS = 3
"""How many actions each account's report leads with."""
SCORE_BANDS = ((80, "good"), (50, "fair"), (0, "poor"))


class Folded(BaseModel):
    """A finding folded into another one of the same cause (``Finding.also``)."""

    model_config = ConfigDict(frozen=True)

    code: str
    rule_type: str
    severity: Severity
    message: str
    evidence: tuple[str, ...]


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
    detail: SerializeAsAny[RuleDetail] = RuleDetail()
    """The numbers behind the message (role, scope, dates, days), for diagrams and tools:
    an instance of the rule type's ``Detail`` model (``rule_class.Detail``)."""
    also: tuple[Folded, ...] = ()
    """Findings of other rules with the same cause, reported as this one (a lapsed key
    contact is one stale-contact finding that also lists its stale relationships)."""

    @property
    def rule_class(self) -> type[RuleBase]:
        """The rule type that found it: its ``tag`` and ``Detail`` describe this finding."""
        return RULE_TYPES[self.rule_type]

    def as_hit(self) -> Hit:
        """The hit this finding words (subject, account, evidence, detail)."""
        return Hit.of(self.subject, self.customer, self.evidence, self.detail)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "rule_type": self.rule_type,
                "severity": self.severity.value,
                "subject": self.subject, "subject_name": self.subject_name,
                "customer": self.customer, "message": self.message,
                "evidence": list(self.evidence), "remediation": self.remediation,
                "detail": self.detail.as_json(),
                "also": [{"code": f.code, "rule_type": f.rule_type,
                          "severity": f.severity.value, "message": f.message,
                          "evidence": list(f.evidence)} for f in self.also]}


class CustomerScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    customer: str
    name: str
    score: int
    dimensions: dict[str, int]
    """Dimension -> its score (0-100), for the dimensions that apply to the account, so the
    score explains itself."""

    def breakdown(self) -> str:
        """The dimensions below 100, e.g. "seats 67, relationships 40"; empty when none."""
        return ", ".join(f"{k} {v}" for k, v in self.dimensions.items() if v < 100)

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

    def top_actions(self, customer: str | None, n: int = TOP_ACTIONS) -> list[Finding]:
        """The account's first ``n`` findings: the worst, and of those the ones about the
        people and services that matter most (findings are ranked that way)."""
        return list(self._grouped.get(customer, ())[:n])

    def by_customer(self) -> dict[str | None, list[Finding]]:
        return {customer: list(found) for customer, found in self._grouped.items()}

    @functools.cached_property
    def _grouped(self) -> dict[str | None, tuple[Finding, ...]]:
        """The findings by account, in rank order, grouped once: the heatmap asks every
        account's top action, and a scan of all findings per account took 12 s at 1,000
        accounts."""
        grouped: dict[str | None, list[Finding]] = {}
        for f in self.findings:
            grouped.setdefault(f.customer, []).append(f)
        return {customer: tuple(found) for customer, found in grouped.items()}

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
                                        "dimensions": s.dimensions} for s in self.scores},
                "top_actions": self._top_action_indexes(),
                "summary": self.summary()}

    def _top_action_indexes(self) -> dict[str, list[int]]:
        """Customer -> the positions in ``findings`` of its top actions."""
        found: dict[str, list[int]] = {}
        for i, f in enumerate(self.findings):
            if f.customer is not None:
                mine = found.setdefault(f.customer, [])
                if len(mine) < TOP_ACTIONS:
                    mine.append(i)
        return found

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def to_pandas(self) -> Any:
        """The findings as a pandas ``DataFrame``, one row per finding (code, rule type,
        severity, customer, subject, message, evidence, remediation): for notebooks and BI
        tools. Needs pandas (``pip install 'stakemap[pandas]'``; ``MissingDependencyError``
        says so when it is missing)."""
        from stakemap.exports.frames import findings_frame

        return findings_frame(self)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = [["severity", "code", "customer", "subject", "subject_name", "message",
                 "evidence", "remediation"]]
        rows += [[f.severity.value, f.code, f.customer or "", f.subject, f.subject_name,
                  f.message, " ".join(f.evidence), f.remediation] for f in self.findings]
        # Every cell, not only the names: a formula can hide in any user text.
        writer.writerows([csv_cell(cell) for cell in row] for row in rows)
        return out.getvalue()

    def to_markdown(self) -> str:
        lines = [f"# Coverage gaps ({_md(self.playbook)}, as of {self.as_of.isoformat()})", ""]
        if self.scores:
            lines += ["| customer | score | weak dimensions |", "|---|---:|---|"]
            lines += [f"| {_md(s.name)} ({markdown_code(s.customer)}) | {s.score} | "
                      f"{_md(s.breakdown()) or '-'} |" for s in self.scores]
            lines.append("")
        if not self.findings:
            lines.append("No gaps found.")
        names = {s.customer: s.name for s in self.scores}
        for customer, findings in self.by_customer().items():
            title = f"{_md(names.get(customer, customer))} ({markdown_code(customer)})" \
                if customer else "Across accounts"
            lines += [f"## {title}", ""]
            if customer is not None:
                lines += ["Top actions:", ""]
                lines += [f"{i}. {_md(f.remediation)} ({markdown_code(f.code)}: "
                          f"{_md(f.subject_name)})"
                          for i, f in enumerate(self.top_actions(customer), start=1)]
                lines.append("")
            lines += ["| severity | code | finding | what to do |", "|---|---|---|---|"]
            lines += [f"| {f.severity.value} | {markdown_code(f.code)} | {_md(f.message)} | "
                      f"{_md(f.remediation)} |" for f in findings]
            lines.append("")
        lines.append(SCORE_RULE)
        return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """User text (names, messages, remediations) as literal Markdown: no raw HTML, no live
    link, no extra table column (``stakemap.escape.markdown_text``)."""
    return markdown_text(text)


def find_gaps(
    source: StakeholderGraph | GraphStore,
    *,
    playbook: Playbook | str | Iterable[str] | None = None,
    as_of: date | None = None,
    customers: Iterable[str] = (),
    only: Iterable[str] = (),
    ignore: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
    absent: Iterable[str] = (),
    runner: RuleRunner | None = None,
) -> GapReport:
    """Run a playbook (default: ``default``) over a graph or store, as of a date (today).
    ``progress(done, total)`` is called as each rule finishes, for a progress bar.

    This is the one orchestrator of every backend: it picks the enabled rules, applies each
    rule's ``when`` selector to the store's accounts, runs the rules through the store's
    ``rule_runner`` and words the hits with each rule type's own wording.

    Arguments are checked first, each refusal an ``ArgumentError`` (a ``UsageError`` and a
    ``TypeError``) naming the argument: ``as_of`` is a ``datetime.date``, not text and not a
    ``datetime`` (whose time and zone would silently be dropped: call ``.date()``);
    ``customers``, ``only`` and ``ignore`` are lists, not one bare string, which would
    iterate as characters. ``absent``: people to take as gone (what if they left), as of
    the day. ``runner``: a rule runner the caller prepared on the same store and day (it
    carries its own ``absent``), so several reports share one index."""
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    resolved = playbook_argument(playbook)
    as_of = day_argument(as_of) or date.today()
    only, ignore = set(strings_argument("only", only)), set(strings_argument("ignore", ignore))
    wanted = set(strings_argument("customers", customers))
    known_codes = {r.id for r in resolved.rules}
    unknown = sorted((only | ignore) - known_codes)
    if unknown:
        raise UsageError(f"no rule with code {', '.join(repr(u) for u in unknown)} in playbook "
                         f"{resolved.name}; " + (did_you_mean(unknown[0], known_codes) or
                                                  f"codes: {', '.join(sorted(known_codes))}"))
    facts = store.accounts()
    accounts = [a.id for a in facts]
    if wanted:
        missing = sorted(wanted - set(accounts))
        if missing:
            raise UsageError(
                f"no account {', '.join(repr(m) for m in missing)}; accounts are customers that "
                f"consume a service or are party to an agreement; "
                + (did_you_mean(missing[0], accounts) or "check the id"))
        facts = [a for a in facts if a.id in wanted]
        accounts = [a.id for a in facts]
    _, roles = store.metadata()
    catalog = RoleCatalog(roles)
    _check_roles(resolved, catalog)
    # every enabled rule runs, whatever ``only``/``ignore`` show: a score is the account's,
    # not the view's
    # a rule about people across accounts finds nothing a report on some accounts shows
    plan = [(_prepare(rule, catalog), chosen) for rule in resolved.enabled()
            if (rule.per_account or not wanted)
            and (chosen := _chosen(rule, facts, bool(wanted))) is not None]
    with paused_gc():  # the index and findings are 100,000s of objects; see stakemap._gc
        gone = strings_argument("absent", absent)
        if runner is None:  # stores written before what-ifs take no ``absent``
            runner = store.rule_runner(as_of, absent=gone) if gone else store.rule_runner(as_of)
        lacking = sorted({rule.type for rule, _ in plan if not runner.supports(type(rule))})
        if lacking:
            raise RuleNotImplementedError(
                f"{store.url} cannot evaluate rule type{'s' if len(lacking) > 1 else ''} "
                f"{', '.join(repr(t) for t in lacking)} of playbook {resolved.name}; remove "
                f"those rules, or use a store that implements them")
        hits: dict[str, list[Hit]] = {}
        for done, (rule, chosen) in enumerate(plan, start=1):
            hits[rule.id] = [h for h in runner.run(rule, chosen)
                             if not wanted or h.customer in wanted]
            if progress is not None:
                progress(done, len(plan))
        mentioned: set[str] = set(accounts)
        subjects: set[str] = set()
        for found in hits.values():
            for h in found:
                mentioned.update((h.subject, *h.evidence, *h.detail.ids()))
                subjects.add(h.subject)
                if h.customer:
                    mentioned.add(h.customer)
        names = store.names(mentioned)
        names.update({f"role:{r.id}": r.name for r in catalog})
        weight = runner.importance(subjects)
        groups = _one_per_cause([(rule, hit) for rule, _ in plan
                                 for hit in hits.get(rule.id, [])])
        merged = [(*group[0], _reported(group, names)) for group in groups]
        merged.sort(key=lambda m: (-m[2].severity.rank, m[2].customer or "\uffff",
                                   -weight.get(m[2].subject, 0), m[2].code, m[2].subject,
                                   m[2].evidence))
        sizes = runner.sizes(accounts)
        scores = _scores(plan, [(rule, hit) for rule, hit, _ in merged], facts, sizes, names)
        findings = tuple(f for _, _, f in merged
                         if (not only or f.code in only) and f.code not in ignore)
    return GapReport(playbook=resolved.name, as_of=as_of, findings=findings, scores=scores)


def _one_per_cause(found: list[tuple[RuleBase, Hit]]) -> list[list[tuple[RuleBase, Hit]]]:
    """Hits grouped by cause (``RuleBase.cause``), each group in order of importance: the
    most severe, then the lowest ``cause_priority``, first. The first of a group is reported;
    the others are folded into it. A hit with no cause is a group of its own."""
    by_cause: dict[tuple[str, ...], list[tuple[RuleBase, Hit]]] = {}
    groups: list[list[tuple[RuleBase, Hit]]] = []
    for item in found:
        cause = item[0].cause(item[1])
        if cause is None:
            groups.append([item])
        else:
            by_cause.setdefault(cause, []).append(item)
    for group in by_cause.values():
        group.sort(key=lambda m: (-m[0].severity.rank, m[0].cause_priority, m[0].id,
                                  m[1].evidence))
        groups.append(group)
    return groups


def word(rule: RuleBase, hit: Hit, names: dict[str, str]) -> Finding:
    """A hit as a finding, worded by its rule type (``names``: display names by id)."""
    return _finding(rule, hit, names)


def _reported(group: list[tuple[RuleBase, Hit]], names: dict[str, str]) -> Finding:
    """The finding of one cause, the others of its group folded into ``also``."""
    (rule, hit), rest = group[0], group[1:]
    first = _finding(rule, hit, names)
    if not rest:
        return first
    return first.model_copy(update={"also": tuple(
        Folded(code=f.code, rule_type=f.rule_type, severity=f.severity, message=f.message,
               evidence=f.evidence) for f in (_finding(r, h, names) for r, h in rest))})


class Seen:
    """The findings of a report before a what-if, to tell which findings after it are new:
    a finding is new unless one before has its code, subject and account and its rule type
    calls it the same (``RuleBase.same_finding``). One place for ``what_if`` and the
    key-person ranking."""

    def __init__(self, found: Iterable[tuple[str, Hit]]) -> None:
        self._by: dict[tuple[str, str, str | None], list[Hit]] = {}
        for code, hit in found:
            self._by.setdefault((code, hit.subject, hit.customer), []).append(hit)

    def new(self, code: str, rule: type[RuleBase], hit: Hit) -> bool:
        return not any(rule.same_finding(b, hit)
                       for b in self._by.get((code, hit.subject, hit.customer), ()))


Judged = tuple[int, list[tuple[RuleBase, Hit]]]
"""An account's score and the hits reported for it (one per cause)."""


def account_scorer(source: StakeholderGraph | GraphStore,
                   playbook: Playbook | str | Iterable[str] | None = None,
                   ) -> Callable[[RuleRunner, str], Judged]:
    """The coverage score of one account under a rule runner (which may take people as
    absent), as ``find_gaps`` computes it, and its reported hits, without wording any: the
    playbook is resolved once, each call runs only that account's rules. For rankings that
    judge one account many times (``stakemap.analysis.keypeople``)."""
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    resolved = playbook_argument(playbook)
    facts = {a.id: a for a in store.accounts()}
    _, roles = store.metadata()
    catalog = RoleCatalog(roles)
    _check_roles(resolved, catalog)
    rules = [_prepare(rule, catalog) for rule in resolved.enabled() if rule.per_account]

    def score(runner: RuleRunner, account: str) -> Judged:
        fact = facts[account]
        plan = [(rule, [account]) for rule in rules if rule.when.matches(fact)]
        found = [(rule, h) for rule, chosen in plan for h in runner.run(rule, chosen)
                 if h.customer == account]
        kept = [group[0] for group in _one_per_cause(found)]
        return _scores(plan, kept, [fact], runner.sizes([account]), {})[0].score, kept

    return score


def _scores(plan: list[tuple[RuleBase, list[str]]], kept: list[tuple[RuleBase, Hit]],
            facts: list[Account], sizes: dict[str, AccountSizes],
            names: dict[str, str]) -> tuple[CustomerScore, ...]:
    """Each account's score (see the module) from the hits reported (one per cause): per
    rule, the share of its basis that fails; per dimension, the product of what each rule
    leaves; overall, the product of the dimensions."""
    short: dict[tuple[str, str], float] = {}
    for rule, hit in kept:
        if hit.customer is not None:
            key = (rule.id, hit.customer)
            short[key] = short.get(key, 0.0) + rule.shortfall(hit)
    scores = []
    for account in facts:
        size = sizes.get(account.id, AccountSizes())
        left: dict[Dimension, float] = {}
        for rule, chosen in plan:
            if not rule.per_account or account.id not in chosen or not rule.applies(account):
                continue
            failed = short.get((rule.id, account.id), 0.0)
            basis = getattr(size, rule.basis)
            if basis == 0 and not failed:
                continue  # nothing to check here: no services, no ties, ...
            share = min(1.0, failed / max(basis, 1))
            left[rule.dimension] = left.get(rule.dimension, 1.0) * (
                1 - SEVERITY_FRACTION[rule.severity] * share)
        dimensions = {d.value: round(100 * left[d]) for d in DIMENSIONS if d in left}
        score = round(100 * math.prod(left.values()))
        scores.append(CustomerScore(customer=account.id, name=names.get(account.id, account.id),
                                    score=score, dimensions=dimensions))
    return tuple(scores)


def _check_roles(playbook: Playbook, catalog: RoleCatalog) -> None:
    """Refuse a required role this run cannot know: neither built in nor one of the
    portfolio's own. Loading a playbook catches near misses of built-in roles; only here,
    with the portfolio at hand, can any other id be told apart from a custom role. Left
    alone it would report the role vacant at every account, a finding about a typo."""
    unknown = [(rule.id, role) for rule in playbook.enabled()
               for role in rule.role_ids() if role not in catalog]
    if unknown:
        listed = ", ".join(f"'{role}' (rule {rule_id})" for rule_id, role in unknown)
        hint = did_you_mean(unknown[0][1], catalog.ids())
        where = f"{playbook.source}: " if playbook.source not in ("", playbook.name) else ""
        plural = "s" if len(unknown) > 1 else ""
        raise UsageError(
            f"{where}playbook {playbook.name} names unknown role{plural} {listed}; "
            "a role is built in or defined under roles: in the portfolio"
            + (f"; {hint}" if hint else ""))


def _chosen(rule: RuleBase, accounts: list[Account], narrowed: bool) -> list[str] | None:
    """The accounts ``rule`` applies to (its ``when`` selector, over the accounts asked
    for); None when a one-account report leaves the rule nothing to do."""
    chosen = [a.id for a in accounts if rule.when.matches(a)]
    if narrowed and not chosen:
        return None
    return chosen


def _prepare(rule: RuleBase, catalog: RoleCatalog) -> RuleBase:
    """The rule as a backend should run it: a required role's phases filled in from the
    catalog, so backends need no catalog."""
    if isinstance(rule, RequiredRole) and not rule.phases:
        return rule.model_copy(update={"phases": tuple(sorted(
            {p for role_id in rule.roles() if (role := catalog.get(role_id))
             for p in role.phases}))})
    return rule


def _finding(rule: RuleBase, hit: Hit, names: dict[str, str]) -> Finding:
    # built without re-validation: every value is typed already, and there are 80,000 at L
    return construct(Finding, {
        "code": rule.id, "rule_type": rule.type, "severity": rule.severity,
        "subject": hit.subject, "subject_name": names.get(hit.subject, hit.subject),
        "customer": hit.customer, "message": rule.message(hit, names),
        "evidence": hit.evidence, "remediation": rule.remediation or rule.advice(hit, names),
        "detail": hit.detail})
