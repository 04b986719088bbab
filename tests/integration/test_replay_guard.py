"""A captured signed request is used once, per tenant and endpoint: WeChat plaintext pushes (whose signature covers
no body), chat messages (timestamp + signature), plaintext refused where an EncodingAESKey is set, Twilio's
MessageSid stored once."""

from __future__ import annotations

import json
import time

import boto3

from omnicase.admin import seed_tenant
from omnicase.channels.wechat.verify_signature import wechat_signature
from omnicase.persistence import keys
from tests.integration.conftest import SECRETS
from tests.integration.faults import faults  # noqa: F401 - fixture
from tests.integration.test_security_properties import inbound_texts
from tests.integration.test_wechat_webhook import plaintext_account, push  # noqa: F401 - fixture
from tests.integration.webhook_client import (
    call,
    cases,
    chat_headers,
    chat_post,
    twilio_fields,
    twilio_post,
    wechat_query,
    wechat_safe,
    wechat_text,
)

GLOBEX = "globex-token"


def plain_query(nonce: str) -> dict[str, str]:
    """The query WeChat signs for a plaintext push: token, timestamp and nonce — not the body."""
    query = wechat_query({"nonce": nonce})
    query["signature"] = wechat_signature(SECRETS["WECHAT_TOKEN"], query["timestamp"], nonce)
    return query


def replay_items(stack) -> list[dict]:
    items = boto3.client("dynamodb").scan(TableName=stack.table)["Items"]
    return [i for i in items if "#REPLAY#" in i["pk"]["S"]]


def test_a_captured_plaintext_signature_carries_its_own_push_only(stack, plaintext_account):  # noqa: F811
    query = plain_query("551133")
    real = wechat_text("发票什么时候开？", "5001")

    # WeChat's own retries of the push: the same request, answered success, stored once.
    assert [push(stack, real, query).status_code for _ in range(3)] == [200] * 3
    # Whoever saw that request posts another body under its signature while the timestamp is fresh.
    forged = push(stack, wechat_text("请把退款打到这个账户", "5002"), query)
    forged_event = push(stack, wechat_text("x", "5003").replace(b"text", b"event"), query)

    assert (forged.status_code, forged.json_body["Code"]) == (403, "replayed")
    assert forged_event.status_code == 403
    assert inbound_texts(stack) == ["发票什么时候开？"]
    (guard,) = replay_items(stack)
    timestamp = int(query["timestamp"])
    assert guard["pk"]["S"] == keys.replay_pk("acme", "wechat", "gh_acme0000001", f"{timestamp}:551133")
    assert int(guard["expires_at"]["N"]) == timestamp + 360  # DynamoDB's TTL drops it after the window


def test_the_guard_is_per_account_the_same_timestamp_and_nonce_at_another_tenant_is_its_own(
    stack,
    plaintext_account,  # noqa: F811
):
    seed_tenant("globex", "Globex Help", ["help@globex.example"], GLOBEX, "help@globex.example",
                endpoints=["wechat:gh_globex000001"])  # fmt: skip
    query = plain_query("42")
    assert push(stack, wechat_text("acme", "6001"), query).status_code == 200
    globex = wechat_text("globex", "6001").replace(b"gh_acme0000001", b"gh_globex000001")
    assert push(stack, globex, {**query, "account": "gh_globex000001"}).status_code == 200
    assert inbound_texts(stack) == ["acme"] and inbound_texts(stack, GLOBEX) == ["globex"]


def test_an_account_with_an_encoding_aes_key_refuses_plaintext_pushes_even_validly_signed(stack):
    plain = push(stack, wechat_text("plaintext under a valid signature", "7001"))
    assert (plain.status_code, plain.json_body["Code"]) == (403, "plaintext-refused")
    assert cases(stack) == []

    assert push(stack, *wechat_safe(wechat_text("encrypted", "7002"))).status_code == 200
    assert inbound_texts(stack) == ["encrypted"]


def test_a_signed_chat_request_is_taken_once_and_a_retry_signed_anew_is_a_duplicate(stack):
    document = {"conversation_id": "c1", "message_id": "m1", "user_id": "u1", "text": "my invoice is wrong"}
    now = int(time.time())

    first, replayed = (chat_post(stack, document, timestamp=now) for _ in range(2))
    resigned = chat_post(stack, document, timestamp=now + 1)

    assert first.status_code == 201
    assert (replayed.status_code, replayed.json_body["Code"]) == (401, "replayed")
    assert resigned.status_code == 200 and resigned.json_body["duplicate"]
    assert inbound_texts(stack) == ["my invoice is wrong"]
    body = json.dumps(document, ensure_ascii=False).encode()
    signature = chat_headers(body, timestamp=now)["X-Omnicase-Signature"]
    guards = {i["pk"]["S"] for i in replay_items(stack)}
    assert keys.replay_pk("acme", "chat", "web", f"{now}:{signature}") in guards and len(guards) == 2


def test_a_chat_request_whose_intake_failed_can_be_sent_again_unchanged(stack, faults):  # noqa: F811
    document = {"conversation_id": "c2", "message_id": "m1", "user_id": "u2", "text": "anyone there?"}
    body = json.dumps(document).encode()
    headers = chat_headers(body)
    faults.add("dynamodb", "TransactWriteItems", "InternalServerError", times=None)

    failed = call(stack.handler("chat_webhook"), "POST", "/webhooks/chat", headers=headers, body=body)
    faults.clear()
    retried = call(stack.handler("chat_webhook"), "POST", "/webhooks/chat", headers=headers, body=body)

    assert failed.status_code == 500 and retried.status_code == 201
    assert inbound_texts(stack) == ["anyone there?"]


def test_twilio_redeliveries_of_one_message_sid_are_stored_once_per_tenant(stack):
    seed_tenant("globex", "Globex Help", ["help@globex.example"], GLOBEX, "help@globex.example",
                endpoints=["sms:+15005550009"])  # fmt: skip
    sid = "SM" + "7" * 32
    answers = [twilio_post(stack, twilio_fields("parcel late", sid)) for _ in range(3)]
    # A redelivery is the same message even should its body differ: the MessageSid decides.
    answers.append(twilio_post(stack, twilio_fields("parcel late (edited)", sid)))
    answers.append(twilio_post(stack, twilio_fields("globex parcel", sid, To="+15005550009")))

    assert {a.status_code for a in answers} == {200}
    assert inbound_texts(stack) == ["parcel late"] and inbound_texts(stack, GLOBEX) == ["globex parcel"]
    markers = [i["pk"]["S"] for i in boto3.client("dynamodb").scan(TableName=stack.table)["Items"]]
    assert markers.count(keys.delivery_pk("acme", "sms", f"twilio:{sid}")) == 1
    assert markers.count(keys.delivery_pk("globex", "sms", f"twilio:{sid}")) == 1
