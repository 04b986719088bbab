"""Web chat: signed messages in, one case per conversation, one customer with their email, replies out."""

from __future__ import annotations

import json
import time

import pytest

from omnicase.channels.chat.chat_signature import chat_signature
from omnicase_local.streams import drain
from tests.integration.conftest import SECRETS
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.webhook_client import call, case, cases, chat_headers, chat_post


def message(n: int, conversation: str = "conv-1", **extra):
    return {
        "conversation_id": conversation,
        "message_id": f"m-{n}",
        "user_id": "visitor-9",
        "text": f"hello {n}",
        **extra,
    }


def test_one_conversation_is_one_case_and_redelivery_is_stored_once(stack):
    first = chat_post(stack, message(1, display_name="访客"))
    assert first.status_code == 201
    again = chat_post(stack, message(1), timestamp=int(time.time()) - 1)  # the widget's retry, signed anew
    assert again.status_code == 200 and again.json_body["duplicate"]
    chat_post(stack, message(2))
    other = chat_post(stack, message(3, conversation="conv-2"))
    assert other.json_body["case_id"] != first.json_body["case_id"]
    inbound = [m for m in case(stack, first.json_body["case_id"])["messages"] if m["direction"] == "inbound"]
    assert [m["body_text"] for m in inbound] == ["hello 1", "hello 2"]


def test_a_chat_user_giving_a_known_email_is_the_same_customer(stack):
    (by_mail,), _ = deliver(stack, mail(sender="ann@example.com"), "ses-ann")
    by_chat = chat_post(stack, message(1, email="Ann@Example.com"))
    customers = {c["case_id"]: c["customer_id"] for c in cases(stack)}
    assert customers[by_chat.json_body["case_id"]] == customers[by_mail["case_id"]]


def test_acknowledgement_goes_to_the_callback_url_signed_with_a_delivery_id(stack, provider):
    created = chat_post(stack, message(1)).json_body
    drain()
    (callback,) = provider.sent("/chat-callback")
    headers = {k.lower(): v for k, v in callback.headers.items()}
    expected = chat_signature(SECRETS["CHAT_WEBHOOK_SECRET"], headers["x-omnicase-timestamp"], callback.body)
    assert headers["x-omnicase-signature"] == expected and headers["x-omnicase-delivery"]
    document = callback.json()
    assert document["conversation_id"] == "conv-1" and document["case_id"] == created["case_id"]


def test_replies_can_be_polled_with_a_cursor(stack):
    chat_post(stack, message(1))
    drain()
    path = "/chat/conversations/conv-1/messages"
    first = call(stack.handler("chat_webhook"), "GET", path, headers=chat_headers(path.encode()))
    assert first.status_code == 200 and len(first.json_body["messages"]) == 1
    cursor = first.json_body["next"]
    later = f"{path}?after={cursor}"
    second = call(stack.handler("chat_webhook"), "GET", later, headers=chat_headers(later.encode()))
    assert second.json_body == {"messages": [], "next": cursor}
    forged = call(stack.handler("chat_webhook"), "GET", later, headers=chat_headers(path.encode()))
    assert forged.status_code == 401


@pytest.mark.parametrize(
    ("signing", "status", "code"),
    [
        ({"timestamp": int(time.time()) - 301}, 401, "stale"),
        ({"secret": "not-the-secret"}, 401, "bad-signature"),
        ({"widget": "nobody"}, 404, "unknown-endpoint"),
    ],
)
def test_forged_stale_or_misaddressed_messages_are_refused(stack, signing, status, code):
    response = chat_post(stack, message(1), **signing)
    assert response.status_code == status and response.json_body["Code"] == code
    assert cases(stack) == []


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{not json", 400), (json.dumps({"conversation_id": "c"}).encode(), 400), (b"{" + b" " * 300_000 + b"}", 413)],
)
def test_malformed_and_oversized_bodies_get_a_reason(stack, body, status):
    response = call(stack.handler("chat_webhook"), "POST", "/webhooks/chat", headers=chat_headers(body), body=body)
    assert response.status_code == status and response.json_body["Message"]


def test_messages_delivered_out_of_order_are_kept_in_the_order_they_were_sent(stack):
    later = chat_post(stack, message(2, sent_at="2026-11-02T10:00:05+08:00", text="second")).json_body
    chat_post(stack, message(1, sent_at="2026-11-02T10:00:00+08:00", text="first"))
    once_more = message(2, sent_at="2026-11-02T10:00:05+08:00", text="second")
    chat_post(stack, once_more, timestamp=int(time.time()) - 1)  # and once more, signed anew
    inbound = [m for m in case(stack, later["case_id"])["messages"] if m["direction"] == "inbound"]
    assert [m["body_text"] for m in inbound] == ["first", "second"]
