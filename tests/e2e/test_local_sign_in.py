"""`omnicase local` seeds the demo people in moto's Cognito: they sign in over HTTP and their tokens work on the API
(keys read from moto's own server)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def post(url: str, body: dict[str, Any], token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_the_printed_demo_people_sign_in_and_read_cases_with_their_roles(local_stack):
    # Printed just after the ready line: the output may still be on its way.
    printed = local_stack.wait_for(lambda: [line for line in local_stack.output if line.startswith("console sign-in:")])
    (line,) = printed
    people = re.findall(r"(agent|supervisor) (\S+) / (\S+?)(?:,|$)", line)
    assert {(role, name) for role, name, _ in people} == {("agent", "li.na"), ("supervisor", "wang.fang")}

    for role, username, password in people:
        status, session = post(f"{local_stack.http_url}/auth/session", {"username": username, "password": password})
        assert status == 200, session
        assert local_stack.get("/cases", token=session["access_token"])[0] == 200
        # Announcing a fix messages customers: supervisors only, by the role config/acme.yaml gives the person.
        status, _ = post(f"{local_stack.http_url}/problems/BUG-1/fixed", {}, token=session["access_token"])
        assert (status == 403) == (role == "agent")
        status, answer = post(f"{local_stack.http_url}/auth/session", {"username": username, "password": "wrong-1A"})
        assert (status, answer["Message"]) == (401, "wrong username or password")
