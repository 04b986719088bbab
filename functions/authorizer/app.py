"""API Gateway's TOKEN authorizer of the agent routes: `Authorization: Bearer <api token or access token>` to an
Allow policy with the principal (omnicase.api.gateway_authorizer), or a 401."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.api.gateway_authorizer import authorize
from omnicase.observability import handler_logger, traced

logger = handler_logger("authorizer")


@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return authorize(event.get("authorizationToken") or "", event.get("methodArn") or "")
