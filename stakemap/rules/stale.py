"""How stale ties become findings, shared by every backend: each backend finds an account's
stale ties where its data lives (Python over the index, Cypher in Neo4j) and hands them
here, so the split between key ties and the long tail, and the summary's numbers, are one
piece of code whatever the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from stakemap.model.trusted import construct
from stakemap.rules.base import Hit
from stakemap.rules.catalog import StaleRelationship

__all__ = ["StaleTie", "stale_relationship_hits"]


@dataclass(frozen=True)
class StaleTie:
    """One tie of an account whose last contact is before the rule's cutoff."""

    theirs: str
    ours: str
    last_contact: date
    key: bool
    """``theirs`` is a key person of the account (decides, holds a role, or influential)."""
    meetings: int
    strength: float
    strength_from: str


def stale_relationship_hits(rule: StaleRelationship, account: str, ties: Iterable[StaleTie],
                            as_of: date) -> list[Hit]:
    """A hit per stale tie to a key person; the tail by ``rule.tail``: one summary hit on
    the account (evidence: their people, sorted; detail: how many ties, the oldest) once
    it has ``rule.summary_from`` ties, a hit each below that or with ``each``, or none."""
    ties = sorted(ties, key=lambda t: (t.theirs, t.ours))
    tail = [t for t in ties if not t.key] if rule.tail != "ignore" else []
    summarized = rule.tail == "summary" and len(tail) >= rule.summary_from
    hits = [Hit.of(t.theirs, account, (t.theirs, t.ours), construct(
                StaleRelationship.Detail, {
                    "last_contact": t.last_contact, "days": (as_of - t.last_contact).days,
                    "strength": t.strength, "strength_from": t.strength_from,
                    "meetings": t.meetings, "others": 0}))
            for t in ties if t.key or (rule.tail != "ignore" and not summarized)]
    if summarized:
        oldest = min(t.last_contact for t in tail)
        hits.append(Hit.of(account, account, tuple(sorted({t.theirs for t in tail})), construct(
            StaleRelationship.Detail, {
                "last_contact": oldest, "days": (as_of - oldest).days, "strength": None,
                "strength_from": None, "meetings": 0, "others": len(tail)})))
    return hits
