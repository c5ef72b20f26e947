"""Gap rules as data: a rule type plus its parameters, read from a playbook.

Rules say *what* to look for; each backend says *how*, where the data lives (Python over the
in-memory graph, Cypher in Neo4j). This package sits below the backends: they import it,
never ``stakemap.analysis``.

- ``base``: severity, the ``when`` selector, ``RuleBase`` (parameters, wording, diagram tag,
  typed hit detail), ``Hit``, and the registries (``RULE_TYPES``, ``Implementations``);
- ``catalog``: the rule types, one class each;
- ``vocabulary``: account, team, side and decision-maker, in Python and in Cypher.
"""

from stakemap.rules.base import (
    ALL_SCOPES,
    DIMENSIONS,
    RULE_TYPES,
    Account,
    AccountSizes,
    Dimension,
    Hit,
    Implementations,
    NetworkRule,
    RuleBase,
    RuleDetail,
    RuleNotImplementedError,
    Scope,
    Selector,
    Severity,
    rule_type,
)
from stakemap.rules.catalog import (
    AgreementReviewOverdue,
    AuthorityConflict,
    AuthorityMissing,
    BlockerWithoutChampion,
    GatekeeperUncovered,
    HiddenInfluencer,
    LeftButHoldsRole,
    NoMeetingInDays,
    OverloadedPerson,
    RenewalWithoutExecutiveContact,
    RequiredRole,
    Rule,
    SingleThreaded,
    StaleContact,
    StaleRelationship,
    UncoveredDecisionMaker,
    UnownedService,
    VitalSinglePoint,
)

__all__ = [
    "ALL_SCOPES",
    "DIMENSIONS",
    "RULE_TYPES",
    "Account",
    "AccountSizes",
    "AgreementReviewOverdue",
    "AuthorityConflict",
    "AuthorityMissing",
    "BlockerWithoutChampion",
    "Dimension",
    "GatekeeperUncovered",
    "HiddenInfluencer",
    "Hit",
    "Implementations",
    "LeftButHoldsRole",
    "NetworkRule",
    "NoMeetingInDays",
    "OverloadedPerson",
    "RenewalWithoutExecutiveContact",
    "RequiredRole",
    "Rule",
    "RuleBase",
    "RuleDetail",
    "RuleNotImplementedError",
    "Scope",
    "Selector",
    "Severity",
    "SingleThreaded",
    "StaleContact",
    "StaleRelationship",
    "UncoveredDecisionMaker",
    "UnownedService",
    "VitalSinglePoint",
    "rule_type",
]
