"""Turn a portfolio document into nodes and edges and back.

Going in, every node and edge remembers the place in the document it came from (its
``Origin``), so a consistency problem found later can point at a line of the file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, cast

from stakemap.files.schema import (
    AgreementEntry,
    AuthorityEntry,
    ConsumerEntry,
    MeetingEntry,
    OrganizationEntry,
    PersonEntry,
    PortfolioDocument,
    RelationshipEntry,
    ReportEntry,
    RoleEntry,
    ServiceEntry,
)
from stakemap.model.edges import (
    Attended,
    Consumes,
    DecisionAuthority,
    DirectedTie,
    Edge,
    HoldsRole,
    Owns,
    PartyTo,
    Provides,
    Relationship,
    ReportsTo,
)
from stakemap.model.enums import EdgeKind, PersonStatus
from stakemap.model.nodes import (
    RATED_FIELDS,
    Agreement,
    Meeting,
    Node,
    NodeBase,
    Organization,
    Person,
    Service,
    latest_assessed,
)
from stakemap.model.portfolio import Portfolio
from stakemap.model.trusted import construct

__all__ = ["DocPath", "Origins", "document_to_parts", "portfolio_to_document"]

DocPath = tuple[str | int, ...]


@dataclass
class Origins:
    """Where each node and edge was written: a document path, plus per-field sub-paths."""

    nodes: dict[str, DocPath] = field(default_factory=dict)
    edges: dict[str, tuple[DocPath, dict[str, DocPath]]] = field(default_factory=dict)

    def of_node(self, node_id: str, field_name: str | None) -> DocPath | None:
        base = self.nodes.get(node_id)
        if base is None:
            return None
        return (*base, field_name) if field_name else base

    def of_edge(self, key: str, field_name: str | None) -> DocPath | None:
        entry = self.edges.get(key)
        if entry is None:
            return None
        base, fields = entry
        return (*base, *fields.get(field_name or "", ())) if field_name else base


@dataclass
class Parts:
    """What a document holds, split into nodes and edges, with duplicates set aside."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    origins: Origins = field(default_factory=Origins)
    duplicate_nodes: list[tuple[str, DocPath, DocPath]] = field(default_factory=list)
    duplicate_edges: list[tuple[Edge, DocPath, DocPath]] = field(default_factory=list)


_NODE_FIELDS: dict[type[NodeBase], type[NodeBase]] = {
    OrganizationEntry: Organization,
    PersonEntry: Person,
    ServiceEntry: Service,
    AgreementEntry: Agreement,
    MeetingEntry: Meeting,
}


def _node_of(entry: NodeBase) -> Node:
    """The bare node of an entry, without the link lists the file format adds to it."""
    node_type = _NODE_FIELDS[type(entry)]
    values = {name: getattr(entry, name) for name in node_type.model_fields}
    return cast(Node, construct(node_type, values))


# Where in a file entry each edge field came from, for locating problems. One shared
# mapping per shape: a new dict per edge cost 110 MB at 500,000 edges.
_AT_SOURCE: dict[str, DocPath] = {"source": ()}
_AT_ROLE: dict[str, DocPath] = {"target": ("scope",), "role": ("role",)}
_AT_MANAGER: dict[str, DocPath] = {"target": ("to",)}
_AT_OVER: dict[str, DocPath] = {"target": ("over",)}
_AT_CUSTOMER: dict[str, DocPath] = {"source": ("customer",)}
_BETWEEN: tuple[dict[str, DocPath], dict[str, DocPath]] = (
    {"source": ("between", 0), "target": ("between", 1)},
    {"source": ("between", 1), "target": ("between", 0)})
_FROM_TO: dict[str, DocPath] = {"source": ("from",), "target": ("to",), "type": ("type",)}


