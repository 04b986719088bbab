"""The OpenAPI document (layers/omnicase/api/openapi.json) is valid OpenAPI 3 and names exactly the apps' routes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from chalice import Chalice
from openapi_spec_validator import validate

from omnicase.api.openapi_document import openapi_document
from omnicase_local.handlers import HandlerNotFound, load_handler

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "layers" / "omnicase" / "api" / "openapi.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
WEBHOOK_AND_API_APPS = {"api", "chat_webhook", "sms_webhook", "wechat_webhook"}


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def chalice_apps() -> dict[str, Chalice]:
    """Every functions/*/app.py whose `app` is a Chalice app, loaded as Lambda (and test_template_routes) would."""
    apps = {}
    for source in sorted((ROOT / "functions").glob("*/app.py")):
        try:
            app = load_handler(source.parent, "app.app")
        except HandlerNotFound:
            continue  # a plain Lambda handler (streams, SNS, Step Functions): no HTTP routes
        if isinstance(app, Chalice):
            apps[source.parent.name] = app
    return apps


def operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        assert node["$ref"].startswith("#/"), node["$ref"]
        target = document
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def test_the_document_is_valid_openapi_3(document):
    validate(document)
    assert document["openapi"].startswith("3.0.")


def test_the_document_has_exactly_the_routes_the_chalice_apps_register(document):
    apps = chalice_apps()
    assert set(apps) >= WEBHOOK_AND_API_APPS, "a webhook or API app was not found as a Chalice app"
    registered = {(method, path) for app in apps.values() for path, entry in app.routes.items() for method in entry}
    documented = {(method, path) for method, path, _ in operations(document)}
    assert documented == registered, (
        f"documented but no app registers: {sorted(documented - registered)}; "
        f"registered but not documented: {sorted(registered - documented)}"
    )


def test_every_operation_has_an_id_a_summary_a_success_and_a_client_error(document):
    ids = []
    for method, path, operation in operations(document):
        where = f"{method} {path}"
        assert operation.get("operationId"), where
        assert operation.get("summary", "").strip(), where
        statuses = set(operation["responses"])
        assert any(s.startswith("2") for s in statuses), where
        assert any(s.startswith("4") for s in statuses), where
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids)), "operationIds must be unique"


def test_every_path_parameter_is_declared(document):
    for path, item in document["paths"].items():
        in_path = set(re.findall(r"{([^}]+)}", path))
        shared = [resolve(document, p) for p in item.get("parameters", [])]
        for method, operation in item.items():
            if method not in METHODS:
                continue
            declared = shared + [resolve(document, p) for p in operation.get("parameters", [])]
            path_params = {p["name"] for p in declared if p["in"] == "path"}
            assert path_params == in_path, f"{method.upper()} {path}"
            assert all(p.get("required") for p in declared if p["in"] == "path"), f"{method.upper()} {path}"


def test_client_errors_are_code_and_message_except_api_gateway_throttling(document):
    error = resolve(document, {"$ref": "#/components/schemas/Error"})
    assert error["required"] == ["Code", "Message"]
    allowed = {"#/components/schemas/Error"}
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if not status.startswith("4"):
                continue
            content = resolve(document, response)["content"]
            # People read the survey page: its errors are pages too, but for a body refused before the page's route
            # runs (413 by the edge, 415 by Chalice), which is JSON like everywhere else.
            if path.startswith(("/surveys/", "/help/", "/answered/")) and status not in ("413", "415"):
                assert list(content) == ["text/html"], f"{method} {path} {status}"
                continue
            schema = content["application/json"]["schema"]
            expected = allowed | ({"#/components/schemas/GatewayError"} if status == "429" else set())
            assert schema.get("$ref") in expected, f"{method} {path} {status}"


def test_the_agent_api_needs_a_bearer_token_and_webhooks_their_own_signatures(document):
    schemes = document["components"]["securitySchemes"]
    assert (schemes["bearerAuth"]["type"], schemes["bearerAuth"]["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"bearerAuth": []}]
    headers = {s["name"] for s in schemes.values() if s["type"] == "apiKey" and s["in"] == "header"}
    assert {"X-Omnicase-Timestamp", "X-Omnicase-Signature", "X-Twilio-Signature"} <= headers
    for method, path, operation in operations(document):
        if path.startswith(("/webhooks/", "/chat/", "/surveys/", "/help/")) or path == "/openapi.json":
            assert "security" in operation, f"{method} {path} must not inherit the bearer token"


def test_the_loader_serves_the_file_once_parsed_and_callers_cannot_change_it(document):
    served = openapi_document()
    assert served == document
    served["paths"].clear()
    assert openapi_document() == document
