"""The role vocabulary: which roles exist, on which side, and what each is for.

Roles are data, not strings scattered through the code: the built-in catalogue below is
distilled from the domain material (the provider's account / solution / fulfillment trio,
the MSP account team, the IT customer-management team, and the customer-side roles per
lifecycle phase). A portfolio may declare extra roles; ``RoleCatalog`` merges the two and
answers "is this a role, and which side holds it".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pydantic import BaseModel, ConfigDict, Field

from stakemap.model.enums import Phase, Side

__all__ = ["BUILTIN_ROLES", "ROLE_ID_PATTERN", "RoleCatalog", "RoleDefinition"]

ROLE_ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_ROLE_ID = re.compile(ROLE_ID_PATTERN)


class RoleDefinition(BaseModel):
    """One role a person can hold. ``phases`` lists the lifecycle phases where it matters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ROLE_ID_PATTERN, description="kebab-case id used in portfolio files")
    side: Side
    name: str = Field(min_length=1)
    description: str = ""
    deliverable: str | None = None
    phases: tuple[Phase, ...] = ()


def _role(
    id: str,
    side: Side,
    name: str,
    description: str,
    *,
    deliverable: str | None = None,
    phases: tuple[Phase, ...] = (),
) -> RoleDefinition:
    return RoleDefinition(
        id=id, side=side, name=name, description=description, deliverable=deliverable,
        phases=phases,
    )


_P, _C = Side.PROVIDER, Side.CUSTOMER
_ALL_PHASES = (Phase.BUYING, Phase.IMPLEMENTATION, Phase.OPERATIONS)

BUILTIN_ROLES: tuple[RoleDefinition, ...] = (
    # Provider: the account / solution / fulfillment trio.
    _role("account-responsible", _P, "Customer Account Responsible (ACR)",
          "Owns the account relationship: opportunities, commercial and communication management."),
    _role("solution-responsible", _P, "Customer Solution Responsible (CSR)",
          "End-to-end solution integrity: captures, prioritizes and signs off requirements, "
          "maps them to the portfolio and hands the design to fulfillment."),
    _role("fulfillment-responsible", _P, "Customer Fulfillment Responsible (CFR)",
          "Turns the solution into reality: project management, delivery, integration, "
          "acceptance testing and hand-over to operations."),
    # Provider: the managed-service provider's account team.
    _role("executive-partner", _P, "Executive Partner",
          "Senior sponsor on our side who removes obstacles to the customer's success.",
          deliverable="Shares the company vision with the customer"),
    _role("account-manager", _P, "Account Manager",
          "Overall owner of the relationship with the customer.",
          deliverable="Account plan"),
    _role("sales-engineer", _P, "Sales Engineer",
          "Technical arm of the account manager for business development.",
          deliverable="Configuration diagram of the customer's solution"),
    _role("professional-services", _P, "Professional Services",
          "Takes the solution to production; often assigned as needed.",
          deliverable="The customer's production solution"),
    _role("customer-service-manager", _P, "Customer Service Manager",
          "Responsible for the customer's whole service experience.",
          deliverable="Operations review report"),
    _role("technical-lead", _P, "Technical Lead",
          "Guards the operational soundness of the customer's configuration; no change "
          "without the lead's notice and approval.",
          deliverable="Operations document"),
    # Provider: the IT organization's customer team.
    _role("business-relationship-manager", _P, "Business Relationship Manager",
          "Overall responsibility for the customer and the value of its IT services; "
          "draws up the agreement."),
    _role("delivery-manager", _P, "Delivery Manager",
          "Responsible for the agreed delivery and the contact with the customer's purchaser."),
    _role("service-owner", _P, "Service Owner",
          "Accountable for one service delivered to the customer."),
    # Customer side, by lifecycle phase.
    _role("executive-sponsor", _C, "Executive Sponsor",
          "Gives the engagement leadership and strategic direction.", phases=_ALL_PHASES),
    _role("business-owner", _C, "Business (Process) Owner",
          "Owns the business process end to end and keeps requirements aligned with it.",
          phases=_ALL_PHASES),
    _role("system-owner", _C, "System Owner",
          "Maximizes the value the product delivers and that its functions are used.",
          phases=_ALL_PHASES),
    _role("system-administrator", _C, "System Administrator",
          "Configures and manages the product and guides its end users.",
          phases=(Phase.IMPLEMENTATION, Phase.OPERATIONS)),
    _role("functional-area-manager", _C, "Functional Area Manager",
          "Knows an area's end-user needs and settles its requirement priorities.",
          phases=(Phase.IMPLEMENTATION,)),
    _role("end-user", _C, "End User",
          "Uses the delivered service in daily work.", phases=(Phase.OPERATIONS,)),
    _role("authorized-representative", _C, "Authorized Representative",
          "May decide which services the customer needs and their requirements."),
    _role("purchaser", _C, "Purchaser",
          "Buys services on the customer's behalf; the delivery manager's counterpart."),
)


class RoleCatalog:
    """The built-in roles plus a portfolio's own, looked up by id."""

    def __init__(self, extra: Iterable[RoleDefinition] = ()) -> None:
        self._roles: dict[str, RoleDefinition] = {r.id: r for r in BUILTIN_ROLES}
        self.extra: tuple[RoleDefinition, ...] = tuple(extra)
        for role in self.extra:
            self._roles[role.id] = role

    def __contains__(self, role_id: object) -> bool:
        return role_id in self._roles

    def __getitem__(self, role_id: str) -> RoleDefinition:
        return self._roles[role_id]

    def __iter__(self) -> Iterator[RoleDefinition]:
        return iter(self._roles.values())

    def __len__(self) -> int:
        return len(self._roles)

    def get(self, role_id: str) -> RoleDefinition | None:
        return self._roles.get(role_id)

    def ids(self) -> list[str]:
        return list(self._roles)

    @staticmethod
    def is_valid_id(role_id: str) -> bool:
        return bool(_ROLE_ID.match(role_id))
