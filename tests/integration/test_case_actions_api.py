"""The agent API's case actions on moto: PATCH, replies, the audit trail, filters — and their refusals."""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import TOKEN
from tests.integration.test_ingest_email import deliver, mail, sent_mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.webhook_client import call


def request(stack, method: str, path: str, body: object = None, token: str = TOKEN, agent: str = "zhang.wei"):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "X-Omnicase-Agent": agent}
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
    response = call(stack.handler("api"), method, path, headers=headers, body=data)
    return response.status_code, response.json_body


@pytest.fixture
def case_id(stack, acme_config):  # noqa: F811
    ((result,), _) = deliver(stack, mail("Refund for order 42", message_id="cust-1@example.com"), "ses-1")
    return result["case_id"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"status": "shelved"}, "status must be one of"),
        ({"priority": "critical"}, "priority must be one of"),
        ({"colour": "red"}, "unknown fields: colour"),
        ({}, "send a JSON object"),
        ({"queue": "nowhere"}, "unknown queue 'nowhere'"),
        ({"assignee": "nobody.here"}, "unknown agent 'nobody.here'"),
        ({"assignee": " "}, "assignee must be a non-empty string"),
        ({"version": "3", "status": "open"}, "version must be"),
    ],
)
def test_a_bad_change_is_a_400_with_the_reason_and_changes_nothing(stack, case_id, body, reason):
    status, answer = request(stack, "PATCH", f"/cases/{case_id}", body)
    assert status == 400 and reason in answer["Message"]
    _, events = request(stack, "GET", f"/cases/{case_id}/events")
    assert [e["kind"] for e in events["events"]] == ["routed", "deadline_set"]


def test_a_change_against_an_old_version_is_a_409_and_the_current_one_applies(stack, case_id):
    _, read = request(stack, "GET", f"/cases/{case_id}")
    version = read["case"]["version"]
    status, changed = request(stack, "PATCH", f"/cases/{case_id}", {"assignee": "zhang.wei", "version": version})
    assert status == 200 and changed["case"]["assignee"] == "zhang.wei"

    status, conflict = request(stack, "PATCH", f"/cases/{case_id}", {"priority": "high", "version": version})

    assert status == 409 and f"version {version + 1}" in conflict["Message"]
    _, now = request(stack, "GET", f"/cases/{case_id}")
    assert now["case"]["priority"] == "normal"


def test_assignment_status_and_priority_changes_are_in_the_audit_trail_with_their_actor(stack, case_id):
    request(stack, "PATCH", f"/cases/{case_id}", {"assignee": "zhang.wei", "queue": "general"}, agent="wang.fang")
    request(stack, "PATCH", f"/cases/{case_id}", {"status": "on_hold", "reason": "waiting for the warehouse"})
    request(stack, "PATCH", f"/cases/{case_id}", {"priority": "urgent"})

    _, trail = request(stack, "GET", f"/cases/{case_id}/events")

    by_kind = {e["kind"]: e for e in trail["events"]}
    assert by_kind["assigned"]["actor"] == "wang.fang" and by_kind["queue_changed"]["reason"] == "billing → general"
    assert by_kind["status_changed"]["reason"] == "waiting for the warehouse"
    assert by_kind["paused"]["actor"] == "zhang.wei" and by_kind["priority_changed"]["reason"] == "normal → urgent"
    _, listed = request(stack, "GET", "/cases?assignee=zhang.wei&priority=urgent")
    assert [c["case_id"] for c in listed["cases"]] == [case_id]
    assert request(stack, "GET", "/cases?breached=maybe")[0] == 400
    status, refused = request(stack, "PATCH", f"/cases/{case_id}", {"status": "new"})
    assert status == 400 and "cannot go back to new" in refused["Message"]


def test_a_reply_goes_out_by_email_threaded_and_meets_the_first_response(stack, case_id):
    status, answer = request(stack, "POST", f"/cases/{case_id}/replies", {"body": "退款已处理 / refund done"})

    assert status == 201
    case, message = answer["case"], answer["message"]
    assert case["status"] == "open" and case["service"]["first_response_at"] == message["created_at"]
    (clock,) = [d for d in case["service"]["deadlines"] if d["clock"] == "first_response"]
    assert clock["stopped_at"] is not None and not clock["breached"]
    reply = next(m for m in sent_mail() if "退款已处理" in m.get_content())
    assert reply["In-Reply-To"] == "<cust-1@example.com>" and f"[#{case_id}]" in reply["Subject"]
    assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "   "})[0] == 400


def test_another_tenants_case_and_its_events_are_not_found(stack, case_id):
    assert request(stack, "GET", f"/cases/{case_id}/events", token="globex-token")[0] == 404
    assert request(stack, "PATCH", f"/cases/{case_id}", {"status": "open"}, token="globex-token")[0] == 404
    assert request(stack, "POST", f"/cases/{case_id}/replies", {"body": "hi"}, token="globex-token")[0] == 404
