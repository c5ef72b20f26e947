"""The people network of an account: the projection every network analysis runs on, defined
once here and fetched by each store where its data lives (bounded to one account).

Who is in it (as of a day):

- the account's active people (of the account and its divisions), and
- our active people who are on the account's team or have a tie with one of them.

What connects them:

- **ties** (undirected, one per pair): a declared relationship between two of them, a
  meeting (on or before the day) both attended, and, when ``reporting`` is asked for, a
  reporting line. Each tie says which of these it rests on and carries a strength: the
  relationship's declared one, else computed from the pair's dated interactions
  (``tie_strength``), else 0.5. Organizations, services, agreements and role edges are never
  in it: they are not people, and a role is not an acquaintance.
- **influence** (directed): "A influences B" ties, and reporting lines read from the manager
  to the report (solid and dotted), always; the graph influence centrality runs on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from stakemap.model.enums import Side, Stance

__all__ = ["NetworkPerson", "NetworkTie", "PeopleNetwork", "Raw", "assemble"]


@dataclass(frozen=True, order=True)
class NetworkPerson:
    id: str
    name: str
    side: Side
    influence: int | None = None
    stance: Stance | None = None
    team: bool = False
    """On the account's team (ours with a role at, or ownership of, one of its things)."""


@dataclass(frozen=True, order=True)
class NetworkTie:
    """An undirected tie between ``a`` and ``b`` (``a < b``)."""

    a: str
    b: str
    kinds: tuple[str, ...]
    """Of "relationship", "meeting", "reporting", sorted."""
    strength: float
    last_contact: date | None = None
    """The later of the relationship's ``last_contact`` and the latest meeting both
    attended; None when neither is known."""


@dataclass(frozen=True)
class PeopleNetwork:
    """One account's people and what connects them (see the module)."""

    account: str
    reporting: bool
    people: tuple[NetworkPerson, ...] = ()
    ties: tuple[NetworkTie, ...] = ()
    influence: tuple[tuple[str, str], ...] = field(default=())
    """(influencer, influenced) pairs, sorted."""

    def across(self) -> Iterator[tuple[str, str, NetworkTie]]:
        """(theirs, ours, tie) for each tie between the account's people and ours: the
        coverage the map's badges and the coverage matrix draw, read one way for both."""
        ours = {p.id for p in self.people if p.side is Side.PROVIDER}
        for t in self.ties:
            if (t.a in ours) != (t.b in ours):
                yield (t.b, t.a, t) if t.a in ours else (t.a, t.b, t)

    def without(self, gone: Iterable[str]) -> PeopleNetwork:
        """The network with ``gone`` taken out: they, their ties and their influence go;
        everyone else's ties stay (a meeting two others attended still ties them). What a
        store reads with them absent, but for one of ours who was in it only through a tie
        to them: here they stay, alone, so who reaches whom is the same. For reach, not for
        measures that count people."""
        out = set(gone)
        return PeopleNetwork(self.account, self.reporting,
                             tuple(p for p in self.people if p.id not in out),
                             tuple(t for t in self.ties if t.a not in out and t.b not in out),
                             tuple(i for i in self.influence
                                   if i[0] not in out and i[1] not in out))


@dataclass(frozen=True)
class Raw:
    """What a store reads for one account's network, before it is put together (by
    ``assemble``, the same code for every store): members, and the links among them."""

    people: list[NetworkPerson]
    relationships: list[tuple[str, str, float | None, date | None]]
    """(a, b, declared strength, last contact), a < b."""
    meetings: list[tuple[str, str, date]]
    """(a, b, day) for each meeting both attended, on or before the as-of day; a < b."""
    reports: list[tuple[str, str]]
    """(report, manager)."""
    influences: list[tuple[str, str]]
    """(influencer, influenced), from "influences" ties."""


def assemble(account: str, reporting: bool, raw: Raw, as_of: date) -> PeopleNetwork:
    """The network from what a store read (see the module for what goes in)."""
    from stakemap.rules.vocabulary import tie_strength

    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    declared: dict[tuple[str, str], tuple[float | None, date | None]] = {}
    days: dict[tuple[str, str], set[date]] = defaultdict(set)
    for a, b, strength, last in raw.relationships:
        kinds[(a, b)].add("relationship")
        declared[(a, b)] = (strength, last)
    for a, b, day in raw.meetings:
        kinds[(a, b)].add("meeting")
        days[(a, b)].add(day)
    influence = {(manager, report) for report, manager in raw.reports}
    influence |= set(raw.influences)
    if reporting:
        for report, manager in raw.reports:
            a, b = sorted((report, manager))
            kinds[(a, b)].add("reporting")
    ties = []
    for pair in sorted(kinds):
        strength, last = declared.get(pair, (None, None))
        dated = [*days.get(pair, ()), *([last] if last else [])]
        ties.append(NetworkTie(pair[0], pair[1], tuple(sorted(kinds[pair])),
                               tie_strength(strength, dated, as_of)[0],
                               max((d for d in dated if d <= as_of), default=None)))
    return PeopleNetwork(account, reporting, tuple(sorted(raw.people)), tuple(ties),
                         tuple(sorted(influence)))
