"""What if these people leave: what each account loses.

The people in ``leaves`` are taken as gone as of the day (the store's rules run with them
``absent``, where the data lives), and each account they touch (``GraphStore`` runner's
``touched``: their own, the accounts of what they hold a role at, own or decide on, and of
everyone they know or met) is judged twice, with and without them:

- **findings they would cause**: every finding of the playbook that appears without them
  (a seat vacant, a service unowned, a decision-maker uncovered, an account single-threaded
  ...): one no finding before was (``RuleBase.same_finding``: the same code, subject and
  account, and by default the same evidence; a summary of stale ties that only lost the
  leaver's is the same finding); and the coverage score before and after;
- **reach**: the account's people we reach within ``max_hops`` over its people network
  (``stakemap.rules.network``), from its team, before and after: who we can no longer
  reach, and who only through a path less than half as warm (warmth as in
  ``stakemap.analysis.paths``).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from stakemap.analysis.arguments import day_argument, playbook_argument, strings_argument
from stakemap.analysis.gaps import Finding, Seen, find_gaps
from stakemap.analysis.paths import warmth
from stakemap.errors import NotFoundError, UsageError
from stakemap.escape import csv_cell, markdown_code, markdown_text
from stakemap.model.enums import Side
from stakemap.rules.network import PeopleNetwork

if TYPE_CHECKING:
    from stakemap.analysis.playbook import Playbook
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["AccountCost", "AccountLoss", "Colder", "WhatIfReport", "reach", "what_if"]

COLDER = 0.5
"""A path to someone is much colder when its warmth falls below this share of before."""


class Colder(BaseModel):
    model_config = ConfigDict(frozen=True)

    person: str
    name: str
    before: float
    after: float


class AccountCost(BaseModel):
    """What one account loses without some people: its score, the findings their leaving
    causes, and their people out of reach. The key-person ranking gives one per account a
    person was tried at; ``AccountLoss`` adds the names and the colder ties."""

    model_config = ConfigDict(frozen=True)

    account: str
    name: str
    score_before: int
    score_after: int
    new_findings: tuple[Finding, ...]
    unreachable: tuple[str, ...]
    """Their people we reach within ``max_hops`` now and could not without the leavers."""

    @property
    def lost(self) -> int:
        return self.score_before - self.score_after


class AccountLoss(AccountCost):
    """What one account loses, as ``stakemap whatif`` shows it."""

    unreachable_names: tuple[str, ...]
    colder: tuple[Colder, ...]


class WhatIfReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    leaves: tuple[str, ...]
    leaves_names: tuple[str, ...]
    as_of: date
    playbook: str
    max_hops: int
    accounts: tuple[AccountLoss, ...]

    def as_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude={"accounts"})
        data["accounts"] = [{**a.model_dump(mode="json", exclude={"new_findings"}),
                             "new_findings": [f.as_json() for f in a.new_findings]}
                            for a in self.accounts]
        return data

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def to_csv(self) -> str:
        """One row per loss: a new finding, a person out of reach, a much colder path."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = [["account", "name", "score_before", "score_after", "loss", "code", "subject",
                 "detail"]]
        for a in self.accounts:
            head = [a.account, a.name, str(a.score_before), str(a.score_after)]
            rows += [[*head, "finding", f.code, f.subject, f.message] for f in a.new_findings]
            rows += [[*head, "unreachable", "", p, n]
                     for p, n in zip(a.unreachable, a.unreachable_names, strict=True)]
            rows += [[*head, "colder", "", c.person, f"{c.before:.2f} -> {c.after:.2f}"]
                     for c in a.colder]
            if not (a.new_findings or a.unreachable or a.colder):
                rows.append([*head, "none", "", "", ""])
        writer.writerows([csv_cell(c) for c in row] for row in rows)
        return out.getvalue()

    def lines(self) -> list[str]:
        """The report as lines for people to read."""
        out = [f"if {', '.join(self.leaves_names)} leave{'s' if len(self.leaves) == 1 else ''}"
               f" (as of {self.as_of.isoformat()}, playbook {self.playbook}):"]
        if not self.accounts:
            out.append("  no account is touched")
        for a in self.accounts:
            out.append(f"{a.name} ({a.account}): score {a.score_before} -> {a.score_after}")
            out += [f"  + {f.severity.value}: {f.message}" for f in a.new_findings]
            if a.unreachable:
                out.append(f"  no longer reachable within {self.max_hops} hops: "
                           + ", ".join(a.unreachable_names))
            out += [f"  much colder: {c.name} ({c.before:.2f} -> {c.after:.2f})"
                    for c in a.colder]
            if not (a.new_findings or a.unreachable or a.colder):
                out.append("  nothing lost")
        return out

    def to_markdown(self) -> str:
        lines = [f"# What if {markdown_text(', '.join(self.leaves_names))} "
                 f"{'leaves' if len(self.leaves) == 1 else 'leave'}", ""]
        for a in self.accounts:
            lines += [f"## {markdown_text(a.name)} ({markdown_code(a.account)})", "",
                      f"Score {a.score_before} → {a.score_after}.", ""]
            lines += [f"- {f.severity.value}: {markdown_text(f.message)}"
                      for f in a.new_findings]
            if a.unreachable:
                lines.append(f"- no longer reachable within {self.max_hops} hops: "
                             + markdown_text(", ".join(a.unreachable_names)))
            lines += [f"- much colder: {markdown_text(c.name)} ({c.before:.2f} → "
                      f"{c.after:.2f})" for c in a.colder]
            lines.append("")
        return "\n".join(lines)


