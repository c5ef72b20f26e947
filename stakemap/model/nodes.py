"""Node models: organizations, people, services, agreements and meetings.

Each node carries ``kind`` as a literal so a mixed list validates through one discriminated
union (``Node``). Nodes hold only their own properties; every link to another node is an edge
(see ``edges``), which keeps the in-memory and Neo4j representations the same shape.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

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
    "RATED_FIELDS",
    "Agreement",
    "Assessment",
    "ExternalIds",
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


System = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50,
                                          pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
"""The name of another system a record comes from: ``salesforce``, ``hubspot``, ``dynamics``."""
ExternalId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=200)]


class ExternalIds(dict[str, str]):
    """A node's ids in other systems, by system: ``{salesforce: 0035g00000Xyz}``. Read-only
    and hashable like the frozen node that holds it; change it with ``model_copy``."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("external_ids are read-only; make a changed node with "
                        "node.model_copy(update={'external_ids': {...}})")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __reduce__(self) -> tuple[Any, ...]:
        return (ExternalIds, (dict(self),))

    def __deepcopy__(self, memo: dict[int, Any]) -> ExternalIds:
        return self


class NodeBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    id: Id
    name: Name
    external_ids: Annotated[dict[System, ExternalId], AfterValidator(ExternalIds)] = Field(
        default_factory=ExternalIds,
        description="this record's ids in other systems, by system (e.g. salesforce: "
                    "0035g00000Xyz): how an import finds it again")


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


RATED_FIELDS = ("stance", "influence", "interest")
"""The person's fields an assessment may set."""


class Assessment(BaseModel):
    """One dated judgement of a person: their stance, influence and interest as someone saw
    them on a day. A person's assessments are their history; the latest one that sets a
    field gives the person's current value of that field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    on: date = Field(description="the day of the assessment")
    by: Name | None = Field(None, description="who assessed (free text)")
    stance: Stance | None = None
    influence: Scale | None = Field(None, description="1 (low) to 5 (high)")
    interest: Scale | None = Field(None, description="1 (low) to 5 (high)")

    @model_validator(mode="before")
    @classmethod
    def _yaml_on(cls, data: Any) -> Any:
        """YAML 1.1 (PyYAML) reads an unquoted ``on:`` key as the boolean true; here it can
        only mean the day, so it is read as ``on`` (YAML 1.2 tools read it as text)."""
        if isinstance(data, dict) and True in data and "on" not in data:
            return {("on" if key is True else key): value for key, value in data.items()}
        return data

    @model_validator(mode="after")
    def _sets_something(self) -> Assessment:
        if self.stance is None and self.influence is None and self.interest is None:
            msg = ("an assessment sets at least one of stance, influence or interest; "
                   "add one or remove the assessment")
            raise ValueError(msg)
        return self


def latest_assessed(assessments: tuple[Assessment, ...], field: str) -> Assessment | None:
    """The latest assessment that sets ``field`` (assessments are kept sorted by day, those
    of one day in the order given, so the last of a day wins)."""
    for assessment in reversed(assessments):
        if getattr(assessment, field) is not None:
            return assessment
    return None


class Person(NodeBase):
    """Someone on either side; the side follows from the organization they belong to.

    ``left_on`` implies ``status: left``. With ``assessments``, each of ``stance``,
    ``influence`` and ``interest`` that is not given comes from the latest assessment that
    sets it (so every reader of those fields sees the current value); one given that
    disagrees with that assessment is a consistency problem (``model.integrity``).
    """

    kind: Literal[NodeKind.PERSON] = NodeKind.PERSON
    organization: Id
    title: Name | None = None
    status: PersonStatus = Field(PersonStatus.ACTIVE,
                                 description="active or left; left when left_on is given")
    left_on: date | None = Field(None, description="the day they left (implies status: left)")
    email: Name | None = None
    stance: Stance | None = Field(None, description="attitude towards us: champion ... blocker")
    influence: Scale | None = Field(None, description="1 (low) to 5 (high)")
    interest: Scale | None = Field(None, description="1 (low) to 5 (high)")
    assessments: tuple[Assessment, ...] = Field(
        (), description="dated assessments, oldest first; the latest that sets a field is "
                        "current")
    notes: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _implied(cls, data: Any) -> Any:
        """Fill in what ``left_on`` and the assessments imply, where not given."""
        if not isinstance(data, dict):
            return data
        if data.get("left_on") is not None and data.get("status") is None:
            data = {**data, "status": PersonStatus.LEFT}
        return data

    @model_validator(mode="after")
    def _derived(self) -> Person:
        if not self.assessments:
            return self
        ordered = tuple(sorted(self.assessments, key=lambda a: a.on))
        if ordered != self.assessments:
            object.__setattr__(self, "assessments", ordered)
        for field in RATED_FIELDS:
            latest = latest_assessed(ordered, field)
            if latest is not None and getattr(self, field) is None:
                object.__setattr__(self, field, getattr(latest, field))
                self.__pydantic_fields_set__.add(field)
        return self

    def active_on(self, day: date) -> bool:
        """Whether the person was still there on ``day``: active, or left after that day."""
        return self.status is PersonStatus.ACTIVE or (
            self.left_on is not None and self.left_on > day)


class Service(NodeBase):
    """Something the provider delivers; who provides, consumes and owns it are edges."""

    kind: Literal[NodeKind.SERVICE] = NodeKind.SERVICE
    description: Text | None = None


class Agreement(NodeBase):
    """A contract or service agreement, reviewed on a schedule. It runs from ``starts`` to
    ``ends``; on ``renewal`` it renews or must be renegotiated, and notice must be given in
    the ``notice_days`` before (the notice window: ``notice_opens()`` .. ``renewal``)."""

    kind: Literal[NodeKind.AGREEMENT] = NodeKind.AGREEMENT
    next_review: date | None = Field(None, description="when the agreement is next reviewed")
    starts: date | None = Field(None, description="the first day the agreement applies")
    ends: date | None = Field(None, description="the last day the agreement applies")
    renewal: date | None = Field(
        None, description="the day the agreement renews or must be renegotiated")
    notice_days: Annotated[int, Field(ge=0, le=36_500)] | None = Field(
        None, description="days of notice before renewal (0 to 36500)")
    description: Text | None = None

    def notice_opens(self) -> date | None:
        """The first day of the notice window (``renewal`` minus ``notice_days``), or None
        when the agreement gives no renewal date or no notice period."""
        if self.renewal is None or self.notice_days is None:
            return None
        try:
            return self.renewal - timedelta(days=self.notice_days)
        except OverflowError:
            return date.min


class Meeting(NodeBase):
    """A meeting or interaction; its date feeds "last contact" for its attendees."""

    kind: Literal[NodeKind.MEETING] = NodeKind.MEETING
    date: date
    type: MeetingKind = Field(MeetingKind.OTHER, description="what the meeting was for")
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
