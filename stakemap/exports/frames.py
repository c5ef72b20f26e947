"""pandas DataFrames of the people and of a gap report, for notebooks and BI tools.

pandas is an optional extra (``pip install 'stakemap[pandas]'``): it is imported only when a
frame is asked for, and its absence is one ``MissingDependencyError`` that says what to
install, never a bare ``ModuleNotFoundError`` from deep inside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stakemap.errors import MissingDependencyError
from stakemap.model.edges import HoldsRole
from stakemap.model.enums import EdgeKind, NodeKind
from stakemap.model.nodes import Organization, Person

if TYPE_CHECKING:
    from stakemap.backends import GraphStore

__all__ = ["FINDING_COLUMNS", "PEOPLE_COLUMNS", "findings_frame", "people_table",
           "require_pandas"]

PEOPLE_COLUMNS = ("id", "name", "organization", "organization_name", "side", "title",
                  "status", "left_on", "email", "stance", "influence", "interest", "roles")
"""The people table's columns, in order."""

FINDING_COLUMNS = ("code", "rule_type", "severity", "customer", "subject", "subject_name",
                   "message", "evidence", "remediation")
"""The findings table's columns, in order."""


def require_pandas() -> Any:
    """The pandas module, or ``MissingDependencyError`` naming the extra to install."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingDependencyError(
            "DataFrames need pandas; install it with: pip install 'stakemap[pandas]'"
        ) from exc
    return pd


def people_table(store: GraphStore) -> Any:
    """One row per person (``PEOPLE_COLUMNS``), sorted by id: their organization and its
    side, title, status, stance, influence, interest, and ``roles``, the sorted list of
    ``role@where`` they hold (ended ones included: the history is data too). Missing
    values are ``None``; ``influence`` and ``interest`` are nullable integers.

    Reads only people, organizations and roles from the store, never the whole graph."""
    pd = require_pandas()
    orgs = {o.id: o for o in store.nodes(NodeKind.ORGANIZATION) if isinstance(o, Organization)}
    roles: dict[str, set[str]] = {}
    for edge in store.edges(EdgeKind.HOLDS_ROLE):
        if isinstance(edge, HoldsRole):
            roles.setdefault(edge.source, set()).add(f"{edge.role}@{edge.target}")
    rows = []
    for person in store.nodes(NodeKind.PERSON):
        if not isinstance(person, Person):
            continue
        org = orgs.get(person.organization)
        rows.append({
            "id": person.id, "name": person.name, "organization": person.organization,
            "organization_name": org.name if org else None,
            "side": org.side.value if org else None, "title": person.title,
            "status": person.status.value,
            "left_on": person.left_on, "email": person.email,
            "stance": person.stance.value if person.stance else None,
            "influence": person.influence, "interest": person.interest,
            "roles": sorted(roles.get(person.id, ()))})
    frame = pd.DataFrame(rows, columns=list(PEOPLE_COLUMNS))
    for column in ("influence", "interest"):
        frame[column] = frame[column].astype("Int64")
    return frame


def findings_frame(report: Any) -> Any:
    """``report`` is a ``GapReport`` (typed loosely: analysis sits above this layer and
    calls this from ``GapReport.to_pandas``). One row per finding in the report's (rank)
    order (``FINDING_COLUMNS``): the stable code, rule type, severity, account, subject,
    message, evidence (a list) and remediation; the report's ``playbook`` and ``as_of``
    are the frame's ``attrs``."""
    pd = require_pandas()
    rows = [{"code": f.code, "rule_type": f.rule_type, "severity": f.severity.value,
             "customer": f.customer, "subject": f.subject, "subject_name": f.subject_name,
             "message": f.message, "evidence": list(f.evidence),
             "remediation": f.remediation} for f in report.findings]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    frame.attrs.update(playbook=report.playbook, as_of=report.as_of.isoformat())
    return frame