def document_to_parts(
    sections: dict[str, Sequence[tuple[int, Any]]],
) -> Parts:
    """Split validated entries (each with its index in its section) into nodes and edges."""
    parts = Parts()
    seen_nodes: dict[str, DocPath] = {}
    seen_edges: dict[str, DocPath] = {}

    def add_node(entry: NodeBase, path: DocPath) -> None:
        if entry.id in seen_nodes:
            parts.duplicate_nodes.append((entry.id, path, seen_nodes[entry.id]))
            return
        seen_nodes[entry.id] = path
        parts.nodes.append(_node_of(entry))
        parts.origins.nodes[entry.id] = path

    def add_edge(edge: Edge, path: DocPath, fields: dict[str, DocPath]) -> None:
        if edge.key in seen_edges:
            parts.duplicate_edges.append((edge, path, seen_edges[edge.key]))
            return
        seen_edges[edge.key] = path
        parts.edges.append(edge)
        parts.origins.edges[edge.key] = (path, fields)

    for section in ("organizations", "people", "services", "agreements", "meetings"):
        for index, entry in sections.get(section, ()):
            add_node(entry, (section, index))
    for index, person in sections.get("people", ()):
        _person_edges(person, ("people", index), add_edge)
    for index, service in sections.get("services", ()):
        _service_edges(service, ("services", index), add_edge)
    for index, agreement in sections.get("agreements", ()):
        for j, party in enumerate(agreement.parties):
            add_edge(PartyTo.trusted(source=party, target=agreement.id),
                     ("agreements", index, "parties", j), _AT_SOURCE)
    for index, meeting in sections.get("meetings", ()):
        for j, person_id in enumerate(meeting.attendees):
            add_edge(Attended.trusted(source=person_id, target=meeting.id),
                     ("meetings", index, "attendees", j), _AT_SOURCE)
    for index, rel in sections.get("relationships", ()):
        if rel.between is None:
            add_edge(DirectedTie.trusted(source=rel.from_, target=rel.to, type=rel.type,
                                         strength=rel.strength, since=rel.since,
                                         notes=rel.notes),
                     ("relationships", index), _FROM_TO)
            continue
        edge = Relationship.trusted(
            source=rel.between[0], target=rel.between[1], strength=rel.strength,
            sentiment=rel.sentiment, last_contact=rel.last_contact, notes=rel.notes,
        )
        first = 0 if edge.source == rel.between[0] else 1
        add_edge(edge, ("relationships", index),
                 _BETWEEN[first])
    return parts


def _person_edges(person: PersonEntry, path: DocPath, add: Any) -> None:
    for j, role in enumerate(person.roles):
        edge = HoldsRole.trusted(source=person.id, target=role.scope, role=role.role,
                                 phase=role.phase, since=role.since, until=role.until)
        add(edge, (*path, "roles", j), _AT_ROLE)
    for j, manager in enumerate(person.reports_to):
        add(ReportsTo.trusted(source=person.id, target=manager.to, line=manager.line),
            (*path, "reports_to", j), _AT_MANAGER)
    for j, auth in enumerate(person.authority):
        add(DecisionAuthority.trusted(source=person.id, target=auth.over, scope=auth.scope),
            (*path, "authority", j), _AT_OVER)


def _service_edges(service: ServiceEntry, path: DocPath, add: Any) -> None:
    for j, provider in enumerate(service.provider):
        add(Provides.trusted(source=provider, target=service.id), (*path, "provider", j),
            _AT_SOURCE)
    for j, owner in enumerate(service.owners):
        add(Owns.trusted(source=owner, target=service.id), (*path, "owners", j), _AT_SOURCE)
    for j, consumer in enumerate(service.consumers):
        add(Consumes.trusted(source=consumer.customer, target=service.id, vital=consumer.vital),
            (*path, "consumers", j), _AT_CUSTOMER)


