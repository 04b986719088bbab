"""The agent routes' API Gateway authorizer on moto: the function itself, and the local gateway running it the way
API Gateway does (401 before the function, the answer cached per token, routes that authenticate in the app open)."""

from __future__ import annotations

import json
from collections import Counter
from contextlib import nullcontext

import pytest

from omnicase.admin import add_agent_token, revoke_agent_tokens
from omnicase_local.gateway import HttpGateway
from omnicase_local.handlers import LambdaContext
from omnicase_local.observe import observe_invocations
from tests.integration.conftest import TOKEN

METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/Prod/GET/cases"


def authorize(stack, header: str) -> dict:
    event = {"type": "TOKEN", "authorizationToken": header, "methodArn": METHOD_ARN}
    return stack.handler("authorizer")(event, LambdaContext(function_name="authorizer"))


@pytest.fixture
def gateway(stack):
    calls: Counter[str] = Counter()

    def count(function: str):
        calls[function] += 1
        return nullcontext()

    observe_invocations(count)
    yield HttpGateway(stack.deployed), calls
    observe_invocations(None)


def test_an_agents_token_is_allowed_on_the_whole_api_with_its_tenant_agent_and_role(stack):
    token, _ = add_agent_token("acme", "zhang.wei", "agent")

    answer = authorize(stack, f"Bearer {token}")

    assert answer["principalId"] == "acme/zhang.wei"
    assert answer["context"] == {"tenant": "acme", "agent": "zhang.wei", "role": "agent"}
    (statement,) = answer["policyDocument"]["Statement"]
    # Cached per token for every route: the Allow must cover them all, not only the first one asked about.
    assert statement == {
        "Action": "execute-api:Invoke",
        "Effect": "Allow",
        "Resource": "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/Prod/*",
    }


def test_the_second_tenants_token_speaks_for_that_tenant_only(stack):
    answer = authorize(stack, "Bearer globex-token")
    assert answer["principalId"] == "globex" and answer["context"]["tenant"] == "globex"
    assert answer["context"]["role"] == "admin"  # `tenant add`'s tenant-wide token


@pytest.mark.parametrize("header", ["", "Bearer", "Basic dXNlcjpwYXNz", "Bearer no-such-token", "Bearer eyJ.e30.x"])
def test_no_bearer_or_an_unknown_one_is_unauthorized(stack, header):
    with pytest.raises(Exception, match=r"^Unauthorized$"):  # API Gateway's word for a 401
        authorize(stack, header)


def test_the_local_gateway_refuses_agent_routes_without_a_known_bearer_before_the_api_runs(stack, gateway):
    http, calls = gateway
    for headers in ({}, {"Authorization": "Token abc"}, {"Authorization": "Bearer no-such-token"}):
        status, _, body = http.handle("GET", "/cases", headers, None)
        assert (status, json.loads(body)) == (401, {"Code": "Unauthorized", "Message": "Unauthorized"})
    assert calls["ApiFunction"] == 0
    assert calls["AuthorizerFunction"] == 1  # the first two never reach it: no header, not a bearer


def test_the_authorizers_answer_is_cached_per_token_and_the_api_still_checks_each_request(stack, gateway):
    http, calls = gateway
    token, _ = add_agent_token("acme", "li.na", "supervisor")
    headers = {"Authorization": f"Bearer {token}"}

    assert http.handle("GET", "/cases", headers, None)[0] == 200
    assert http.handle("GET", "/inbox", headers, None)[0] == 200
    assert calls["AuthorizerFunction"] == 1 and calls["ApiFunction"] == 2

    revoke_agent_tokens("acme", agent_id="li.na")
    status, _, body = http.handle("GET", "/cases", headers, None)  # the gateway's cached Allow, the API's refusal
    assert status == 401 and "unknown api token" in body.decode()
    assert calls["AuthorizerFunction"] == 1


def test_routes_that_authenticate_in_the_app_need_no_bearer(stack, gateway):
    http, calls = gateway
    assert http.handle("GET", "/openapi.json", {}, None)[0] == 200
    status, _, body = http.handle("POST", "/webhooks/chat", {"Content-Type": "application/json"}, b"{}")
    # the app's own answer, with a reason, not the gateway's
    assert status != 200 and json.loads(body) != {"Code": "Unauthorized", "Message": "Unauthorized"}
    assert http.handle("GET", "/surveys/not-a-token", {}, None)[0] != 401
    assert calls["AuthorizerFunction"] == 0
    assert http.handle("GET", "/cases", {"Authorization": f"Bearer {TOKEN}"}, None)[0] == 200
