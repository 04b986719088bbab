"""The local gateway's Lambda TOKEN authorizers, run the way API Gateway runs them.

API Gateway's rules (its developer guide, "Use API Gateway Lambda authorizers"): a request without the identity
header, or one the ValidationExpression refuses, gets 401 without invoking the function; the function raising
"Unauthorized" is a 401; a policy that does not allow the method ARN is a 403; any other failure is a 500; an
answer is cached per token for ReauthorizeEvery seconds and applies to every route behind the authorizer.
"""

from __future__ import annotations

import fnmatch
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from omnicase_local.handlers import LambdaContext, lambda_invocation, load_handler
from omnicase_local.observe import invocation
from omnicase_local.sam_template import TokenAuthorizer
from omnicase_local.stack import DeployedStack

API_ARN = "arn:aws:execute-api:local:000000000000:omnicase-local/local"


class Refused(Exception):
    """The gateway's own answer instead of the route's: status and API Gateway's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _allows(policy: dict[str, Any], method_arn: str) -> bool:
    """IAM's rule for one action: an explicit Deny wins, then some Allow must match (`*` matches anything)."""
    statements = (policy.get("policyDocument") or {}).get("Statement") or []
    matched = {"Allow": False, "Deny": False}
    for statement in statements if isinstance(statements, list) else [statements]:
        resources = statement.get("Resource") or []
        for resource in resources if isinstance(resources, list) else [resources]:
            if fnmatch.fnmatchcase(method_arn, resource):
                matched[statement.get("Effect", "")] = True
    return matched["Allow"] and not matched["Deny"]


class GatewayAuthorizers:
    """Runs the stack's authorizer functions in front of their routes, answers cached per (authorizer, token)."""

    def __init__(self, stack: DeployedStack, clock: Callable[[], float] = time.monotonic) -> None:
        self._stack = stack
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def authorize(self, authorizer: TokenAuthorizer, method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
        """The authorizer's answer (principalId, context) for this request; Refused with API Gateway's status."""
        token = next((v for k, v in headers.items() if k.lower() == authorizer.header.lower()), "")
        expression = authorizer.validation_expression
        if not token or (expression and not re.fullmatch(expression, token)):
            raise Refused(401, "Unauthorized")
        method_arn = f"{API_ARN}/{method}{path}"
        key = (authorizer.function, token)
        with self._lock:
            expires, answer = self._cache.get(key, (0.0, {}))
        if self._clock() >= expires:
            answer = self._invoke(authorizer, token, method_arn)
            if authorizer.ttl_seconds > 0:
                with self._lock:
                    self._cache[key] = (self._clock() + authorizer.ttl_seconds, answer)
        if not _allows(answer, method_arn):
            raise Refused(403, "User is not authorized to access this resource")
        return answer

    def _invoke(self, authorizer: TokenAuthorizer, token: str, method_arn: str) -> dict[str, Any]:
        function = self._stack.functions[authorizer.function]
        handler = load_handler(function.code_dir, function.handler)
        event = {"type": "TOKEN", "authorizationToken": token, "methodArn": method_arn}
        context = LambdaContext(function_name=function.name, timeout_seconds=function.timeout)
        try:
            with lambda_invocation(function.logical_id), invocation(function.logical_id):
                answer = handler(event, context)
        except Exception as error:
            if str(error) == "Unauthorized":
                raise Refused(401, "Unauthorized") from None
            raise Refused(500, "Internal server error") from error
        if not isinstance(answer, dict) or "principalId" not in answer:
            raise Refused(500, "Internal server error")
        return answer
