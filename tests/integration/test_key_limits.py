"""Every value from outside that becomes part of a table key, one byte over its limit at each edge: a 400 naming the
field and nothing stored (DynamoDB would answer a ValidationException: a 500, a retry storm); at its limit: taken.

The limits are key_limits.PART_BYTES, which tests/unit/test_key_limits.py holds to every builder of keys.py."""

from __future__ import annotations

import time
from urllib.parse import quote

import boto3
import pytest

from omnicase.channels.wechat.verify_signature import wechat_signature
from omnicase.persistence.key_limits import PART_BYTES
from tests.integration.conftest import SECRETS
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_wechat_webhook import plaintext_account, push  # noqa: F401 - fixture
from tests.integration.webhook_client import (
    call,
    cases,
    chat_headers,
    chat_post,
    twilio_fields,
    twilio_post,
    wechat_safe,
    wechat_text,
)

TWILIO_PREFIX = len("twilio:")


def ascii_of(part: str, over: int) -> str:
    return "x" * (PART_BYTES[part] + over)


def wide_of(part: str, over: int, char: str = "会") -> str:
    """`part`'s limit (+ over) in bytes of 3-byte characters: short in characters, long in bytes."""
    size = PART_BYTES[part] + over
    return char * (size // 3) + "z" * (size % 3)


def refused(response, field: str) -> None:
    assert response.status_code == 400, response.body
    assert response.json_body["Code"] == "too-long" and response.json_body["field"] == field
    assert f"at most {PART_BYTES[field]:,} bytes" in response.json_body["Message"]


def chat(stack, over: int, **fields):
    document = {"conversation_id": "c1", "message_id": "m1", "user_id": "u1", "text": "hello", **fields}
    return chat_post(stack, document)


def plaintext_push(stack, nonce: str):
    timestamp = str(int(time.time()))
    query = {"account": "gh_acme0000001", "timestamp": timestamp, "nonce": nonce}
    query["signature"] = wechat_signature(SECRETS["WECHAT_TOKEN"], timestamp, nonce)
    return push(stack, wechat_text("hi", "9001"), query)


# edge → (the key part its value is bound to, a request carrying that part at its limit + `over` bytes)
EDGES = {
    "twilio MessageSid": ("provider_message_id", lambda s, o: twilio_post(
        s, twilio_fields("hi", ascii_of("provider_message_id", o - TWILIO_PREFIX)))),
    "twilio To": ("address", lambda s, o: twilio_post(s, twilio_fields("hi", "SM1", To=ascii_of("address", o)))),
    "chat widget": ("address", lambda s, o: chat_post(
        s, {"conversation_id": "c", "message_id": "m", "user_id": "u", "text": "hi"}, widget=ascii_of("address", o))),
    "chat user_id": ("address", lambda s, o: chat(s, o, user_id=wide_of("address", o))),
    "chat conversation_id": ("conversation_id", lambda s, o: chat(s, o, conversation_id=wide_of("conversation_id", o))),
    # "<conversation>:<message>": two 512-byte ids make 1,025 bytes
    "chat message_id": ("provider_message_id", lambda s, o: chat(
        s, o, conversation_id=wide_of("conversation_id", 0), message_id=wide_of("conversation_id", o - 1, "息"))),
    "wechat FromUserName": ("address", lambda s, o: push(
        s, *wechat_safe(wechat_text("hi", "9001", openid=ascii_of("address", o))))),
    "wechat MsgId": ("provider_message_id", lambda s, o: push(
        s, *wechat_safe(wechat_text("hi", ascii_of("provider_message_id", o))))),
    "wechat account": ("address", lambda s, o: push(
        s, *wechat_safe(wechat_text("hi", "9001"), {"account": ascii_of("address", o)}))),
}  # fmt: skip


@pytest.mark.parametrize("edge", list(EDGES))
def test_a_key_bound_value_over_its_limit_is_a_400_naming_it_and_at_its_limit_is_taken(stack, edge):
    part, send = EDGES[edge]

    refused(send(stack, 1), part)
    assert cases(stack) == []

    at_limit = send(stack, 0)
    assert at_limit.status_code in (200, 201, 404), at_limit.body  # 404: an endpoint no tenant has, not a 500


def test_a_plaintext_nonce_too_long_for_the_replay_guard_is_a_400(stack, plaintext_account):  # noqa: F811
    nonce_room = PART_BYTES["credential"] - len(f"{int(time.time())}:")
    refused(plaintext_push(stack, "n" * (nonce_room + 1)), "credential")
    assert cases(stack) == []
    assert plaintext_push(stack, "n" * nonce_room).status_code == 200


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/cases/{}", "case_id"),
        ("/cases/{}/events", "case_id"),
        ("/customers/{}", "customer_id"),
        ("/queues/{}", "queue"),
        ("/cases?customer_id={}", "customer_id"),  # a customer's cases are read by key (gsi2)
    ],
)
def test_api_paths_and_filters_over_a_key_limit_are_a_400_naming_the_field(stack, path, field):
    status, body = request(stack, "GET", path.format(quote(ascii_of(field, 1))))
    assert (status, body["Code"], body["field"]) == (400, "too-long", field)
    status, _ = request(stack, "GET", path.format(quote(ascii_of(field, 0))))
    assert status in (200, 404)


def test_chat_replies_of_a_conversation_id_over_its_limit_are_a_400(stack):
    path = f"/chat/conversations/{ascii_of('conversation_id', 1)}/messages"
    response = call(stack.handler("chat_webhook"), "GET", path, headers=chat_headers(path.encode()))
    refused(response, "conversation_id")


def test_an_agent_moving_a_case_to_a_queue_name_over_the_key_limit_gets_a_400(stack):
    ((result,), _) = deliver(stack, mail(), "ses-q")
    status, body = request(stack, "PATCH", f"/cases/{result['case_id']}", {"queue": ascii_of("queue", 1)})
    assert (status, body["Code"], body["field"]) == (400, "too-long", "queue")
    assert request(stack, "GET", f"/cases/{result['case_id']}")[1]["case"]["queue"] != ascii_of("queue", 1)


def test_mail_ids_and_a_sender_too_long_for_a_key_are_left_out_with_a_problem_and_the_mail_is_stored_once(stack):
    long_id = "字" * 340 + "@x.example"  # 1,030 bytes: over email_message_id's 998
    sender = "a" * PART_BYTES["address"] + "@example.com"
    raw = mail(sender=sender, message_id=long_id, extra=f"In-Reply-To: <{long_id}>\r\n")

    ((first,), _) = deliver(stack, raw, "ses-long")
    ((again,), _) = deliver(stack, raw, "ses-long")  # SES redelivers: the same mail, found by SES's id

    assert again["duplicate"] and again["case_id"] == first["case_id"]
    (only,) = cases(stack)
    (message,) = request(stack, "GET", f"/cases/{only['case_id']}")[1]["messages"]
    assert {"message-id-too-long", "reference-too-long", "sender-too-long"} <= set(message["problems"])
    assert message["body_text"] == "It broke." and only["contact_address"] is None
    dlq = [u for u in boto3.client("sqs").list_queues()["QueueUrls"] if "IngestEmailDeadLetter" in u]
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=dlq[0], AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"


def test_the_limits_are_in_the_readme():
    from tests.integration.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    for part in ("address", "conversation_id", "provider_message_id", "email_message_id", "case_id", "queue"):
        assert f"`{part}` | {PART_BYTES[part]:,}" in readme, part
