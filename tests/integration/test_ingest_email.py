"""ingest_email on moto: SES notifications in, cases, messages, acknowledgements and quarantine out."""

from __future__ import annotations

import json
import threading
from email import message_from_bytes, policy

import boto3
import pytest
from chalice.test import Client

from tests.integration.conftest import ROOT, TOKEN
from tests.integration.ses_events import received_notification, sns_event

EVENTS = ROOT / "events"


class FakeContext:
    function_name = "IngestEmailFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:IngestEmailFunction"
    aws_request_id = "00000000-0000-0000-0000-000000000000"


def deliver(stack, raw: bytes, ses_id: str, recipients=("support@acme.example",), inline: str | None = None):
    """What SES does: the raw mail to S3 (S3 action), then the notification through SNS to the function."""
    key = f"inbound/{ses_id}"
    if inline is None:
        boto3.client("s3").put_object(Bucket=stack.bucket, Key=key, Body=raw)
    notification = received_notification(
        raw, recipients=list(recipients), ses_message_id=ses_id, bucket=stack.bucket, key=key, inline=inline
    )
    event = sns_event(notification)
    return stack.handler("ingest_email")(event, FakeContext())["results"], event


def api(stack, path: str, token: str = TOKEN):
    with Client(stack.handler("api")) as client:
        response = client.http.get(path, headers={"Authorization": f"Bearer {token}"})
        return response.status_code, response.json_body


def sent_mail() -> list:
    from moto.ses.models import ses_backends

    from omnicase_local.streams import drain

    drain()  # acknowledgements leave through the table's stream (send_outbound)
    backend = ses_backends["123456789012"]["us-east-1"]
    return [message_from_bytes(m.raw_data.encode(), policy=policy.default) for m in backend.sent_messages]


