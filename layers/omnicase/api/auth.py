"""Bearer-token authentication: a token resolves to exactly one tenant, maybe an agent, and a role."""

from __future__ import annotations

from collections.abc import Mapping

from omnicase.api.principal import Principal
from omnicase.api.rate_limit import check_rate
from omnicase.domain.errors import Forbidden, Unauthorized
from omnicase.domain.model import Tenant
from omnicase.persistence.tenant_store import hash_token
from omnicase.wiring import tenant_directory


def _bearer_token(headers: Mapping[str, str]) -> str | None:
    scheme, _, token = (headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _resolve(token: str) -> tuple[str, Principal | None]:
    token_hash = hash_token(token)
    return token_hash, tenant_directory().principal_for_token_hash(token_hash)


def principal_of_request(headers: Mapping[str, str]) -> Principal:
    """Who sent the request (Unauthorized for a missing, unknown or revoked token), counted against the token's
    rate limit (RateLimited). Call it once per request: every call counts."""
    token = _bearer_token(headers)
    if token is None:
        raise Unauthorized("send Authorization: Bearer <api token>")
    token_hash, principal = _resolve(token)
    if principal is None:
        raise Unauthorized("unknown api token")
    check_rate(principal.tenant.tenant_id, token_hash)  # after auth: unknown tokens must not create counters
    return principal


def require_role(principal: Principal, role: str) -> None:
    """Forbidden unless the principal has at least `role` ("agent" < "supervisor" < "admin")."""
    if not principal.has_role(role):
        raise Forbidden(f"this needs the {role} role; the token has {principal.role}")


def tenant_of_request(headers: Mapping[str, str]) -> Tenant:
    """The tenant of the request's `Authorization: Bearer <token>`; Unauthorized otherwise (rate limited)."""
    return principal_of_request(headers).tenant


def actor_of(headers: Mapping[str, str]) -> str:
    """Who acts, for the audit trail: the token's agent; for a tenant-wide token `X-Omnicase-Agent`, else "api".

    An agent's token ignores the header: a token must not act (and sign the audit trail) as someone else. Not rate
    counted: the route authenticated already, and the token's principal is cached, so this costs no request.
    """
    token = _bearer_token(headers)
    principal = _resolve(token)[1] if token else None
    if principal is not None and principal.agent_id:
        return principal.agent_id
    agent = (headers.get("x-omnicase-agent") or "").strip()
    return agent[:64] if agent else "api"
