"""Hypothesis strategies for valid portfolios: random, but consistent by construction."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from stakemap.model import (
    BUILTIN_ROLES,
    Agreement,
    Assessment,
    AuthorityScope,
    Consumes,
    DecisionAuthority,
    DirectedTie,
    HoldsRole,
    Meeting,
    MeetingKind,
    Organization,
    OrgKind,
    Owns,
    PartyTo,
    Person,
    PersonStatus,
    Phase,
    Portfolio,
    Provides,
    Relationship,
    ReportLine,
    ReportsTo,
    Sentiment,
    Service,
    Side,
    Stance,
    TieType,
)
from stakemap.model.edges import Attended

texts = st.text(min_size=1, max_size=24)
ids = texts.map(str.strip).filter(bool)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))
maybe = st.none().__or__


RATED = {"stance": st.sampled_from(list(Stance)), "influence": st.integers(1, 5),
         "interest": st.integers(1, 5)}


@st.composite
def assessments(draw: Any) -> Assessment:
    """An assessment setting at least one of the rated fields."""
    chosen = draw(st.lists(st.sampled_from(list(RATED)), min_size=1, max_size=3, unique=True))
    return Assessment(on=draw(dates), by=draw(maybe(texts)),
                      **{name: draw(RATED[name]) for name in chosen})


@st.composite
def persons(draw: Any, pid: str, org_ids: list[str]) -> Person:
    """A person with every field drawn; ratings an assessment sets are left to it (given
    as well, they would have to agree with it), and a leaver's status follows ``left_on``."""
    history = draw(st.lists(assessments(), max_size=3))
    rated = {name: draw(maybe(strategy)) for name, strategy in RATED.items()
             if not any(getattr(a, name) is not None for a in history)}
    left_on = draw(maybe(dates))
    status = PersonStatus.LEFT if left_on else draw(st.sampled_from(list(PersonStatus)))
    return Person(
        id=pid, name=draw(texts), organization=draw(st.sampled_from(org_ids)),
        title=draw(maybe(texts)), status=status, left_on=left_on,
        email=draw(maybe(texts)), assessments=tuple(history), notes=draw(maybe(texts)),
        **rated)


@st.composite
def portfolios(draw: Any) -> Portfolio:
    unique = draw(st.lists(ids, min_size=2, max_size=18, unique=True))
    n_orgs = draw(st.integers(1, min(4, len(unique))))
    org_ids, rest = unique[:n_orgs], unique[n_orgs:]
    orgs = []
    for i, oid in enumerate(org_ids):
        kind = OrgKind.PROVIDER if i == 0 else draw(st.sampled_from(list(OrgKind)))
        orgs.append(Organization(
            id=oid, name=draw(texts), type=kind,
            phase=draw(maybe(st.sampled_from(list(Phase)))) if kind is OrgKind.CUSTOMER else None,
            parent=org_ids[0] if i and draw(st.booleans()) else None,
            tier=draw(maybe(texts)), description=draw(maybe(texts))))
    cut = draw(st.integers(0, len(rest)))
    person_ids, other = rest[:cut], rest[cut:]
    people = [draw(persons(pid, org_ids)) for pid in person_ids]
    services, agreements, meetings = [], [], []
    for oid in other:
        kind = draw(st.sampled_from(["service", "agreement", "meeting"]))
        if kind == "service":
            services.append(Service(id=oid, name=draw(texts), description=draw(maybe(texts))))
        elif kind == "agreement":
            term = sorted(draw(st.lists(dates, min_size=2, max_size=2)))
            starts, ends = (draw(maybe(st.just(term[0]))), draw(maybe(st.just(term[1]))))
            agreements.append(Agreement(
                id=oid, name=draw(texts), next_review=draw(maybe(dates)), starts=starts,
                ends=ends, renewal=draw(maybe(dates)),
                notice_days=draw(maybe(st.integers(0, 36_500)))))
        else:
            meetings.append(Meeting(id=oid, name=draw(texts), date=draw(dates),
                                    type=draw(st.sampled_from(list(MeetingKind))),
                                    outcome=draw(maybe(texts))))
    org_by_id = {o.id: o for o in orgs}
    edges: list[Any] = []
    scopes = org_ids + [s.id for s in services] + [a.id for a in agreements]
    for i, person in enumerate(people):
        side = (Side.CUSTOMER if org_by_id[person.organization].type is OrgKind.CUSTOMER
                else Side.PROVIDER)
        roles = [r.id for r in BUILTIN_ROLES if r.side is side]
        for _ in range(draw(st.integers(0, 2))):
            edges.append(HoldsRole(source=person.id, target=draw(st.sampled_from(scopes)),
                                   role=draw(st.sampled_from(roles)),
                                   phase=draw(maybe(st.sampled_from(list(Phase)))),
                                   since=draw(maybe(dates))))
        if i and draw(st.booleans()):  # only to earlier people: never a cycle
            edges.append(ReportsTo(source=person.id, target=people[draw(st.integers(0, i - 1))].id,
                                   line=draw(st.sampled_from(list(ReportLine)))))
        if draw(st.booleans()):
            edges.append(DecisionAuthority(source=person.id, target=draw(st.sampled_from(scopes)),
                                           scope=draw(st.sampled_from(list(AuthorityScope)))))
        if i and draw(st.booleans()):
            other_person = people[draw(st.integers(0, i - 1))]
            edges.append(Relationship(
                source=person.id, target=other_person.id,
                strength=draw(maybe(st.floats(0, 1, allow_nan=False))),
                sentiment=draw(st.sampled_from(list(Sentiment))),
                last_contact=draw(maybe(dates)), notes=draw(maybe(texts))))
        if i and draw(st.booleans()):  # either direction, several types: kept apart
            other_person = people[draw(st.integers(0, i - 1))]
            ends = [person.id, other_person.id]
            if draw(st.booleans()):
                ends.reverse()
            edges.append(DirectedTie(
                source=ends[0], target=ends[1], type=draw(st.sampled_from(list(TieType))),
                strength=draw(maybe(st.floats(0, 1, allow_nan=False))),
                since=draw(maybe(dates)), notes=draw(maybe(texts))))
        for meeting in meetings:
            if draw(st.booleans()):
                edges.append(Attended(source=person.id, target=meeting.id))
    for service in services:
        edges.append(Provides(source=org_ids[0], target=service.id))
        for org in orgs[1:]:
            if org.type is OrgKind.CUSTOMER and draw(st.booleans()):
                edges.append(Consumes(source=org.id, target=service.id, vital=draw(st.booleans())))
        if people and draw(st.booleans()):
            edges.append(Owns(source=draw(st.sampled_from(person_ids)), target=service.id))
    for agreement in agreements:
        for oid in draw(st.lists(st.sampled_from(org_ids), unique=True, max_size=2)):
            edges.append(PartyTo(source=oid, target=agreement.id))
    unique_edges = {e.key: e for e in edges}
    return Portfolio.build(name=draw(maybe(texts)), nodes=[*orgs, *people, *services,
                                                           *agreements, *meetings],
                           edges=unique_edges.values())