def portfolio_to_document(portfolio: Portfolio) -> PortfolioDocument:
    """The file form of a portfolio: links placed on the entries a person would look at."""
    by_kind: dict[EdgeKind, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    relationships: list[RelationshipEntry] = []
    ties: list[RelationshipEntry] = []
    for edge in portfolio.edges:
        if isinstance(edge, Relationship):
            relationships.append(RelationshipEntry(
                between=(edge.source, edge.target), strength=edge.strength,
                sentiment=edge.sentiment, last_contact=edge.last_contact, notes=edge.notes))
        elif isinstance(edge, DirectedTie):
            ties.append(RelationshipEntry.model_validate({
                "from": edge.source, "to": edge.target, "type": edge.type,
                "strength": edge.strength, "since": edge.since, "notes": edge.notes}))
        elif edge.kind in (EdgeKind.HOLDS_ROLE, EdgeKind.REPORTS_TO, EdgeKind.DECISION_AUTHORITY):
            by_kind[edge.kind][edge.source].append(edge)
        else:
            by_kind[edge.kind][edge.target].append(edge)

    def links(kind: EdgeKind, node_id: str) -> list[Any]:
        return by_kind[kind].get(node_id, []) if kind in by_kind else []

    sections: dict[str, list[Any]] = defaultdict(list)
    for node in portfolio.nodes:
        values = node.model_dump(exclude={"kind"})
        if isinstance(node, Organization):
            sections["organizations"].append(OrganizationEntry(**values))
        elif isinstance(node, Person):
            sections["people"].append(PersonEntry(
                **values,
                roles=[RoleEntry(role=e.role, scope=e.target, phase=e.phase, since=e.since,
                                 until=e.until) for e in links(EdgeKind.HOLDS_ROLE, node.id)],
                reports_to=[ReportEntry(to=e.target, line=e.line)
                            for e in links(EdgeKind.REPORTS_TO, node.id)],
                authority=[AuthorityEntry(scope=e.scope, over=e.target)
                           for e in links(EdgeKind.DECISION_AUTHORITY, node.id)],
            ))
        elif isinstance(node, Service):
            sections["services"].append(ServiceEntry(
                **values,
                provider=[e.source for e in links(EdgeKind.PROVIDES, node.id)],
                owners=[e.source for e in links(EdgeKind.OWNS, node.id)],
                consumers=[ConsumerEntry(customer=e.source, vital=e.vital)
                           for e in links(EdgeKind.CONSUMES, node.id)],
            ))
        elif isinstance(node, Agreement):
            sections["agreements"].append(AgreementEntry(
                **values, parties=[e.source for e in links(EdgeKind.PARTY_TO, node.id)]))
        elif isinstance(node, Meeting):
            sections["meetings"].append(MeetingEntry(
                **values, attendees=[e.source for e in links(EdgeKind.ATTENDED, node.id)]))
    return PortfolioDocument(
        name=portfolio.name, roles=list(portfolio.roles),
        relationships=[*relationships, *ties], **sections,
    )


def _drop_implied(person: Person, values: dict[str, Any]) -> None:
    """Leave out of a person's file entry what ``left_on`` and the assessments imply
    (loading derives it again), so the file says each thing once."""
    if person.left_on is not None and person.status is PersonStatus.LEFT:
        values.pop("status", None)
    for name in RATED_FIELDS:
        latest = latest_assessed(person.assessments, name) if person.assessments else None
        if latest is not None and getattr(latest, name) == getattr(person, name):
            values.pop(name, None)


def compact(document: PortfolioDocument) -> dict[str, Any]:
    """The document as plain data using the short forms wherever they say everything."""
    data: dict[str, Any] = _plain(document.model_dump(exclude_defaults=True, by_alias=True))
    data = {"stakemap": document.stakemap, **data}
    for entry, person in zip(document.people, data.get("people", ()), strict=True):
        _drop_implied(entry, person)
        person["roles"] = [_short_role(r) for r in person.get("roles", ())] or None
        managers = [m["to"] if set(m) == {"to"} else m for m in person.get("reports_to", ())]
        person["reports_to"] = (managers[0] if len(managers) == 1 and isinstance(managers[0], str)
                                else managers or None)
    for service in data.get("services", ()):
        providers = service.get("provider", [])
        service["provider"] = providers[0] if len(providers) == 1 else providers or None
        service["consumers"] = [c["customer"] if set(c) == {"customer"} else c
                                for c in service.get("consumers", ())] or None
    result: dict[str, Any] = _drop_empty(data)
    return result


def _plain(value: Any) -> Any:
    """Enums to their values and tuples to lists; dates stay dates so YAML writes them bare."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def _short_role(role: dict[str, Any]) -> Any:
    if set(role) == {"role", "scope"} and "@" not in role["scope"]:
        return f"{role['role']}@{role['scope']}"
    return role


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def iter_entries(document: PortfolioDocument) -> dict[str, list[tuple[int, Any]]]:
    """Each section's entries paired with their index, the shape ``document_to_parts`` takes."""
    return {
        name: list(enumerate(getattr(document, name)))
        for name in ("organizations", "people", "services", "agreements", "meetings",
                     "relationships")
    }