def mail(subject="Printer broken", sender="ann@example.com", message_id="m1@example.com", extra="", body="It broke."):
    return (
        f"From: Ann <{sender}>\r\nTo: support@acme.example\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}>\r\nDate: Mon, 2 Nov 2026 09:00:00 +0000\r\n{extra}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def test_documented_s3_action_event_becomes_a_case_with_the_stored_mail(stack):
    event = json.loads((EVENTS / "ingest_email" / "sns_s3_action.json").read_text())
    notification = json.loads(event["Records"][0]["Sns"]["Message"])
    key = notification["receipt"]["action"]["objectKey"]
    raw = next((EVENTS / "ingest_email").glob("s3_object_*.eml")).read_bytes()
    boto3.client("s3").put_object(Bucket=stack.bucket, Key=key, Body=raw)
    notification["receipt"]["action"]["bucketName"] = stack.bucket
    event["Records"][0]["Sns"]["Message"] = json.dumps(notification)

    (result,) = stack.handler("ingest_email")(event, FakeContext())["results"]

    status, body = api(stack, f"/cases/{result['case_id']}")
    assert status == 200 and body["case"]["subject"] == "Test 500"
    inbound = [m for m in body["messages"] if m["direction"] == "inbound"]
    assert inbound[0]["body_text"].startswith("Aaaron")
    assert inbound[0]["sender"] == "bob@example.com"


@pytest.mark.parametrize("name", ["sns_inline_utf8.json", "sns_inline_base64.json"])
def test_documented_inline_content_events_become_cases(stack, name):
    event = json.loads((EVENTS / "ingest_email" / name).read_text())
    (result,) = stack.handler("ingest_email")(event, FakeContext())["results"]
    status, body = api(stack, f"/cases/{result['case_id']}")
    assert status == 200 and body["messages"][0]["direction"] == "inbound"
    assert body["case"]["subject"] in ("Example subject", "Amazon SES Test")


def test_ses_setup_notification_is_skipped(stack):
    event = json.loads((EVENTS / "ingest_email" / "sns_ses_setup_notification.json").read_text())
    assert stack.handler("ingest_email")(event, FakeContext()) == {"results": []}


def test_acknowledgement_is_threaded_tokened_and_marked_automatic(stack):
    (result,), _ = deliver(stack, mail(), "ses-1")
    (ack,) = sent_mail()
    assert f"[#{result['case_id']}]" in ack["Subject"]
    assert ack["In-Reply-To"] == "<m1@example.com>" and ack["Auto-Submitted"] == "auto-replied"
    assert ack["To"] == "ann@example.com" and ack["X-Omnicase-Case"] == result["case_id"]


def test_redelivery_three_times_stores_once_and_acknowledges_once(stack):
    raw = mail()
    (first,), event = deliver(stack, raw, "ses-1")
    for _ in range(2):
        (again,) = stack.handler("ingest_email")(event, FakeContext())["results"]
        assert again["duplicate"] and again["case_id"] == first["case_id"]
    _, body = api(stack, "/cases")
    assert len(body["cases"]) == 1 and body["cases"][0]["message_count"] == 2
    assert len(sent_mail()) == 1


def test_reply_to_acknowledgement_and_subject_token_thread_onto_the_case(stack):
    (first,), _ = deliver(stack, mail(), "ses-1")
    ack_id = sent_mail()[0]["Message-ID"].strip("<>")
    (by_header,), _ = deliver(stack, mail("Re: x", message_id="m2@x", extra=f"In-Reply-To: <{ack_id}>\r\n"), "ses-2")
    token_subject = f"Re: [#{first['case_id'].lower()}] still broken"
    (by_token,), _ = deliver(stack, mail(token_subject, sender="bob@example.com", message_id="m3@x"), "ses-3")
    (by_plus,), _ = deliver(
        stack, mail("again", message_id="m4@x"), "ses-4", recipients=(f"support+{first['case_id']}@acme.example",)
    )
    assert by_header["case_id"] == by_token["case_id"] == by_plus["case_id"] == first["case_id"]
    _, body = api(stack, f"/cases/{first['case_id']}")
    assert [m["direction"] for m in body["messages"]].count("inbound") == 4
    assert len(sent_mail()) == 1  # replies are not acknowledged again


def test_same_subject_from_two_people_is_two_cases(stack):
    deliver(stack, mail("Invoice", message_id="a@x"), "ses-1")
    deliver(stack, mail("Invoice", sender="bob@example.com", message_id="b@x"), "ses-2")
    assert len(api(stack, "/cases")[1]["cases"]) == 2


def test_attachments_are_stored_in_s3_with_name_type_and_size(stack):
    raw = (
        b"From: ann@example.com\r\nTo: support@acme.example\r\nSubject: invoice\r\nMessage-ID: <att@x>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="=?UTF-8?B?5Y+R56WoLnBkZg==?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n"
    )
    (result,), _ = deliver(stack, raw, "ses-att")
    message = api(stack, f"/cases/{result['case_id']}")[1]["messages"][0]
    (attachment,) = message["attachments"]
    assert attachment == {
        "attachment_id": f"{message['message_id']}-0",
        "filename": "发票.pdf",
        "content_type": "application/pdf",
        "size": 9,
        "virus_verdict": "PASS",
        "stored": True,
    }
    listed = boto3.client("s3").list_objects_v2(Bucket=stack.bucket, Prefix="attachments/acme/ses-att/")
    stored = boto3.client("s3").get_object(Bucket=stack.bucket, Key=listed["Contents"][0]["Key"])
    assert stored["Body"].read() == b"%PDF-1.4\n"


@pytest.mark.parametrize(
    ("raw", "recipients", "reason"),
    [
        (b"\x00\x01\x02 not a mail at all \xff\xfe", ("support@acme.example",), "not-mime"),
        (mail(), ("someone@unknown.example",), "unknown-recipient"),
        (mail(body="x" * 2_000_000), ("support@acme.example",), "too-large"),
    ],
)
def test_bad_input_is_quarantined_for_replay_not_lost(stack, monkeypatch, raw, recipients, reason):
    from omnicase.aws.mail_store import S3MailStore
    from omnicase.wiring import rebind

    monkeypatch.setenv("MAX_EMAIL_BYTES", "1000000")
    rebind()
    (result,), _ = deliver(stack, raw, f"ses-{reason}", recipients=recipients)
    assert result["reason"] == reason
    (record,) = S3MailStore(stack.bucket).list_quarantine()
    assert record["reason"] == reason and record["delivery_id"] == f"ses-{reason}"
    kept = boto3.client("s3").get_object(Bucket=stack.bucket, Key=record["raw_key"])["Body"].read()
    assert kept == raw
    assert api(stack, "/cases")[1]["cases"] == []


def test_bounce_of_our_acknowledgement_is_filed_on_the_case_and_marks_it(stack):
    (first,), _ = deliver(stack, mail(), "ses-1")
    ack_id = sent_mail()[0]["Message-ID"].strip("<>")
    dsn = (
        "From: MAILER-DAEMON@mx.example.com\r\nTo: support@acme.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn1@mx.example.com>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        "--r\r\nContent-Type: text/plain\r\n\r\nDelivery to ann@example.com failed.\r\n"
        "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n"
        "Final-Recipient: rfc822; ann@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{ack_id}>\r\nSubject: ack\r\n\r\n--r--\r\n"
    ).encode()
    (bounce,), _ = deliver(stack, dsn, "ses-dsn")
    assert bounce["case_id"] == first["case_id"]
    cases = api(stack, "/cases")[1]["cases"]
    assert len(cases) == 1
    messages = api(stack, f"/cases/{first['case_id']}")[1]["messages"]
    assert [m["delivery_status"] for m in messages if m["kind"] == "acknowledgement"] == ["bounced"]
    assert any(m["kind"] == "bounce" for m in messages)
    assert len(sent_mail()) == 1


def test_auto_reply_and_list_mail_get_no_acknowledgement(stack):
    deliver(stack, mail("Out of office", extra="Auto-Submitted: auto-replied\r\n"), "ses-1")
    deliver(stack, mail("Newsletter", message_id="n@x", extra="List-Id: <news.example.com>\r\n"), "ses-2")
    assert len(api(stack, "/cases")[1]["cases"]) == 2
    assert sent_mail() == []


def test_mail_without_from_still_becomes_a_case(stack):
    raw = b"To: support@acme.example\r\nSubject: anonymous\r\nMessage-ID: <nofrom@x>\r\n\r\nhello\r\n"
    (result,), _ = deliver(stack, raw, "ses-nofrom")
    assert api(stack, f"/cases/{result['case_id']}")[1]["case"]["subject"] == "anonymous"


def test_unreadable_notification_fails_the_invocation_so_sns_retries_and_dead_letters(stack):
    event = sns_event({"notificationType": "Received", "mail": {"nonsense": True}})
    with pytest.raises(Exception, match="validation error"):
        stack.handler("ingest_email")(event, FakeContext())


def test_one_intake_costs_at_most_three_dynamodb_requests(stack, monkeypatch):
    import botocore.client

    calls: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    intake_thread = threading.current_thread()

    def counting(self, operation, params):
        if threading.current_thread() is intake_thread:  # not the outbox sender working on the stream meanwhile
            calls.append(f"{self.meta.service_model.service_name}.{operation}")
        return original(self, operation, params)

    deliver(stack, mail(), "warm-up")  # tenant lookup is cached per container after the first mail
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    deliver(stack, mail("new", message_id="n1@x"), "ses-new")
    new_case = [c for c in calls if c.startswith("dynamodb.")]
    calls.clear()
    deliver(stack, mail("Re: new", message_id="n2@x", extra="In-Reply-To: <n1@x>\r\n"), "ses-reply")
    reply = [c for c in calls if c.startswith("dynamodb.")]
    assert new_case == ["dynamodb.BatchGetItem", "dynamodb.TransactWriteItems"]
    assert reply == ["dynamodb.BatchGetItem", "dynamodb.BatchGetItem", "dynamodb.TransactWriteItems"]


def test_chinese_mail_is_readable_through_the_api(stack):
    raw = (EVENTS / "email" / "02_chinese_wifi.eml").read_bytes()
    (result,), _ = deliver(stack, raw, "ses-zh")
    body = api(stack, f"/cases/{result['case_id']}")[1]
    assert body["case"]["subject"] == "打印机无法连接无线网络"
    assert "无法连接无线网络" in body["messages"][0]["body_text"]
