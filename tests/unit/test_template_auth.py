"""Every API route declares its authentication, so `sam deploy --guided` asks nothing and no agent route is open.

SAM CLI's rule (samcli/commands/deploy/auth_utils.py, `auth_per_resource`): a function's `Api` event counts as
authenticated when the event has an `Auth` block, or when the API it belongs to (the implicit API takes
`Globals.Api`) has one. `./dev deploy-check` runs SAM's own function (infra/deploy/check_guided_auth.py); this is
the same rule without the SAM CLI, plus which routes may go without the authorizer.
"""

from __future__ import annotations

from pathlib import Path

from omnicase_local.sam_template import load_yaml, read_sam_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_yaml(ROOT / "template.yaml")
# Authenticated in the app (provider signatures, single-use survey tokens, passwords) or public (/openapi.json).
APP_AUTHENTICATED = {
    "SmsWebhookFunction",
    "ChatWebhookFunction",
    "WechatWebhookFunction",
    "SurveyPageFunction",
    "SessionFunction",
}
PUBLIC_ROUTES = {("GET", "/openapi.json")}


def _api_events() -> list[tuple[str, dict]]:
    return [
        (logical_id, event.get("Properties") or {})
        for logical_id, resource in TEMPLATE["Resources"].items()
        if resource.get("Type") == "AWS::Serverless::Function"
        for event in (resource["Properties"].get("Events") or {}).values()
        if event.get("Type") == "Api"
    ]


def test_sam_guided_deploy_finds_authentication_on_every_route():
    api_auth = ((TEMPLATE.get("Globals") or {}).get("Api") or {}).get("Auth")
    unauthenticated = [
        f"{function} {props['Method']} {props['Path']}"
        for function, props in _api_events()
        if not props.get("Auth") and not (not props.get("RestApiId") and api_auth)
    ]
    assert unauthenticated == []


def test_the_default_authorizer_is_the_lambda_token_authorizer_of_both_bearers():
    auth = TEMPLATE["Globals"]["Api"]["Auth"]
    authorizer = auth["Authorizers"][auth["DefaultAuthorizer"]]
    assert authorizer["FunctionPayloadType"] == "TOKEN"
    assert authorizer["FunctionArn"] == {"Fn::GetAtt": ["AuthorizerFunction", "Arn"]}
    assert authorizer["Identity"]["Header"] == "Authorization"
    assert TEMPLATE["Resources"]["AuthorizerFunction"]["Properties"]["Handler"] == "app.handler"


def test_only_routes_that_authenticate_in_the_app_skip_the_authorizer():
    routes = read_sam_template(ROOT / "template.yaml").routes
    open_routes = {(r.function, r.method, r.path) for r in routes if r.authorizer is None}
    expected = {
        (r.function, r.method, r.path)
        for r in routes
        if r.function in APP_AUTHENTICATED or (r.method, r.path) in PUBLIC_ROUTES
    }
    assert open_routes == expected
    assert {r.authorizer.function for r in routes if r.authorizer} == {"AuthorizerFunction"}
    assert sum(1 for r in routes if r.authorizer) >= 20  # the agent API's routes
