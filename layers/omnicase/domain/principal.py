"""Who a request speaks for: a tenant, maybe an agent, and a role — pure, no AWS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from omnicase.domain.errors import Forbidden

if TYPE_CHECKING:
    from omnicase.domain.model import Tenant

# Lowest to highest: each role may do everything the roles before it may.
ROLES: tuple[str, ...] = ("agent", "supervisor", "admin")
# Tokens made by `omnicase tenant add` before tokens carried roles were the tenant's only credential.
LEGACY_ROLE = "admin"


def role_rank(role: str) -> int:
    """Position of `role` in ROLES; ValueError for a role that does not exist."""
    try:
        return ROLES.index(role)
    except ValueError:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}") from None


@dataclass(frozen=True)
class Principal:
    tenant: Tenant
    agent_id: str | None  # None: a tenant-wide token (integrations, tokens from before agents existed)
    role: str

    def __post_init__(self) -> None:
        role_rank(self.role)  # an unknown role stored by hand must not silently rank anywhere

    def has_role(self, role: str) -> bool:
        """At least `role`: a supervisor may do what an agent may."""
        return role_rank(self.role) >= role_rank(role)


def require_role(principal: Principal, role: str) -> None:
    """Forbidden unless the principal has at least `role` ("agent" < "supervisor" < "admin")."""
    if not principal.has_role(role):
        raise Forbidden(f"this needs the {role} role; the token has {principal.role}")