def reach(network: PeopleNetwork, max_hops: int, as_of: date) -> dict[str, float]:
    """The warmest warmth with which the account's team reaches each person in at most
    ``max_hops`` hops (people it cannot reach are left out)."""
    cost: dict[str, float] = {p.id: 0.0 for p in network.people if p.team}
    edges: list[tuple[str, str, float]] = []
    for t in network.ties:
        c = -math.log(warmth(t, as_of))
        edges += [(t.a, t.b, c), (t.b, t.a, c)]
    edges += [(a, b, -math.log(0.5)) for a, b in network.influence]
    for _ in range(max_hops):  # Bellman-Ford, one hop per round: at most max_hops hops
        nxt = dict(cost)
        for a, b, c in edges:
            if a in cost and cost[a] + c < nxt.get(b, math.inf):
                nxt[b] = cost[a] + c
        cost = nxt
    return {p: math.exp(-c) for p, c in cost.items()}


def what_if(source: StakeholderGraph | GraphStore, *, leaves: Iterable[str],
            customers: Iterable[str] = (), playbook: Playbook | str | Iterable[str] | None = None,
            as_of: date | None = None, max_hops: int = 4) -> WhatIfReport:
    """What each account the leavers touch (or ``customers``) loses if they leave: new
    findings, the score before and after, and who we can no longer reach (see the module)."""
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    gone = strings_argument("leaves", leaves, verb="what_if")
    if not gone:
        raise UsageError("what_if: leaves is empty; name at least one person")
    missing = [p for p in gone if not store.has_node(p)]
    if missing:
        raise NotFoundError(f"what_if: no person {', '.join(repr(m) for m in missing)}; "
                            "check the id")
    day = day_argument(as_of, "what_if") or date.today()
    book = playbook_argument(playbook)
    accounts = store.accounts()
    wanted = strings_argument("customers", customers, verb="what_if")
    unknown = sorted(set(wanted) - {a.id for a in accounts})
    if unknown:
        raise UsageError(f"what_if: no account {', '.join(repr(u) for u in unknown)}")
    with_them = store.rule_runner(day)
    without = with_them.without(gone)  # shares what the runner read once
    touched = with_them.touched(gone)
    chosen = [a.id for a in accounts
              if (a.id in wanted if wanted else bool(set(a.orgs) & touched))]
    names = store.names([*gone, *chosen])
    if not chosen:
        return WhatIfReport(leaves=tuple(gone), leaves_names=tuple(names.get(p, p) for p in gone),
                            as_of=day, playbook=book.name, max_hops=max_hops, accounts=())
    before = find_gaps(store, playbook=book, as_of=day, customers=chosen, runner=with_them)
    after = find_gaps(store, playbook=book, as_of=day, customers=chosen, runner=without)
    seen = Seen((f.code, f.as_hit()) for f in before.findings)
    score = {s.customer: s.score for s in before.scores}
    losses = []
    for s in after.scores:
        network = with_them.people_network(s.customer)
        now = reach(network, max_hops, day)
        then = reach(network.without(gone), max_hops, day)  # one read, not two
        people = {p.id: p for p in network.people}
        theirs = [p for p in sorted(now) if p in people and not people[p].team
                  and people[p].side is Side.CUSTOMER and p not in gone]
        lost = [p for p in theirs if p not in then]
        colder = [Colder(person=p, name=people[p].name, before=round(now[p], 4),
                         after=round(then[p], 4))
                  for p in theirs if p in then and then[p] < COLDER * now[p]]
        losses.append(AccountLoss(
            account=s.customer, name=s.name, score_before=score[s.customer],
            score_after=s.score,
            new_findings=tuple(f for f in after.findings if f.customer == s.customer
                               and seen.new(f.code, f.rule_class, f.as_hit())),
            unreachable=tuple(lost), unreachable_names=tuple(people[p].name for p in lost),
            colder=tuple(colder)))
    losses.sort(key=lambda a: (-a.lost, a.account))
    return WhatIfReport(leaves=tuple(gone), leaves_names=tuple(names.get(p, p) for p in gone),
                        as_of=day, playbook=book.name, max_hops=max_hops,
                        accounts=tuple(losses))
