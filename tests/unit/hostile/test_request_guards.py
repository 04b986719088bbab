"""Every route of every Chalice app refuses oversized and deeply nested bodies with a 4xx, before it runs."""

from __future__ import annotations

import json

import pytest
from chalice.test import Client

from omnicase.api.edge import MAX_BODY_BYTES, MAX_JSON_DEPTH, json_depth
from tests.unit.test_openapi import chalice_apps

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DEEP = b"[" * 100_000 + b"]" * 100_000  # what raised RecursionError (a 500) on PATCH /cases/{case_id}


def body_routes() -> list[tuple[str, str, str, list[str]]]:
    """(app, method, path with its parameters filled, content types) of every route that takes a body."""
    routes = []
    for name, app in chalice_apps().items():
        for path, methods in app.routes.items():
            for method, entry in methods.items():
                if method in BODY_METHODS:
                    filled = "/".join("X1" if p.startswith("{") else p for p in path.split("/"))
                    routes.append((name, method, filled, entry.content_types))
    return routes


ROUTES = body_routes()


def send(app_name: str, method: str, path: str, content_type: str, body: bytes):
    with Client(chalice_apps()[app_name]) as client:
        return getattr(client.http, method.lower())(path, headers={"Content-Type": content_type}, body=body)


def test_the_guards_cover_the_routes_that_take_bodies():
    assert {(a, p) for a, _, p, _ in ROUTES} >= {
        ("api", "/cases/X1"),
        ("session", "/auth/session"),
        ("chat_webhook", "/webhooks/chat"),
        ("sms_webhook", "/webhooks/sms/sns"),
        ("survey_page", "/surveys/X1"),
        ("wechat_webhook", "/webhooks/wechat"),
    }


@pytest.mark.parametrize(("app_name", "method", "path", "content_types"), ROUTES)
def test_100000_nested_arrays_are_a_400_naming_the_limit(app_name, method, path, content_types):
    # Given a body nesting 100,000 arrays, in whatever content type the route accepts
    # When it is sent, Then the edge refuses it before the route runs: 400 too-deep, never a RecursionError
    response = send(app_name, method, path, content_types[0], DEEP)
    assert response.status_code == 400, response.body[:300]
    assert response.json_body["Code"] == "too-deep" and str(MAX_JSON_DEPTH) in response.json_body["Message"]


@pytest.mark.parametrize(("app_name", "method", "path", "content_types"), ROUTES)
def test_an_oversized_body_is_a_413_naming_the_limit(app_name, method, path, content_types):
    body = json.dumps({"body": "x" * MAX_BODY_BYTES}).encode()
    response = send(app_name, method, path, content_types[0], body)
    assert response.status_code == 413, response.body[:300]
    assert response.json_body["Code"] == "too-large" and str(MAX_BODY_BYTES) in response.json_body["Message"]


def test_a_body_at_the_depth_limit_reaches_its_route():
    at_limit = json.dumps({"status": "open", "x": json.loads("[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1))})
    response = send("api", "PATCH", "/cases/X1", "application/json", at_limit.encode())
    assert response.status_code == 401  # the route ran: it wants a token


@pytest.mark.parametrize(
    ("body", "depth"),
    [
        (b"", 0),
        (b"42", 0),
        (b"[]", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'["[[[[[[", "]]]"]', 1),  # brackets inside strings are text
        (b"score=5&comment=[[[[", 0),  # not JSON: its route says what is wrong with it
        ("[[[]]]".encode("utf-16"), 3),
    ],
)
def test_json_depth(body, depth):
    assert json_depth(body) == depth
