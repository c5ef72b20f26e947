"""Node models: organizations, people, services, agreements and meetings.

Each node carries ``kind`` as a literal so a mixed list validates through one discriminated
union (``Node``). Nodes hold only their own properties; every link to another node is an edge
(see ``edges``), which keeps the in-memory and Neo4j representations the same shape.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from stakemap.model.enums import (
    MeetingKind,
    NodeKind,
    OrgKind,
    PersonStatus,
    Phase,
    Side,
    Stance,
)

__all__ = [
    "NODE_TYPES",
    "Agreement",
    "Id",
    "Meeting",
    "Node",
    "NodeBase",
    "Organization",
    "Person",
    "Service",
]

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A node id: any non-empty text up to 200 characters; ids are one namespace across kinds."""

Text = Annotated[str, StringConstraints(max_length=10_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Scale = Annotated[int, Field(ge=1, le=5)]


class NodeBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    id: Id
    name: Name


class Organization(NodeBase):
    """The provider, a customer (or one of its divisions via ``parent``), or a partner."""

    kind: Literal[NodeKind.ORGANIZATION] = NodeKind.ORGANIZATION
    type: OrgKind = Field(description="provider, customer or partner")
    phase: Phase | None = Field(None, description="a customer's lifecycle phase")
    parent: Id | None = Field(None, description="the organization this one is a division of")
    tier: Name | None = Field(None, description="free-form segment, e.g. strategic, key, growth")
    description: Text | None = None

    @property
    def side(self) -> Side:
        """The side its people are on: customer for customers; the provider and partners
        are our side. The one definition of "side" (``stakemap.rules.vocabulary``)."""
        return Side.CUSTOMER if self.type is OrgKind.CUSTOMER else Side.PROVIDER


class Person(NodeBase):
    """Someone on either side; the side follows from the organization they belong to."""

    kind: Literal[NodeKind.PERSON] = NodeKind.PERSON
    organization: Id
    title: Name | None = None
    status: PersonStatus = PersonStatus.ACTIVE
    email: Name | None = None
    stance: Stance | None = Field(None, description="attitude towards us: champion ... blocker")
    influence: Scale | None = Field(None, description="1 (low) to 5 (high)")
    interest: Scale | None = Field(None, description="1 (low) to 5 (high)")
    notes: Text | None = None


class Service(NodeBase):
    """Something the provider delivers; who provides, consumes and owns it are edges."""

    kind: Literal[NodeKind.SERVICE] = NodeKind.SERVICE
    description: Text | None = None


class Agreement(NodeBase):
    """A contract or service agreement, reviewed on a schedule."""

    kind: Literal[NodeKind.AGREEMENT] = NodeKind.AGREEMENT
    next_review: date | None = Field(None, description="when the agreement is next reviewed")
    description: Text | None = None


class Meeting(NodeBase):
    """A meeting or interaction; its date feeds "last contact" for its attendees."""

    kind: Literal[NodeKind.MEETING] = NodeKind.MEETING
    date: date
    type: MeetingKind = MeetingKind.OTHER
    outcome: Text | None = None


Node = Annotated[
    Organization | Person | Service | Agreement | Meeting, Field(discriminator="kind")
]

NODE_TYPES: dict[NodeKind, type[NodeBase]] = {
    NodeKind.ORGANIZATION: Organization,
    NodeKind.PERSON: Person,
    NodeKind.SERVICE: Service,
    NodeKind.AGREEMENT: Agreement,
    NodeKind.MEETING: Meeting,
}
