"""Free text at every edge: control characters (NUL, BEL, ESC, C1…) stripped from every channel's text, newlines
and tabs kept; what a customer wrote over its limit is cut with a problem on the message, what an agent wrote is a
400 naming the field."""

from __future__ import annotations

import pytest

from omnicase.domain.text_limits import AGENT_LIMITS, CUSTOMER_LIMITS
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_wechat_webhook import push
from tests.integration.webhook_client import cases, chat_post, twilio_fields, twilio_post, wechat_safe, wechat_text

HOSTILE = "line one\x00\x07\x1b[31m\r\nline two\ttabbed\x7f\x85\x9b end"
CLEAN = "line one[31m\nline two\ttabbed end"


def only_message(stack) -> dict:
    (case,) = cases(stack)
    messages = request(stack, "GET", f"/cases/{case['case_id']}")[1]["messages"]
    return next(m for m in messages if m["direction"] == "inbound")


@pytest.mark.parametrize(
    "send",
    [
        lambda s: twilio_post(s, twilio_fields(HOSTILE, "SM" + "6" * 32)),
        lambda s: chat_post(s, {"conversation_id": "c", "message_id": "m", "user_id": "u", "text": HOSTILE}),
        # XML 1.0 cannot carry C0 controls; C1 ones (NEL, CSI) it can.
        lambda s: push(s, *wechat_safe(wechat_text("line one\x85\x9b end\r\nline two", "4001"))),
        lambda s: deliver(s, mail(body="It broke.\x00\x07 Twice.\x1b", subject="Printer\x07 broken"), "ses-c"),
    ],
    ids=["sms", "chat", "wechat", "email"],
)
def test_control_characters_are_stripped_from_every_channels_text_and_newlines_and_tabs_kept(stack, send):
    answer = send(stack)
    assert getattr(answer, "status_code", 200) in (200, 201)

    message = only_message(stack)

    text = message["body_text"]
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text + message["subject"])
    assert text in (CLEAN, "line one end\nline two", "It broke. Twice.")
    assert message["subject"] in ("", "Printer broken")


def test_a_customers_long_display_name_and_file_name_are_cut_with_a_problem_not_refused(stack):
    name = "访客\x00" + "名" * 300
    attachment = {"url": "https://files.acme.example/r.png", "name": "收据" * 200 + ".png"}
    document = {"conversation_id": "c", "message_id": "m", "user_id": "u", "text": "hi", "display_name": name}

    assert chat_post(stack, {**document, "attachments": [attachment]}).status_code == 201

    message = only_message(stack)
    assert message["sender_name"] == ("访客" + "名" * 300)[: CUSTOMER_LIMITS["display_name"]]
    assert len(message["attachments"][0]["filename"]) == CUSTOMER_LIMITS["filename"]
    assert {"display-name-truncated", "filename-truncated"} <= set(message["problems"])


def test_a_mail_subject_over_its_limit_is_cut_with_a_problem(stack):
    deliver(stack, mail(subject="Refund " * 300), "ses-s")
    message = only_message(stack)
    assert len(message["subject"]) == CUSTOMER_LIMITS["subject"] and "subject-truncated" in message["problems"]


@pytest.fixture
def case_id(stack) -> str:
    ((result,), _) = deliver(stack, mail(), "ses-agent")
    return result["case_id"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/cases/{}", {"status": "pending", "reason": "r" * (AGENT_LIMITS["reason"] + 1)}, "reason"),
        ("/cases/{}", {"tags": [f"t{n}" for n in range(AGENT_LIMITS["tags"] + 1)]}, "tags"),
        ("/cases/{}", {"tags": ["t" * (AGENT_LIMITS["tag"] + 1)]}, "tags"),
        ("/cases/{}", {"assignee": "a" * (AGENT_LIMITS["assignee"] + 1)}, "assignee"),
        ("/cases/{}/replies", {"body": "x" * (AGENT_LIMITS["body"] + 1)}, "body"),
        ("/cases/{}/notes", {"body": "x" * (AGENT_LIMITS["body"] + 1)}, "body"),
        ("/customers/{}", {"tags": [f"t{n}" for n in range(AGENT_LIMITS["tags"] + 1)]}, "tags"),
        ("/customers/{}", {"display_name": "n" * (AGENT_LIMITS["display_name"] + 1)}, "display_name"),
    ],
)
def test_what_an_agent_writes_over_its_limit_is_a_400_naming_the_field_and_changes_nothing(
    stack, case_id, path, body, field
):
    case = request(stack, "GET", f"/cases/{case_id}")[1]
    target = case["case"]["customer_id"] if path.startswith("/customers") else case_id
    method = "PATCH" if path.count("/") == 2 else "POST"

    status, answer = request(stack, method, path.format(target), body)

    assert (status, answer["Code"], answer["field"]) == (400, "too-long", field)
    after = request(stack, "GET", f"/cases/{case_id}")[1]
    assert after["case"]["version"] == case["case"]["version"] and len(after["messages"]) == len(case["messages"])


def test_an_agents_reply_and_reason_lose_their_control_characters(stack, case_id):
    status, _ = request(stack, "POST", f"/cases/{case_id}/replies", {"body": "Fixed\x00 it\x1b.\r\nRegards"})
    assert status == 201
    request(stack, "PATCH", f"/cases/{case_id}", {"status": "pending", "reason": "waiting\x07 on parts"})

    thread = request(stack, "GET", f"/cases/{case_id}")[1]
    (reply,) = [m for m in thread["messages"] if m["direction"] == "outbound" and m["kind"] == "human"]
    assert reply["body_text"] == "Fixed it.\nRegards"
    events = request(stack, "GET", f"/cases/{case_id}/events")[1]["events"]
    assert any(e["reason"] == "waiting on parts" for e in events)
