"""Bearer-token authentication: a token resolves to exactly one tenant."""

from __future__ import annotations

from collections.abc import Mapping

from omnicase.domain.errors import Unauthorized
from omnicase.domain.model import Tenant
from omnicase.wiring import tenant_directory


def tenant_of_request(headers: Mapping[str, str]) -> Tenant:
    """The tenant of the request's `Authorization: Bearer <token>`; Unauthorized otherwise."""
    scheme, _, token = (headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send Authorization: Bearer <api token>")
    tenant = tenant_directory().tenant_for_token(token.strip())
    if tenant is None:
        raise Unauthorized("unknown api token")
    return tenant


def actor_of(headers: Mapping[str, str]) -> str:
    """Who acts, for the audit trail: `X-Omnicase-Agent` (an agent id) until tokens carry their agent."""
    agent = (headers.get("x-omnicase-agent") or "").strip()
    return agent[:64] if agent else "api"
