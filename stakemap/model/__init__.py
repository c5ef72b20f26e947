"""The portfolio model: node and edge types, the role vocabulary, and consistency rules.

The model knows nothing about storage or files.
"""

from stakemap.model.edges import (
    EDGE_TYPES,
    ENDPOINTS,
    Attended,
    Consumes,
    DecisionAuthority,
    Edge,
    EdgeBase,
    HoldsRole,
    Owns,
    PartyTo,
    Provides,
    Relationship,
    ReportsTo,
)
from stakemap.model.enums import (
    AuthorityScope,
    EdgeKind,
    MeetingKind,
    NodeKind,
    OrgKind,
    PersonStatus,
    Phase,
    ReportLine,
    Sentiment,
    Side,
    Stance,
)
from stakemap.model.nodes import (
    NODE_TYPES,
    Agreement,
    Meeting,
    Node,
    NodeBase,
    Organization,
    Person,
    Service,
)
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import BUILTIN_ROLES, RoleCatalog, RoleDefinition

__all__ = [
    "BUILTIN_ROLES",
    "EDGE_TYPES",
    "ENDPOINTS",
    "NODE_TYPES",
    "Agreement",
    "Attended",
    "AuthorityScope",
    "Consumes",
    "DecisionAuthority",
    "Edge",
    "EdgeBase",
    "EdgeKind",
    "HoldsRole",
    "Meeting",
    "MeetingKind",
    "Node",
    "NodeBase",
    "NodeKind",
    "OrgKind",
    "Organization",
    "Owns",
    "PartyTo",
    "Person",
    "PersonStatus",
    "Phase",
    "Portfolio",
    "Provides",
    "Relationship",
    "ReportLine",
    "ReportsTo",
    "RoleCatalog",
    "RoleDefinition",
    "Sentiment",
    "Service",
    "Side",
    "Stance",
]
