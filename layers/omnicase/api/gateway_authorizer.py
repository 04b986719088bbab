"""API Gateway's Lambda TOKEN authorizer for the agent routes: the same two bearers the API accepts (hashed API
tokens and the user pool's access tokens), checked at the edge before the API function runs.

API Gateway caches the answer per token (`ReauthorizeEvery`), so the policy allows the whole API: a cached Allow
is reused for every route, and the routes still check the role and count the rate themselves. A credential
revoked meanwhile is still refused by the API function (its own caches last seconds, not minutes).
"""

from __future__ import annotations

from typing import Any

from omnicase.api.auth import bearer_token, principal_of_token
from omnicase.domain.errors import Unauthorized

# API Gateway answers 401 when the authorizer raises exactly this message (any other error is a 500).
UNAUTHORIZED = "Unauthorized"


class GatewayUnauthorized(Exception):
    """Raised to API Gateway: no bearer, or one that speaks for no one (a 401 to the caller)."""

    def __init__(self) -> None:
        super().__init__(UNAUTHORIZED)


def api_wide_resource(method_arn: str) -> str:
    """`arn:…:execute-api:region:account:api/stage/*`: every method and path of the stage the request came to."""
    api, stage, *_ = [*method_arn.split("/", 2), ""]
    return f"{api}/{stage}/*" if stage else method_arn


def authorize(authorization_header: str, method_arn: str) -> dict[str, Any]:
    """The IAM policy (Allow on the whole API) with the principal in `context`; GatewayUnauthorized otherwise."""
    token = bearer_token({"authorization": authorization_header or ""})
    if token is None:
        raise GatewayUnauthorized
    try:
        principal = principal_of_token(token)
    except Unauthorized:
        raise GatewayUnauthorized from None
    if principal is None:
        raise GatewayUnauthorized
    tenant_id = principal.tenant.tenant_id
    return {
        # Shown in the stage's access log ($context.authorizer.principalId): who read which case.
        "principalId": f"{tenant_id}/{principal.agent_id}" if principal.agent_id else tenant_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": api_wide_resource(method_arn)}
            ],
        },
        # Strings only (API Gateway's rule); an agent-less token has an empty agent.
        "context": {"tenant": tenant_id, "agent": principal.agent_id or "", "role": principal.role},
    }
