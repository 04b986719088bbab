"""Hostile input through the real handlers: a clear 4xx, a bounded stored copy or a quarantined raw mail —
never a crash, so never a retry storm."""

from __future__ import annotations

import base64
import json

import boto3

from omnicase.aws.mail_store import S3MailStore
from omnicase.channels.chat.chat_message import MAX_TEXT
from omnicase.channels.sms.parse_twilio import MAX_FORM_BYTES
from omnicase.email.parse_email import MAX_BODY_CHARS
from tests.integration.test_ingest_email import FakeContext, deliver, mail, sent_mail
from tests.integration.test_wechat_webhook import push
from tests.integration.webhook_client import call, case, cases, chat_headers, twilio_fields, twilio_post, wechat_query

CRLF_BCC = "=?utf-8?b?" + base64.b64encode(b"hi\r\nBcc: victim@evil.example").decode() + "?="
# An encoded word whose text is itself an encoded word: the parsed subject holds the inner one literally.
DOUBLE_ENCODED = "=?utf-8?b?" + base64.b64encode(CRLF_BCC.encode()).decode() + "?="


def test_a_25_mb_mail_is_quarantined_whole_unparsed_and_redelivery_returns_normally(stack):
    raw = mail(body="x" * (25 * 1024 * 1024))
    (first,), event = deliver(stack, raw, "ses-25mb")
    # SNS redelivers on any failure; the handler must answer normally every time, not fail into a retry storm.
    (again,) = stack.handler("ingest_email")(event, FakeContext())["results"]
    assert first["reason"] == again["reason"] == "too-large" and first["quarantined"] == again["quarantined"]
    (record,) = S3MailStore(stack.bucket).list_quarantine("acme")
    assert record["source_key"] == "inbound/ses-25mb"  # replayable from its own copy
    kept = boto3.client("s3").head_object(Bucket=stack.bucket, Key=record["raw_key"])
    assert kept["ContentLength"] == len(raw)
    assert cases(stack) == []


def test_hostile_mails_become_cases_with_bounded_text_and_safe_acknowledgements(stack):
    deep = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(200))
    mails = {
        "deep": mail("deep", message_id="deep@x", extra=deep.decode()),
        "huge-text": mail("huge", message_id="huge@x", body="很长的邮件。" * 500_000),  # 9 MB of CJK: under the cap
        "bad-bytes": mail("bytes", message_id="bytes@x").replace(b"charset=utf-8", b"charset=x-unknown")
        + b"\xff\xfe\x00\xc3(\r\n",
        "crlf-subject": mail(CRLF_BCC, message_id="crlf@x", sender="eve@example.com"),
        "double-encoded": mail(DOUBLE_ENCODED, message_id="double@x", sender="mallory@example.com"),
    }
    stored = {name: deliver(stack, raw, f"ses-{name}")[0][0] for name, raw in mails.items()}

    messages = {name: case(stack, result["case_id"])["messages"][0] for name, result in stored.items()}
    assert "mime-too-deep" in messages["deep"]["problems"]
    huge = messages["huge-text"]
    assert len(huge["body_text"]) == MAX_BODY_CHARS and "body-truncated" in huge["problems"]  # the raw mail has all
    assert messages["bad-bytes"]["body_text"].startswith("It broke.")  # unknown charset, NUL, bad UTF-8: readable
    assert messages["crlf-subject"]["subject"] == "hi Bcc: victim@evil.example"  # one line, kept as text

    acknowledgements = sent_mail()
    assert len(acknowledgements) == len(mails)
    for ack in acknowledgements:
        assert set(ack.keys()) <= {
            "From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Auto-Submitted",
            "X-Auto-Response-Suppress", "Precedence", "X-Omnicase-Case", "X-Omnicase-Loop", "MIME-Version",
            "Content-Type", "Content-Transfer-Encoding",
        }  # fmt: skip
        assert len(ack.get_all("To")) == 1 and "\n" not in str(ack["Subject"])
    assert {str(a["To"]) for a in acknowledgements} >= {"eve@example.com", "mallory@example.com"}


def test_invalid_bytes_at_every_webhook_get_a_4xx_with_a_reason_and_store_nothing(stack):
    garbage = b"\xff\xfe\x00\x01<xml>\xc3(&%zz=\x80"
    answers = {
        "twilio": call(  # refused before its signature is even looked at
            stack.handler("sms_webhook"),
            "POST",
            "/webhooks/sms/twilio",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Host": "hooks.acme.example"},
            body=b"MessageSid=SM1&From=%2B8613800138000&To=%2B15005550006&Body=" + garbage,
        ),
        "chat": call(
            stack.handler("chat_webhook"), "POST", "/webhooks/chat", headers=chat_headers(garbage), body=garbage
        ),
        "wechat": push(stack, garbage),
        "wechat-aes": push(
            stack,
            b"<xml><Encrypt><![CDATA[\xff\xfenot base64]]></Encrypt></xml>",
            wechat_query({"encrypt_type": "aes", "msg_signature": "0" * 40}),
        ),
        "sns": call(
            stack.handler("sms_webhook"),
            "POST",
            "/webhooks/sms/sns",
            headers={"Content-Type": "text/plain"},
            body=garbage,
        ),
    }
    for channel, response in answers.items():
        assert 400 <= response.status_code < 500, channel
        assert response.json_body["Code"] and response.json_body["Message"], channel
    assert cases(stack) == []


def test_oversized_texts_are_refused_with_413_or_a_named_field_and_bounded_ones_are_kept_whole(stack):
    # What the code intends, per channel: the whole request over the channel's byte cap is a 413 "too-large";
    # chat text over MAX_TEXT characters is a 400 naming the field; anything under the caps is stored whole.
    chat = {"conversation_id": "c1", "message_id": "m1", "user_id": "u1"}
    too_long = json.dumps({**chat, "text": "字" * (MAX_TEXT + 1)}).encode()
    too_big = json.dumps({**chat, "text": "x" * 300_000}).encode()
    longest = json.dumps({**chat, "text": "字" * MAX_TEXT}).encode()
    posted = {
        name: call(stack.handler("chat_webhook"), "POST", "/webhooks/chat", headers=chat_headers(body), body=body)
        for name, body in (("too-long", too_long), ("too-big", too_big), ("longest", longest))
    }
    assert posted["too-long"].status_code == 400 and posted["too-long"].json_body["Message"].startswith("text:")
    assert posted["too-big"].status_code == 413 and posted["too-big"].json_body["Code"] == "too-large"
    assert posted["longest"].status_code == 201

    sms_too_big = twilio_post(stack, twilio_fields("x" * MAX_FORM_BYTES, "SM" + "1" * 32))
    assert sms_too_big.status_code == 413 and sms_too_big.json_body["Code"] == "too-large"
    long_sms = "长" * 5_000  # 45 kB percent-encoded: under the form cap
    assert twilio_post(stack, twilio_fields(long_sms, "SM" + "2" * 32)).status_code == 200

    wechat_big = push(stack, b"<xml><Content>" + b"x" * 70_000 + b"</Content></xml>")
    assert wechat_big.status_code == 413 and wechat_big.json_body["Code"] == "too-large"

    texts = sorted(case(stack, c["case_id"])["messages"][0]["body_text"] for c in cases(stack))
    assert texts == sorted(["字" * MAX_TEXT, long_sms])
