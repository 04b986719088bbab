"""A text reply to a phone case: sent as an SMS from the tenant's number, or refused (422) before anything is queued
when the tenant has none."""

from __future__ import annotations

from tests.integration.conftest import TOKEN
from tests.integration.test_agent_cases_and_calls import WALK_IN, post
from tests.integration.test_case_actions_api import request
from tests.integration.test_phone_calls import CALLER
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture


def reseed(*endpoints: str) -> None:
    from omnicase.admin import seed_tenant
    from omnicase.wiring import rebind

    seed_tenant("acme", "Acme Support", ["support@acme.example"], TOKEN, "support@acme.example", endpoints=[*endpoints])
    rebind()


def test_a_text_to_a_phone_case_without_an_sms_number_is_refused_before_anything_is_queued(stack, acme_config):  # noqa: F811
    # Given a tenant reached by phone only, and a caller's case an agent opened
    reseed("phone:arn:aws:connect:us-east-1:111122223333:instance/12345678-1234-1234-1234-123456789012")
    _, opened = post(stack, "/cases", {**WALK_IN, "phone": CALLER})
    case_id = opened["case"]["case_id"]
    _, before = request(stack, "GET", f"/cases/{case_id}")

    # When an agent writes a text reply
    status, answer = request(stack, "POST", f"/cases/{case_id}/replies", {"body": "We will call you at 3 pm."})

    # Then: 422 naming why, and the case is as it was (no message queued, no clock stopped)
    assert status == 422 and answer["Code"] == "text-not-carried", answer
    assert answer["channel"] == "phone" and answer["needs"] == "sms" and "log the call" in answer["Message"]
    _, after = request(stack, "GET", f"/cases/{case_id}")
    assert after["messages"] == before["messages"] and after["case"]["version"] == before["case"]["version"]
    assert after["case"]["service"]["first_response_at"] is None


def test_a_text_to_a_phone_case_is_queued_as_an_sms_when_the_tenant_has_a_number(stack, acme_config):  # noqa: F811
    reseed("sms:+15005550006")
    _, opened = post(stack, "/cases", {**WALK_IN, "phone": CALLER})

    status, answer = request(stack, "POST", f"/cases/{opened['case']['case_id']}/replies", {"body": "Call us back."})

    assert status == 201, answer
    message = answer["message"]
    assert message["direction"] == "outbound" and message["channel"] == "phone" and message["recipients"] == [CALLER]
