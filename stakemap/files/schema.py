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

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema

from stakemap.model.enums import (
    AuthorityScope,
    NodeKind,
    Phase,
    ReportLine,
    Sentiment,
    TieType,
)
from stakemap.model.nodes import Agreement, Id, Meeting, Name, Organization, Person, Service, Text
from stakemap.model.roles import RoleDefinition

__all__ = [
    "SECTIONS",
    "AgreementEntry",
    "AuthorityEntry",
    "ConsumerEntry",
    "FileSchema",
    "MeetingEntry",
    "PersonEntry",
    "PortfolioDocument",
    "RelationshipEntry",
    "ReportEntry",
    "RoleEntry",
    "ServiceEntry",
    "portfolio_schema",
]

FORMAT_VERSION: Literal[2] = 2
"""The version ``save_portfolio`` writes. Version 1 files load unchanged (same meaning);
version 2 added people's ``left_on`` and ``assessments``, agreements' dates and notice,
more meeting types, directed ties and an optional relationship strength, all of which
version 1 files may use too."""


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PORTFOLIO_SCHEMA_ID = "https://stakemap.dev/schema/portfolio-2.json"

SCHEMA_KEY_DESCRIPTION = ("the JSON Schema this file follows (for editors); "
                          "ignored when loading, not written back when saving")

YAML11_BOOLEAN_WORDS = ("yes", "Yes", "YES", "no", "No", "NO",
                        "on", "On", "ON", "off", "Off", "OFF")
"""Words PyYAML (YAML 1.1, what the loader reads) takes for true or false, but editors'
YAML 1.2 parsers read as text: ``vital: yes`` loads, so the schema must accept it too."""


class FileSchema(GenerateJsonSchema):
    """The JSON Schema of a file as editors read it, never stricter than the loader.

    Pydantic writes the schema of each model's own fields; this adds what reading a file
    accepts beyond them: the draft the schema is written in (editors pick their validator
    by it) and the YAML 1.1 words for booleans. The short forms are declared on the
    models themselves (``_or_short``, ``_one_or_list``), next to the validators that
    accept them, so the schema cannot drift from the loader.
    """

    def generate(self, schema: CoreSchema, mode: Any = "validation") -> JsonSchemaValue:
        result = super().generate(schema, mode=mode)
        return {"$schema": JSON_SCHEMA_DIALECT, **result}

    def bool_schema(self, schema: Any) -> JsonSchemaValue:
        return {"anyOf": [{"type": "boolean"}, {"enum": list(YAML11_BOOLEAN_WORDS)}]}


def _or_short(short: dict[str, Any]) -> Callable[[dict[str, Any], type], None]:
    """A model's JSON Schema extended with its short form (a string it also accepts):
    the model's schema becomes ``anyOf: [short, long]``, keeping its title and text."""

    def extend(schema: dict[str, Any], cls: type) -> None:
        long = dict(schema)
        schema.clear()
        for key in ("title", "description"):
            if key in long:
                schema[key] = long.pop(key)
        schema["anyOf"] = [short, long]

    return extend


def _one_or_list(schema: dict[str, Any]) -> None:
    """A list field that also takes one item alone (``reports_to: chen``): its schema
    becomes ``anyOf: [item, list of items]``, as the ``_as_list`` validators read it."""
    listed = {key: schema.pop(key) for key in ("type", "items") if key in schema}
    schema["anyOf"] = [listed["items"], listed]


_ID_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
_ROLE_AT_SCOPE = {
    "type": "string",
    # role, '@', scope: each non-blank; the scope is all after the first '@'
    "pattern": r"^[^@]*[^\s@][^@]*@[\s\S]*\S[\s\S]*$",
    "description": "short form: role@scope, e.g. account-manager@northwind",
}


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleEntry(_Entry):
    """A role a person holds. Short form: ``"role@scope"`` (e.g. ``account-manager@northwind``)."""

    model_config = ConfigDict(extra="forbid", frozen=True,
                              json_schema_extra=_or_short(_ROLE_AT_SCOPE))

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

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_or_short(
        {**_ID_TEXT, "description": "short form: the manager's id (a solid line)"}))

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

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_or_short(
        {**_ID_TEXT, "description": "short form: the customer's id (not vital)"}))

    customer: Id
    vital: bool = False

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        return {"customer": data} if isinstance(data, str) else data


_KIND = "optional: the section already says what the entry is"


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str | dict) else value


class PersonEntry(Person):
    kind: Literal[NodeKind.PERSON] = Field(NodeKind.PERSON, description=_KIND)
    roles: list[RoleEntry] = Field(default_factory=list)
    reports_to: list[ReportEntry] = Field(
        default_factory=list, description="a manager's id, or a list of them / {to, line}",
        json_schema_extra=_one_or_list,
    )
    authority: list[AuthorityEntry] = Field(default_factory=list)

    @field_validator("reports_to", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)


class OrganizationEntry(Organization):
    kind: Literal[NodeKind.ORGANIZATION] = Field(NodeKind.ORGANIZATION, description=_KIND)


class ServiceEntry(Service):
    kind: Literal[NodeKind.SERVICE] = Field(NodeKind.SERVICE, description=_KIND)
    provider: list[Id] = Field(
        default_factory=list, description="the providing organization's id (or a list of ids)",
        json_schema_extra=_one_or_list,
    )
    owners: list[Id] = Field(default_factory=list, description="an owner's id, or a list",
                             json_schema_extra=_one_or_list)
    consumers: list[ConsumerEntry] = Field(
        default_factory=list, description="a customer's id, or a list of them / {customer, "
                                          "vital}", json_schema_extra=_one_or_list)

    @field_validator("provider", "owners", "consumers", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)


