"""Bodies nested 100,000 deep or over the size cap, with valid credentials, on moto: a 4xx and nothing changed."""

from __future__ import annotations

from omnicase.api.edge import MAX_BODY_BYTES
from tests.integration.conftest import TOKEN
from tests.integration.test_case_actions_api import case_id, request  # noqa: F401 - the fixture
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - case_id's fixture
from tests.integration.webhook_client import call, case, cases, chat_headers

DEEP = b"[" * 100_000 + b"]" * 100_000


def test_a_patch_nesting_100000_arrays_is_a_400_and_the_case_is_unchanged(stack, case_id):  # noqa: F811
    before = case(stack, case_id)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/replies"):
        method = "PATCH" if path.endswith(case_id) else "POST"
        response = call(stack.handler("api"), method, path, headers=headers, body=DEEP)
        assert response.status_code == 400 and response.json_body["Code"] == "too-deep"
        oversized = b'{"body": "' + b"x" * MAX_BODY_BYTES + b'"}'
        response = call(stack.handler("api"), method, path, headers=headers, body=oversized)
        assert response.status_code == 413 and response.json_body["Code"] == "too-large"
    after = case(stack, case_id)
    # The acknowledgement's delivery status may move from queued to sent meanwhile: the outbox is not this request.
    written = [(m["message_id"], m["body_text"]) for m in after["messages"]]
    assert after["case"]["version"] == before["case"]["version"]
    assert written == [(m["message_id"], m["body_text"]) for m in before["messages"]]
    assert request(stack, "PATCH", f"/cases/{case_id}", {"priority": "high"})[0] == 200  # an ordinary body passes


def test_a_signed_chat_message_nesting_100000_arrays_is_a_400_and_nothing_is_stored(stack):
    response = call(stack.handler("chat_webhook"), "POST", "/webhooks/chat", headers=chat_headers(DEEP), body=DEEP)
    assert response.status_code == 400 and response.json_body["Code"] == "too-deep"
    assert cases(stack) == []
