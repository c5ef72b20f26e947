"""Key-person risk across the portfolio: whose departure would cost the most, on both sides.

Each account (or each of ``customers``) is judged once as it is, then once without each of
the people whose departure can change what it is judged on:

- its **stakeholders** (``RuleRunner.stakeholders``): people of either side who hold a role
  at, own, or decide over one of its things: without them a seat is vacant, a service
  unowned, a decision unowned;
- its **team**; and, of our people with a tie into it, each who is the freshest contact of
  one of their people, or the only one of ours someone of theirs knows: without them someone
  is uncovered or goes stale;
- the people who, with one other, are on every tie across: without one of them, the account
  is single-threaded;
- their people who are **champions** or rated influence 4 or more (key
  people), and those who are the only tie of one of ours (single-threadedness);
- the **articulation points** of its people network: without them someone is cut off.

Anyone else's departure vacates nothing and cuts no one off, so it is not tried (it can
only thin the account's ties). Each try takes the person as absent where the data lives
(the store's runner ``without`` them), scores the account with the same playbook as
``find_gaps`` does (``account_scorer``), and recomputes reach on the account's network
without them (``stakemap.analysis.whatif.reach``). A person's cost is the sum over the
accounts they were tried at: points of score lost, then people we could no longer reach.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from stakemap.analysis.arguments import day_argument, playbook_argument, strings_argument
from stakemap.analysis.gaps import Seen, account_scorer, word
from stakemap.analysis.whatif import AccountCost
from stakemap.errors import UsageError
from stakemap.escape import csv_cell, markdown_code, markdown_text
from stakemap.model.enums import Side, Stance
from stakemap.model.integrity import did_you_mean
from stakemap.model.roles import RoleCatalog
from stakemap.rules.centrality import cut_offs
from stakemap.rules.network import PeopleNetwork
from stakemap.rules.vocabulary import KEY_INFLUENCE

if TYPE_CHECKING:
    from stakemap.analysis.playbook import Playbook
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["AccountCost", "KeyPersonRanking", "KeyPersonRisk", "key_people_at_risk",
           "tried_at"]

KEY_STANCES = (Stance.CHAMPION,)


class KeyPersonRisk(BaseModel):
    """One person and what their departure would cost."""

    model_config = ConfigDict(frozen=True)

    person: str
    name: str
    side: Side
    points: int
    """Score points lost, summed over the accounts."""
    unreachable: int
    """People we could no longer reach, summed over the accounts."""
    accounts: tuple[AccountCost, ...]


class KeyPersonRanking(BaseModel):
    model_config = ConfigDict(frozen=True)

    as_of: date
    playbook: str
    max_hops: int
    accounts: int
    """Accounts judged."""
    tried: int
    """People tried (see the module for who)."""
    ours: tuple[KeyPersonRisk, ...]
    theirs: tuple[KeyPersonRisk, ...]

    def as_json(self) -> dict[str, Any]:
        def person(p: KeyPersonRisk) -> dict[str, Any]:
            data = p.model_dump(mode="json", exclude={"accounts"})
            data["accounts"] = [{**a.model_dump(mode="json", exclude={"new_findings"}),
                                 "new_findings": [f.as_json() for f in a.new_findings]}
                                for a in p.accounts]
            return data
        return {"as_of": self.as_of.isoformat(), "playbook": self.playbook,
                "max_hops": self.max_hops, "accounts": self.accounts, "tried": self.tried,
                "ours": [person(p) for p in self.ours],
                "theirs": [person(p) for p in self.theirs]}

    def to_json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def _rows(self) -> list[tuple[str, int, KeyPersonRisk]]:
        return [(side, i, p) for side, people in (("ours", self.ours), ("theirs", self.theirs))
                for i, p in enumerate(people, start=1)]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = [["side", "rank", "person", "name", "points", "unreachable", "account",
                 "score_before", "score_after", "new_findings"]]
        rows += [[side, str(i), p.person, p.name, str(p.points), str(p.unreachable),
                  a.account, str(a.score_before), str(a.score_after),
                  " ".join(f.code for f in a.new_findings)]
                 for side, i, p in self._rows() for a in p.accounts]
        writer.writerows([csv_cell(c) for c in row] for row in rows)
        return out.getvalue()

    def lines(self) -> list[str]:
        """The ranking for people to read."""
        out = [f"key-person risk as of {self.as_of.isoformat()} (playbook {self.playbook}; "
               f"{self.tried} people tried at {self.accounts} "
               f"account{'' if self.accounts == 1 else 's'})"]
        for title, people in (("ours", self.ours), ("theirs", self.theirs)):
            out.append(f"{title}:")
            if not people:
                out.append("  no one's departure costs anything")
            for i, p in enumerate(people, start=1):
                out.append(f"  {i}. {p.name} ({p.person}): {p.points} points lost"
                           + (f", {p.unreachable} out of reach" if p.unreachable else ""))
                for a in p.accounts:
                    found = ", ".join(sorted({f.code for f in a.new_findings}))
                    out.append(f"     {a.name}: {a.score_before} -> {a.score_after}"
                               + (f"; {found}" if found else "")
                               + (f"; {len(a.unreachable)} out of reach" if a.unreachable
                                  else ""))
        return out

    def to_markdown(self) -> str:
        lines = [f"# Key-person risk (as of {self.as_of.isoformat()})", "",
                 f"Playbook {markdown_text(self.playbook)}; {self.tried} people tried at "
                 f"{self.accounts} account{'' if self.accounts == 1 else 's'}.", ""]
        for title, people in (("Our side", self.ours), ("Their side", self.theirs)):
            lines += [f"## {title}", "", "| # | person | points lost | out of reach | "
                      "accounts: score, what it would find |", "|---:|---|---:|---:|---|"]
            lines += [f"| {i} | {markdown_text(p.name)} ({markdown_code(p.person)}) | "
                      f"{p.points} | {p.unreachable} | "
                      + "; ".join(markdown_text(f"{a.name} {a.score_before} → {a.score_after}")
                                  + "".join(f" {markdown_code(c)}" for c in
                                            sorted({f.code for f in a.new_findings}))
                                  for a in p.accounts) + " |"
                      for i, p in enumerate(people, start=1)]
            lines.append("")
        return "\n".join(lines)


def tried_at(network: PeopleNetwork, stakeholders: set[str]) -> set[str]:
    """The people of an account's network a ranking tries (see the module)."""
    ours = {p.id for p in network.people if p.side is Side.PROVIDER}
    tried = set(stakeholders) | {p.id for p in network.people if p.team}
    tried |= {p.id for p in network.people if p.side is Side.CUSTOMER and (
        p.stance in KEY_STANCES or (p.influence or 0) >= KEY_INFLUENCE)}
    across: dict[str, set[str]] = defaultdict(set)  # each person -> the other side's they know
    latest: dict[str, tuple[date, str]] = {}  # each of theirs -> their latest contact of ours
    for t in network.ties:
        if (t.a in ours) == (t.b in ours):
            continue
        mine, theirs = (t.a, t.b) if t.a in ours else (t.b, t.a)
        across[mine].add(theirs)
        across[theirs].add(mine)
        if t.last_contact is not None and (theirs not in latest
                                           or (t.last_contact, mine) > latest[theirs]):
            latest[theirs] = (t.last_contact, mine)
    # the only tie of someone across, the freshest contact of one of theirs, and the two
    # people who between them are on every tie across (without one, the other is the thread)
    tried |= {next(iter(them)) for them in across.values() if len(them) == 1}
    tried |= {mine for _, mine in latest.values()}
    tried |= _pairs_on_every_tie([(m, t) for m, them in across.items() for t in them if m in ours])
    tried |= set(cut_offs(network))
    return tried