class AgreementEntry(Agreement):
    kind: Literal[NodeKind.AGREEMENT] = Field(NodeKind.AGREEMENT, description=_KIND)
    parties: list[Id] = Field(default_factory=list)


class MeetingEntry(Meeting):
    kind: Literal[NodeKind.MEETING] = Field(NodeKind.MEETING, description=_KIND)
    attendees: list[Id] = Field(default_factory=list)


_UNDIRECTED_ONLY = ("sentiment", "last_contact")
_DIRECTED_ONLY = ("from_", "to", "type", "since")
_UNDIRECTED_FORM: dict[str, Any] = {
    "title": "undirected: {between: [a, b]}",
    "required": ["between"],
    "properties": {"between": {"type": "array"}},
    "not": {"anyOf": [{"required": ["from" if f == "from_" else f]} for f in _DIRECTED_ONLY]},
}
_DIRECTED_FORM: dict[str, Any] = {
    "title": "directed: {from: a, to: b, type: influences}",
    "required": ["from", "to", "type"],
    "properties": {"between": {"type": "null"}, "from": {"type": "string"},
                   "to": {"type": "string"}, "type": {"type": "string"}},
    "not": {"anyOf": [{"required": [f]} for f in _UNDIRECTED_ONLY]},
}
"""The two forms ``_one_form`` accepts, for editors: a relationship is exactly one."""
_TWO_FORMS = ("write {between: [a, b]} for two people who know each other, or "
              "{from: a, to: b, type: influences} for a directed tie")


class RelationshipEntry(_Entry):
    """Two people who know each other, ``{between: [a, b]}`` (undirected: the order does
    not matter), or a directed tie ``{from: a, to: b, type: influences}`` (the first
    influences the second, reports to them informally, or is in conflict with them)."""

    # Files say "from" only: "from_" (the attribute's name, as Python cannot name it
    # "from") is an unknown field, so what loads is exactly what the schema describes.
    model_config = ConfigDict(
        extra="forbid", frozen=True,
        json_schema_extra={"oneOf": [_UNDIRECTED_FORM, _DIRECTED_FORM]},
    )

    between: tuple[Id, Id] | None = Field(
        None, description="two people who know each other (undirected)")
    from_: Id | None = Field(None, alias="from", description="a directed tie's first person")
    to: Id | None = Field(None, description="a directed tie's second person")
    type: TieType | None = Field(
        None, description="a directed tie's type: influences, reports-informally-to, "
                          "conflicts-with")
    strength: float | None = Field(
        None, ge=0.0, le=1.0,
        description="0 (barely know, weak) to 1 (trusted, strong); leave out if unknown")
    sentiment: Sentiment = Field(Sentiment.NEUTRAL, description="undirected only")
    last_contact: date | None = Field(None, description="undirected only")
    since: date | None = Field(None, description="directed only: since when the tie holds")
    notes: Text | None = None

    @property
    def directed(self) -> bool:
        return self.between is None

    @model_validator(mode="after")
    def _one_form(self) -> RelationshipEntry:
        given = self.model_fields_set
        if self.between is not None:
            extra = [f for f in _DIRECTED_ONLY if f in given]
            if extra:
                names = ", ".join("from" if f == "from_" else f for f in extra)
                msg = (f"a relationship with 'between' is undirected and has no {names}; "
                       f"{_TWO_FORMS}")
                raise ValueError(msg)
            return self
        if self.from_ is None and self.to is None and self.type is None:
            msg = f"a relationship needs 'between' or 'from' and 'to'; {_TWO_FORMS}"
            raise ValueError(msg)
        missing = [n for n, v in (("from", self.from_), ("to", self.to), ("type", self.type))
                   if v is None]
        if missing:
            msg = (f"a directed tie needs {', '.join(repr(m) for m in missing)} too; "
                   f"{_TWO_FORMS}")
            raise ValueError(msg)
        extra = [f for f in _UNDIRECTED_ONLY if f in given]
        if extra:
            msg = (f"a directed tie has no {', '.join(extra)} (only undirected relationships "
                   f"do); remove it, or write the relationship as {{between: [a, b]}}")
            raise ValueError(msg)
        return self


class PortfolioDocument(_Entry):
    """A stakemap portfolio file."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="stakemap portfolio",
        json_schema_extra={"$id": PORTFOLIO_SCHEMA_ID},
    )

    stakemap: Literal[1, 2] = Field(
        FORMAT_VERSION, description="file format version: 2 (1 still loads, same meaning)")
    name: Name | None = None
    roles: list[RoleDefinition] = Field(default_factory=list, description="your own extra roles")
    organizations: list[OrganizationEntry] = Field(default_factory=list)
    people: list[PersonEntry] = Field(default_factory=list)
    services: list[ServiceEntry] = Field(default_factory=list)
    agreements: list[AgreementEntry] = Field(default_factory=list)
    meetings: list[MeetingEntry] = Field(default_factory=list)
    relationships: list[RelationshipEntry] = Field(default_factory=list)
    schema_: str | None = Field(None, alias="$schema", title="$schema",
                                description=SCHEMA_KEY_DESCRIPTION)


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
    """The JSON Schema of portfolio files (what ``stakemap schema`` prints), for editors.

    It accepts every form the loader accepts (the short forms, a ``$schema`` key, version
    1 and 2), so an editor never marks a file that loads; the loader checks more than a
    schema can say (ids that exist, roles held at the right side, no reporting cycles).
    One leniency is left out on purpose: pydantic's coercion of text to numbers and
    booleans (``influence: "4"``, ``"vital": "true"`` in JSON) loads, but is not the
    format, and an editor's mark there is a useful nudge; the YAML 1.1 boolean words
    (``vital: yes``) are in, since YAML files are written that way.
    """
    return PortfolioDocument.model_json_schema(by_alias=True, schema_generator=FileSchema)
