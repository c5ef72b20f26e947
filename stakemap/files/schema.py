"""The portfolio file format: what a person writes in YAML or JSON.

Files reference other entries by id rather than nesting them, and put each link where a
person would look for it: a person's roles, managers and decision authority on the person,
a service's provider, consumers and owners on the service, an agreement's parties on the
agreement, a meeting's attendees on the meeting, and relationships in their own list.
Short forms keep hand-written files small (``roles: [account-manager@northwind]``,
``reports_to: chen``, ``consumers: [northwind]``); ``save_portfolio`` writes the same short
forms back where they say everything.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from stakemap.model.enums import (
    AuthorityScope,
    NodeKind,
    Phase,
    ReportLine,
    Sentiment,
)
from stakemap.model.nodes import Agreement, Id, Meeting, Name, Organization, Person, Service, Text
from stakemap.model.roles import RoleDefinition

__all__ = [
    "SECTIONS",
    "AgreementEntry",
    "AuthorityEntry",
    "ConsumerEntry",
    "MeetingEntry",
    "PersonEntry",
    "PortfolioDocument",
    "RelationshipEntry",
    "ReportEntry",
    "RoleEntry",
    "ServiceEntry",
    "portfolio_schema",
]

FORMAT_VERSION: Literal[1] = 1


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleEntry(_Entry):
    """A role a person holds. Short form: ``"role@scope"`` (e.g. ``account-manager@northwind``)."""

    role: str = Field(description="a role id: built in (see `stakemap schema`) or under roles:")
    scope: Id = Field(description="the organization, service or agreement the role is held for")
    phase: Phase | None = None
    since: date | None = None
    until: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        if isinstance(data, str):
            role, sep, scope = data.partition("@")
            if not sep or not role.strip() or not scope.strip():
                msg = ("write a role as 'role@scope', e.g. 'account-manager@northwind', "
                       f"not {data!r}")
                raise ValueError(msg)
            return {"role": role.strip(), "scope": scope.strip()}
        return data


class ReportEntry(_Entry):
    """A manager. Short form: the manager's id (a solid line)."""

    to: Id
    line: ReportLine = ReportLine.SOLID

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        return {"to": data} if isinstance(data, str) else data


class AuthorityEntry(_Entry):
    """Decision authority over an organization, service or agreement within a scope."""

    scope: AuthorityScope
    over: Id


class ConsumerEntry(_Entry):
    """A customer consuming a service. Short form: the customer's id (not vital)."""

    customer: Id
    vital: bool = False

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        return {"customer": data} if isinstance(data, str) else data


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str | dict) else value


class PersonEntry(Person):
    kind: SkipJsonSchema[Literal[NodeKind.PERSON]] = NodeKind.PERSON
    roles: list[RoleEntry] = Field(default_factory=list)
    reports_to: list[ReportEntry] = Field(
        default_factory=list, description="a manager's id, or a list of them / {to, line}"
    )
    authority: list[AuthorityEntry] = Field(default_factory=list)

    @field_validator("reports_to", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)


class OrganizationEntry(Organization):
    kind: SkipJsonSchema[Literal[NodeKind.ORGANIZATION]] = NodeKind.ORGANIZATION


class ServiceEntry(Service):
    kind: SkipJsonSchema[Literal[NodeKind.SERVICE]] = NodeKind.SERVICE
    provider: list[Id] = Field(
        default_factory=list, description="the providing organization's id (or a list of ids)"
    )
    owners: list[Id] = Field(default_factory=list)
    consumers: list[ConsumerEntry] = Field(default_factory=list)

    @field_validator("provider", "owners", "consumers", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)


class AgreementEntry(Agreement):
    kind: SkipJsonSchema[Literal[NodeKind.AGREEMENT]] = NodeKind.AGREEMENT
    parties: list[Id] = Field(default_factory=list)


class MeetingEntry(Meeting):
    kind: SkipJsonSchema[Literal[NodeKind.MEETING]] = NodeKind.MEETING
    attendees: list[Id] = Field(default_factory=list)


class RelationshipEntry(_Entry):
    """Two people who know each other; the order of ``between`` does not matter."""

    between: tuple[Id, Id]
    strength: float = Field(0.5, ge=0.0, le=1.0, description="0 (barely know) to 1 (trusted)")
    sentiment: Sentiment = Sentiment.NEUTRAL
    last_contact: date | None = None
    notes: Text | None = None


class PortfolioDocument(_Entry):
    """A stakemap portfolio file."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="stakemap portfolio",
        json_schema_extra={"$id": "https://stakemap.dev/schema/portfolio-1.json"},
    )

    stakemap: Literal[1] = Field(FORMAT_VERSION, description="file format version")
    name: Name | None = None
    roles: list[RoleDefinition] = Field(default_factory=list, description="your own extra roles")
    organizations: list[OrganizationEntry] = Field(default_factory=list)
    people: list[PersonEntry] = Field(default_factory=list)
    services: list[ServiceEntry] = Field(default_factory=list)
    agreements: list[AgreementEntry] = Field(default_factory=list)
    meetings: list[MeetingEntry] = Field(default_factory=list)
    relationships: list[RelationshipEntry] = Field(default_factory=list)


SECTIONS: dict[str, type[BaseModel]] = {
    "roles": RoleDefinition,
    "organizations": OrganizationEntry,
    "people": PersonEntry,
    "services": ServiceEntry,
    "agreements": AgreementEntry,
    "meetings": MeetingEntry,
    "relationships": RelationshipEntry,
}
"""Each list section of a document and the model of one of its entries."""


def portfolio_schema() -> dict[str, Any]:
    """The JSON Schema of portfolio files (what ``stakemap schema`` prints), for editors."""
    return PortfolioDocument.model_json_schema()
