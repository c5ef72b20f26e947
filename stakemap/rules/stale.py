"""How stale ties become findings, shared by every backend: each backend finds an account's
stale ties where its data lives (Python over the index, Cypher in Neo4j) and hands them
here, so the split between key ties and the long tail, and the summary's numbers, are one
piece of code whatever the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from stakemap.model.trusted import construct
from stakemap.rules.base import Hit
from stakemap.rules.catalog import StaleRelationship

__all__ = ["StaleTie", "Tail", "stale_relationship_hits", "summarizes"]


@dataclass(frozen=True)
class StaleTie:
    """One tie of an account whose last contact is before the rule's cutoff."""

    theirs: str
    ours: str
    last_contact: date
    meetings: int
    strength: float
    strength_from: str


@dataclass(frozen=True)
class Tail:
    """The stale ties to people who are not key, when they are summarized: how many, the
    oldest last contact, and their people."""

    count: int
    oldest: date
    theirs: tuple[str, ...]


def summarizes(rule: StaleRelationship, tail_count: int) -> bool:
    """Whether a tail of ``tail_count`` stale ties is one summary finding."""
    return rule.tail == "summary" and tail_count >= rule.summary_from


def stale_relationship_hits(rule: StaleRelationship, account: str, key: Iterable[StaleTie],
                            tail: Sequence[StaleTie] | Tail, as_of: date) -> list[Hit]:
    """A hit per stale tie to a key person, then the tail (the others) by ``rule.tail``: one
    summary hit on the account (evidence: their people, sorted; detail: how many ties, the
    oldest) once it has ``rule.summary_from`` ties, else a hit each; none for ``ignore``.
    ``tail`` is the tail's ties, or (from a backend that summarized it where the data
    lives) the summary itself."""
    if rule.tail == "ignore":
        tail = ()
    if not isinstance(tail, Tail) and summarizes(rule, len(tail)):
        tail = Tail(len(tail), min(t.last_contact for t in tail),
                    tuple(sorted({t.theirs for t in tail})))
    each = [*key, *(() if isinstance(tail, Tail) else tail)]
    hits = [Hit.of(t.theirs, account, (t.theirs, t.ours), construct(
                StaleRelationship.Detail, {
                    "last_contact": t.last_contact, "days": (as_of - t.last_contact).days,
                    "strength": t.strength, "strength_from": t.strength_from,
                    "meetings": t.meetings, "others": 0}))
            for t in sorted(each, key=lambda t: (t.theirs, t.ours))]
    if isinstance(tail, Tail) and tail.count:
        hits.append(Hit.of(account, account, tail.theirs, construct(
            StaleRelationship.Detail, {
                "last_contact": tail.oldest, "days": (as_of - tail.oldest).days,
                "strength": None, "strength_from": None, "meetings": 0,
                "others": tail.count})))
    return hits