def key_people_at_risk(source: StakeholderGraph | GraphStore, *,
                       customers: Iterable[str] = (),
                       playbook: Playbook | str | Iterable[str] | None = None,
                       as_of: date | None = None, max_hops: int = 4,
                       limit: int = 10) -> KeyPersonRanking:
    """The people whose departure would cost the portfolio (or ``customers``) the most, on
    our side and on theirs, ``limit`` each (see the module for how)."""
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    day = day_argument(as_of, "key_people_at_risk") or date.today()
    book = playbook_argument(playbook)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise UsageError(f"key_people_at_risk: limit must be a whole number >= 1, not "
                         f"{limit!r}")
    accounts = [a.id for a in store.accounts()]
    wanted = strings_argument("customers", customers, verb="key_people_at_risk")
    missing = sorted(set(wanted) - set(accounts))
    if missing:
        raise UsageError(f"no account {', '.join(repr(m) for m in missing)}; "
                         + (did_you_mean(missing[0], accounts) or "check the id"))
    chosen = [a for a in accounts if not wanted or a in wanted]
    score = account_scorer(store, book)
    runner = store.rule_runner(day)
    stakes = runner.stakeholders(chosen)
    costs: dict[str, list[tuple[str, int, int, list[Any], tuple[str, ...]]]] = defaultdict(list)
    sides: dict[str, Side] = {}
    tried_people: set[str] = set()
    for account in chosen:
        network = runner.people_network(account)
        sides.update({p.id: p.side for p in network.people})
        before, kept = score(runner, account)
        seen = Seen((r.id, h) for r, h in kept)  # new as in what_if
        links = _links(network)
        team = {p.id for p in network.people if p.team}
        now = _within(links, team, max_hops)
        theirs = {p.id for p in network.people if p.side is Side.CUSTOMER}
        for person in sorted(tried_at(network, stakes.get(account, set()))):
            tried_people.add(person)
            without = runner.without([person])
            after, found = score(without, account)
            then = _within(links, team - {person}, max_hops, person)
            lost = tuple(sorted(p for p in now if p in theirs and p != person
                                and p not in then))
            if after < before or lost:
                costs[person].append((account, before, after,
                                      [(r, h) for r, h in found if seen.new(r.id, type(r), h)],
                                      lost))
    ranked = sorted(costs, key=lambda p: (-sum(c[1] - c[2] for c in costs[p]),
                                          -sum(len(c[4]) for c in costs[p]), p))
    unknown_side = [p for p in ranked if p not in sides]
    if unknown_side:  # stakeholders in no network (someone else's person at a shared service)
        providers = _providers(store)
        sides.update({p: Side.PROVIDER if getattr(store.get_node(p), "organization", None)
                      in providers else Side.CUSTOMER for p in unknown_side})
    ours = [p for p in ranked if sides[p] is Side.PROVIDER][:limit]
    theirs_ = [p for p in ranked if sides[p] is Side.CUSTOMER][:limit]
    shown = [*ours, *theirs_]
    mentioned = set(shown) | {c[0] for p in shown for c in costs[p]}
    mentioned |= {i for p in shown for c in costs[p] for r, h in c[3]
                  for i in (h.subject, *h.evidence, *h.detail.ids())}
    names = store.names(mentioned)
    names.update({f"role:{r.id}": r.name for r in RoleCatalog(store.metadata()[1])})

    def risk(person: str) -> KeyPersonRisk:
        accounts_ = tuple(sorted((AccountCost(
            account=a, name=names.get(a, a), score_before=b, score_after=s,
            new_findings=tuple(sorted((word(r, h, names) for r, h in new), key=lambda f: (
                -f.severity.rank, f.code, f.subject, f.evidence))), unreachable=lost)
            for a, b, s, new, lost in costs[person]), key=lambda c: (-c.lost, c.account)))
        return KeyPersonRisk(person=person, name=names.get(person, person), side=sides[person],
                             points=sum(c.lost for c in accounts_),
                             unreachable=sum(len(c.unreachable) for c in accounts_),
                             accounts=accounts_)

    return KeyPersonRanking(as_of=day, playbook=book.name, max_hops=max_hops,
                            accounts=len(chosen), tried=len(tried_people),
                            ours=tuple(risk(p) for p in ours),
                            theirs=tuple(risk(p) for p in theirs_))


