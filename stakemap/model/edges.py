"""Edge models: the typed links between nodes.

Every edge has a ``key`` that identifies it among the edges between the same two nodes. Two
edges with the same key are the same edge (writing it again updates it: upserts are
idempotent); edges of different kinds, or the same kind with a different role, phase or
scope, never merge. ``ENDPOINTS`` says which node kinds each edge kind may join; it is the
single source of truth for both validation and the Neo4j relationship types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stakemap.model.enums import (
    AuthorityScope,
    EdgeKind,
    NodeKind,
    Phase,
    ReportLine,
    Sentiment,
    TieType,
)
from stakemap.model.nodes import Id, Text
from stakemap.model.trusted import construct

__all__ = [
    "EDGE_TYPES",
    "ENDPOINTS",
    "Attended",
    "Consumes",
    "DecisionAuthority",
    "DirectedTie",
    "Edge",
    "EdgeBase",
    "HoldsRole",
    "Owns",
    "PartyTo",
    "Provides",
    "Relationship",
    "ReportsTo",
    "misplaced_edges",
]

_SEP = "\x1f"
"""Joins a key's parts (ASCII unit separator). Ids may contain any character, this one too,
so parts are escaped (``_ESC``) before they are joined: see ``_edge_key``."""
_ESC = "\x1e"
"""Escapes ``_SEP`` and itself inside a part (ASCII record separator). A control character
rather than a backslash on purpose: ids with backslashes (``DOMAIN\\user``) are ordinary and
keep the keys earlier versions stored in Neo4j; only ids holding one of these two control
characters get a new key, and those with ``_SEP`` collided before anyway."""
_ESCAPED = {_ESC: _ESC + _ESC, _SEP: _ESC + "_"}
_ESCAPABLE = re.compile(f"[{_ESC}{_SEP}]")


class EdgeBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: EdgeKind
    source: Id
    target: Id

    def _key_parts(self) -> tuple[str, ...]:
        return ()

    @cached_property
    def key(self) -> str:
        """Identity of the edge: kind, endpoints and whatever distinguishes parallel edges.
        Cached: loading, sorting, indexing and checking all ask for it, several times per
        edge, and edges are frozen."""
        return _edge_key(self)

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """An edge from values that were already validated (a file entry's fields), built
        without validating them again (see ``stakemap.model.trusted``), its key computed
        on the way: loading makes hundreds of thousands of edges."""
        edge = construct(cls, values)
        edge.__dict__["key"] = _edge_key(edge)  # what cached_property would store, minus its lock
        return edge


class HoldsRole(EdgeBase):
    """person -> organization, service or agreement: the person holds ``role`` there."""

    kind: Literal[EdgeKind.HOLDS_ROLE] = EdgeKind.HOLDS_ROLE
    role: str
    phase: Phase | None = None
    since: date | None = None
    until: date | None = None

    def _key_parts(self) -> tuple[str, ...]:
        return (self.role, self.phase or "")  # StrEnum members are their values

    def current_on(self, day: date) -> bool:
        """Whether the role is held on ``day``: begun (``since``) and not ended (``until``).
        The required-role rule and the review's role table both ask this."""
        return ((self.since is None or self.since <= day)
                and (self.until is None or self.until >= day))


class ReportsTo(EdgeBase):
    """person -> manager, as a solid or dotted line."""

    kind: Literal[EdgeKind.REPORTS_TO] = EdgeKind.REPORTS_TO
    line: ReportLine = ReportLine.SOLID


class Owns(EdgeBase):
    """person -> service: the accountable owner."""

    kind: Literal[EdgeKind.OWNS] = EdgeKind.OWNS


class DecisionAuthority(EdgeBase):
    """person -> service, agreement or organization: may decide within ``scope``."""

    kind: Literal[EdgeKind.DECISION_AUTHORITY] = EdgeKind.DECISION_AUTHORITY
    scope: AuthorityScope

    def _key_parts(self) -> tuple[str, ...]:
        return (self.scope,)


class Relationship(EdgeBase):
    """person <-> person. Undirected: endpoints are stored in sorted order so (a, b) == (b, a)."""

    kind: Literal[EdgeKind.RELATIONSHIP] = EdgeKind.RELATIONSHIP
    strength: float | None = Field(
        None, ge=0.0, le=1.0,
        description="0 (barely know) to 1 (trusted); not given: not declared")
    sentiment: Sentiment = Sentiment.NEUTRAL
    last_contact: date | None = None
    notes: Text | None = None

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        if values["target"] < values["source"]:
            values["source"], values["target"] = values["target"], values["source"]
        return super().trusted(**values)

    @model_validator(mode="before")
    @classmethod
    def _sorted_endpoints(cls, data: Any) -> Any:
        if isinstance(data, dict):
            source, target = data.get("source"), data.get("target")
            if isinstance(source, str) and isinstance(target, str) and target < source:
                data = {**data, "source": target, "target": source}
        return data


class DirectedTie(EdgeBase):
    """person -> person, read from source to target: the source influences the target,
    reports to them informally, or is in conflict with them. Unlike ``Relationship`` the
    direction is kept (endpoints are never sorted), and ties of different types between the
    same two people are different edges."""

    kind: Literal[EdgeKind.DIRECTED_TIE] = EdgeKind.DIRECTED_TIE
    type: TieType
    strength: float | None = Field(None, ge=0.0, le=1.0, description="0 (weak) to 1 (strong)")
    since: date | None = None
    notes: Text | None = None

    def _key_parts(self) -> tuple[str, ...]:
        return (self.type,)


class Consumes(EdgeBase):
    """customer organization -> service; ``vital`` marks a vital business function."""

    kind: Literal[EdgeKind.CONSUMES] = EdgeKind.CONSUMES
    vital: bool = False


class Provides(EdgeBase):
    """provider (or partner) organization -> service."""

    kind: Literal[EdgeKind.PROVIDES] = EdgeKind.PROVIDES


class PartyTo(EdgeBase):
    """organization -> agreement."""

    kind: Literal[EdgeKind.PARTY_TO] = EdgeKind.PARTY_TO


class Attended(EdgeBase):
    """person -> meeting."""

    kind: Literal[EdgeKind.ATTENDED] = EdgeKind.ATTENDED


Edge = Annotated[
    HoldsRole | ReportsTo | Owns | DecisionAuthority | Relationship | Consumes | Provides
    | PartyTo | Attended | DirectedTie,
    Field(discriminator="kind"),
]

EDGE_TYPES: dict[EdgeKind, type[EdgeBase]] = {
    EdgeKind.HOLDS_ROLE: HoldsRole,
    EdgeKind.REPORTS_TO: ReportsTo,
    EdgeKind.OWNS: Owns,
    EdgeKind.DECISION_AUTHORITY: DecisionAuthority,
    EdgeKind.RELATIONSHIP: Relationship,
    EdgeKind.CONSUMES: Consumes,
    EdgeKind.PROVIDES: Provides,
    EdgeKind.PARTY_TO: PartyTo,
    EdgeKind.ATTENDED: Attended,
    EdgeKind.DIRECTED_TIE: DirectedTie,
}

_ORG, _PERSON, _SERVICE, _AGREEMENT, _MEETING = (
    NodeKind.ORGANIZATION, NodeKind.PERSON, NodeKind.SERVICE, NodeKind.AGREEMENT, NodeKind.MEETING,
)

ENDPOINTS: dict[EdgeKind, tuple[frozenset[NodeKind], frozenset[NodeKind]]] = {
    EdgeKind.HOLDS_ROLE: (frozenset({_PERSON}), frozenset({_ORG, _SERVICE, _AGREEMENT})),
    EdgeKind.REPORTS_TO: (frozenset({_PERSON}), frozenset({_PERSON})),
    EdgeKind.OWNS: (frozenset({_PERSON}), frozenset({_SERVICE})),
    EdgeKind.DECISION_AUTHORITY: (frozenset({_PERSON}), frozenset({_ORG, _SERVICE, _AGREEMENT})),
    EdgeKind.RELATIONSHIP: (frozenset({_PERSON}), frozenset({_PERSON})),
    EdgeKind.CONSUMES: (frozenset({_ORG}), frozenset({_SERVICE})),
    EdgeKind.PROVIDES: (frozenset({_ORG}), frozenset({_SERVICE})),
    EdgeKind.PARTY_TO: (frozenset({_ORG}), frozenset({_AGREEMENT})),
    EdgeKind.ATTENDED: (frozenset({_PERSON}), frozenset({_MEETING})),
    EdgeKind.DIRECTED_TIE: (frozenset({_PERSON}), frozenset({_PERSON})),
}


def misplaced_edges(edges: Iterable[EdgeBase], kinds: Mapping[str, NodeKind | None]
                    ) -> list[EdgeBase]:
    """The edges whose endpoints are not of the kinds ``ENDPOINTS`` allows (``kinds`` maps
    node ids to their kinds; an id it lacks, or maps to None, is of no allowed kind).

    A portfolio file places each edge under its source's entry (a role under the person,
    a provider under the service), so such an edge has nowhere to go: a store's ``export``
    refuses them instead of writing a file that silently lacks them.
    """
    found = []
    for edge in edges:
        sources, targets = ENDPOINTS[edge.kind]
        if kinds.get(edge.source) not in sources or kinds.get(edge.target) not in targets:
            found.append(edge)
    return found


def _edge_key(edge: EdgeBase) -> str:
    """The kind, the endpoints and the distinguishing parts joined by ``_SEP``, each part
    escaped so that no part holds ``_SEP``.

    Injective: splitting a key on ``_SEP`` gives back the escaped parts, and the escapes form
    a prefix code (``_ESC`` is always followed by ``_ESC`` or ``_``), so each part decodes one
    way only. Equal keys therefore mean equal kinds, endpoints and distinguishing parts, and
    two different edges can never merge. A part without ``_SEP`` or ``_ESC`` (every id written
    by hand) is left as it is, so such keys are exactly what earlier versions derived: stores
    written by them need no migration.
    """
    parts = (edge.kind, edge.source, edge.target, *edge._key_parts())
    joined = _SEP.join(parts)
    if _ESC not in joined and joined.count(_SEP) == len(parts) - 1:
        return joined  # the common case, decided with two C-level scans of one string
    return _SEP.join(_ESCAPABLE.sub(lambda m: _ESCAPED[m.group()], part) for part in parts)
