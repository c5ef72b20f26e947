"""Closed vocabularies of the model.

They are ``StrEnum`` so values compare equal to the strings written in portfolio files, and
they are the only source of Neo4j labels and relationship types: nothing a user types ever
becomes a label.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "AuthorityScope",
    "EdgeKind",
    "MeetingKind",
    "NodeKind",
    "OrgKind",
    "PersonStatus",
    "Phase",
    "ReportLine",
    "Sentiment",
    "Side",
    "Stance",
    "TieType",
]


class NodeKind(StrEnum):
    ORGANIZATION = "organization"
    PERSON = "person"
    SERVICE = "service"
    AGREEMENT = "agreement"
    MEETING = "meeting"


class EdgeKind(StrEnum):
    HOLDS_ROLE = "holds_role"
    REPORTS_TO = "reports_to"
    OWNS = "owns"
    DECISION_AUTHORITY = "decision_authority"
    RELATIONSHIP = "relationship"
    CONSUMES = "consumes"
    PROVIDES = "provides"
    PARTY_TO = "party_to"
    ATTENDED = "attended"
    DIRECTED_TIE = "directed_tie"


class OrgKind(StrEnum):
    PROVIDER = "provider"
    CUSTOMER = "customer"
    PARTNER = "partner"


class Side(StrEnum):
    """Which side of the account a role or person is on. Partners count as the provider side."""

    PROVIDER = "provider"
    CUSTOMER = "customer"


class Phase(StrEnum):
    """A customer's lifecycle phase; the customer-side roles a playbook expects depend on it."""

    BUYING = "buying"
    IMPLEMENTATION = "implementation"
    OPERATIONS = "operations"


class PersonStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"


class Stance(StrEnum):
    """A person's attitude to us, ordered from most to least favourable."""

    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    BLOCKER = "blocker"


class ReportLine(StrEnum):
    SOLID = "solid"
    DOTTED = "dotted"


class AuthorityScope(StrEnum):
    """What a decision-maker may decide: money, technology, requirements sign-off, changes."""

    BUDGET = "budget"
    TECHNICAL = "technical"
    REQUIREMENTS = "requirements"
    CHANGE = "change"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class MeetingKind(StrEnum):
    """What a meeting was for. Business reviews (quarterly ``qbr``, executive ``ebr``) and
    steering committees are where sponsors are met; workshops and escalations are working
    contact; ``social`` is the dinner after. ``change`` (forward-looking change meetings) and
    ``follow-up`` (delivery follow-up reviews) are the first version's kinds and stay valid."""

    QBR = "qbr"
    EBR = "ebr"
    WORKSHOP = "workshop"
    ESCALATION = "escalation"
    STEERING = "steering"
    SOCIAL = "social"
    CHANGE = "change"
    FOLLOW_UP = "follow-up"
    OTHER = "other"


class TieType(StrEnum):
    """What a directed tie between two people says, read from ``from`` to ``to``: the first
    influences the second, reports to them informally (outside the org chart), or is in
    conflict with them (which need not be mutual)."""

    INFLUENCES = "influences"
    REPORTS_INFORMALLY_TO = "reports-informally-to"
    CONFLICTS_WITH = "conflicts-with"