def _pairs_on_every_tie(ties: list[tuple[str, str]]) -> set[str]:
    """Everyone who, with one other person, is on every one of ``ties``: two people who
    cover them all (a vertex cover of two). Any such pair holds an end of the first tie."""
    if not ties:
        return set()
    found: set[str] = set()
    for x in ties[0]:
        rest = [t for t in ties if x not in t]
        if not rest:
            continue  # x alone is on every tie: single-threaded already
        common = set(rest[0]).intersection(*rest[1:])
        if common:
            found |= {x, *common}
    return found


def _links(network: PeopleNetwork) -> dict[str, set[str]]:
    """Whom each person reaches in one hop: ties both ways, influence from the influencer
    (the hops of ``stakemap.analysis.whatif.reach``)."""
    links: dict[str, set[str]] = defaultdict(set)
    for t in network.ties:
        links[t.a].add(t.b)
        links[t.b].add(t.a)
    for influencer, influenced in network.influence:
        links[influencer].add(influenced)
    return links


def _within(links: dict[str, set[str]], sources: set[str], max_hops: int,
            skip: str | None = None) -> set[str]:
    """Everyone ``sources`` reach in at most ``max_hops`` hops, not through ``skip``: the
    people ``reach`` finds, by breadth-first search (a ranking needs who, not how warm)."""
    seen = set(sources)
    frontier = list(sources)
    for _ in range(max_hops):
        frontier = [n for v in frontier for n in links.get(v, ())
                    if n != skip and n not in seen and not seen.add(n)]  # type: ignore[func-returns-value]
        if not frontier:
            break
    return seen


def _providers(store: GraphStore) -> set[str]:
    from stakemap.model.enums import NodeKind

    return {o.id for o in store.nodes(NodeKind.ORGANIZATION)
            if getattr(o, "side", None) is Side.PROVIDER}
