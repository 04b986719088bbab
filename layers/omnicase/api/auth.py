"""Bearer authentication: an API token or a person's Cognito access token resolves to exactly one tenant, maybe an
agent, and a role.

Two kinds of bearer: hashed API tokens (integrations, `omnicase agents add` without a user pool) and the user pool's
access tokens (people in the console). For a person, tenant, agent and role come from omnicase's own user record of
the token's `sub`, never from a claim the client could have chosen.
"""

from __future__ import annotations

from collections.abc import Mapping

from omnicase.api.rate_limit import check_rate
from omnicase.domain.errors import Unauthorized
from omnicase.domain.model import Tenant
from omnicase.domain.principal import Principal, require_role
from omnicase.persistence.tenant_store import hash_token
from omnicase.wiring import tenant_directory

NO_ACCESS = "this person has no access to omnicase (revoked, or never added with `omnicase agents add`)"


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of `Authorization: Bearer <token>`, or None."""
    scheme, _, token = (headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def looks_like_jwt(token: str) -> bool:
    """Three dot-separated parts starting with a JSON header: `omnicase agents add` refuses such API tokens, so the
    two kinds never overlap."""
    return token.startswith("eyJ") and token.count(".") == 2


def _resolve(token: str) -> tuple[str, Principal | None]:
    token_hash = hash_token(token)
    return token_hash, tenant_directory().principal_for_token_hash(token_hash)


def _person(token: str) -> tuple[str, Principal]:
    """(rate-limit key, principal) of an access token; Unauthorized with the reason otherwise."""
    from omnicase.wiring import access_token_verifier, people_directory  # PyJWT only once a person calls

    sub = access_token_verifier().verify(token).sub
    principal = people_directory().principal_for_sub(sub)
    if principal is None:
        raise Unauthorized(NO_ACCESS)
    return f"USER#{sub}", principal


def principal_of_token(token: str) -> Principal | None:
    """Whom a bearer token speaks for (None: an unknown API token; Unauthorized: a bad or unknown person's token).
    Not rate counted: API Gateway's authorizer asks before the route, which then counts the request once."""
    return _person(token)[1] if looks_like_jwt(token) else _resolve(token)[1]


def principal_of_request(headers: Mapping[str, str]) -> Principal:
    """Who sent the request (Unauthorized for a missing, unknown, revoked or expired credential), counted against
    its rate limit (RateLimited). Call it once per request: every call counts."""
    token = bearer_token(headers)
    if token is None:
        raise Unauthorized("send Authorization: Bearer <api token or session token>")
    if looks_like_jwt(token):
        rate_key, principal = _person(token)
    else:
        rate_key, found = _resolve(token)
        if found is None:
            raise Unauthorized("unknown api token")
        principal = found
    check_rate(principal.tenant.tenant_id, rate_key)  # after auth: unknown credentials must not create counters
    return principal


def principal_with_role(headers: Mapping[str, str], role: str) -> Principal:
    """principal_of_request, then Forbidden unless it has at least `role`."""
    principal = principal_of_request(headers)
    require_role(principal, role)
    return principal


def tenant_of_request(headers: Mapping[str, str]) -> Tenant:
    """The tenant of the request's `Authorization: Bearer <token>`; Unauthorized otherwise (rate limited)."""
    return principal_of_request(headers).tenant


def actor_of(headers: Mapping[str, str]) -> str:
    """Who acts, for the audit trail: the person's or the token's agent; for a tenant-wide token
    `X-Omnicase-Agent`, else "api".

    A person or an agent's token ignores the header: no one may act (and sign the audit trail) as someone else. Not
    rate counted: the route authenticated already, and principals are cached, so this costs no request.
    """
    token = bearer_token(headers)
    principal = principal_of_token(token) if token else None
    if principal is not None and principal.agent_id:
        return principal.agent_id
    agent = (headers.get("x-omnicase-agent") or "").strip()
    return agent[:64] if agent else "api"
