"""`omnicase local` at its edges: broken Content-Length, mail SES takes that aiosmtpd alone refused, the outbox as
sent, and log lines that name their own function."""

from __future__ import annotations

import json
import smtplib
import socket
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from omnicase.channels.sms.twilio_signature import twilio_signature
from omnicase_local.runtime import LOCAL_SECRETS
from tests.e2e.conftest import API_TOKEN, LocalStack, run_local

pytestmark = pytest.mark.e2e
MAILBOX = "support@acme.example"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with run_local() as running:
        yield running


def raw_http(stack: LocalStack, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", stack.http_port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def case_by_subject(stack: LocalStack, subject: str) -> dict | None:
    _, page = stack.get("/cases?limit=100")
    return next((c for c in page["cases"] if c["subject"] == subject), None)


def send_mail(stack: LocalStack, sender: str, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", stack.smtp_port, timeout=30) as smtp:
        assert smtp.sendmail(sender, [MAILBOX], raw) == {}


def outbox(stack: LocalStack) -> list[dict]:
    with urllib.request.urlopen(stack.http_url + "/_local/outbox", timeout=10) as response:
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        raw = response.read()
    assert b"\\u" not in raw  # characters as they were sent, not escapes
    return json.loads(raw.decode("utf-8"))


@pytest.mark.parametrize("length", [b"-1", b"abc", b"1e20", b"5, 7"])
def test_a_content_length_that_is_no_length_gets_a_400_answer(stack, length):
    answer = raw_http(
        stack,
        b"POST /webhooks/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + length + b"\r\n\r\n{}",
    )
    assert answer.startswith(b"HTTP/1.1 400 ") and b"Content-Length must be" in answer


def test_a_body_over_api_gateways_10_mb_gets_a_413_without_being_read(stack):
    answer = raw_http(stack, b"POST /webhooks/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 10485761\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert stack.get("/_local/health", token=None)[0] == 200


def test_an_eml_with_bare_lf_lines_replayed_with_smtplib_is_stored(stack):
    # Given a mail saved on Unix (LF line ends), longer than one SMTP line, with a line holding a lone dot
    subject = f"Saved on Unix {uuid.uuid4().hex[:6]}"
    lines = [f"line {n} of a long mail, " + "x" * 60 for n in range(40)]
    raw = (
        f"From: Lee <lee.lf@example.com>\nTo: {MAILBOX}\nSubject: {subject}\n"
        f"Message-ID: <{uuid.uuid4().hex}@example.com>\n\n" + "\n".join([*lines[:20], ".", *lines[20:]]) + "\n"
    ).encode()
    assert b"\r" not in raw and len(raw) > 1001

    # When it is replayed as bytes (smtplib sends bytes as they are), Then SES's local door takes it
    send_mail(stack, "lee.lf@example.com", raw)
    case = stack.wait_for(lambda: case_by_subject(stack, subject))
    _, detail = stack.get(f"/cases/{case['case_id']}")
    text = detail["messages"][0]["body_text"]
    assert lines[0] in text and lines[39] in text and "\n.\n" in text


def test_a_mail_with_300_kb_of_headers_becomes_a_case(stack):
    subject = f"Many headers {uuid.uuid4().hex[:6]}"
    filler = b"".join(b"X-Filler-%d: %s\r\n" % (n, b"v" * 900) for n in range(300))  # 274 KB
    raw = f"From: Bo <bo.h@example.com>\r\nTo: {MAILBOX}\r\nSubject: {subject}\r\n".encode() + filler + b"\r\nhi\r\n"
    send_mail(stack, "bo.h@example.com", raw)  # was 451: the SNS notification carried every header
    stack.wait_for(lambda: case_by_subject(stack, subject))


@pytest.mark.parametrize("length", [65, 200])
def test_a_sender_whose_local_part_is_over_64_characters_is_acknowledged(stack, length):
    sender, subject = f"{'q' * (length - 6)}{uuid.uuid4().hex[:6]}@example.com", f"Long name {length}"
    send_mail(stack, sender, f"From: {sender}\r\nTo: {MAILBOX}\r\nSubject: {subject}\r\n\r\nhi\r\n".encode())
    case = stack.wait_for(lambda: case_by_subject(stack, subject))
    sent = stack.wait_for(lambda: [e for e in outbox(stack) if e["to"] == [sender]])
    assert sent[0]["case_id"] == case["case_id"]


def test_the_outbox_shows_chinese_and_russian_as_sent_and_sms_with_their_case(stack):
    # Given a Chinese mail (its acknowledgement is Chinese) answered by an agent in Russian
    subject = f"订单 {uuid.uuid4().hex[:6]}"
    mail = f"From: Wang <wang.zh@example.com>\r\nTo: {MAILBOX}\r\nSubject: {subject}\r\n"
    mail += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n我的订单在哪里？\r\n"
    send_mail(stack, "wang.zh@example.com", mail.encode())
    case = stack.wait_for(lambda: case_by_subject(stack, subject))
    reply = json.dumps({"body": "Здравствуйте! Ваш заказ уже в пути."}).encode()
    headers = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"}
    request = urllib.request.Request(f"{stack.http_url}/cases/{case['case_id']}/replies", reply, headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201

    # And an SMS that opened a case
    sender, url = "+14255550123", f"{stack.http_url}/webhooks/sms/twilio"
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "From": sender, "To": "+15005550006", "Body": "Where is it?"}
    signature = twilio_signature(LOCAL_SECRETS["TWILIO_AUTH_TOKEN"], url, {k: [v] for k, v in form.items()})
    signed = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    with urllib.request.urlopen(urllib.request.Request(url, urlencode(form).encode(), signed), timeout=10) as answer:
        assert answer.status == 200

    # Then the outbox shows the texts as they were sent, and the SMS names its case
    def sent() -> list[dict]:
        entries = [e for e in outbox(stack) if e["case_id"] == case["case_id"] or e["to"] == [sender]]
        return entries if len(entries) == 3 else []

    ack, answer_ru, sms = sorted(stack.wait_for(sent), key=lambda e: (e["channel"], e["sent_at"]))
    assert "您好" in ack["body_text"] and "Ваш заказ уже в пути" in answer_ru["body_text"]
    _, page = stack.get("/cases?channel=sms&limit=100")
    (sms_case,) = [c for c in page["cases"] if c["contact_address"] == sender]
    assert sms["channel"] == "sms" and sms["case_id"] == sms_case["case_id"]


def test_a_webhooks_log_line_names_its_function_not_the_last_sender(stack):
    # Given a runtime where send_outbound has just run (an acknowledgement, its correlation id set)
    subject = f"Before the forgery {uuid.uuid4().hex[:6]}"
    send_mail(
        stack, "kai@example.com", f"From: kai@example.com\r\nTo: {MAILBOX}\r\nSubject: {subject}\r\n\r\nhi\r\n".encode()
    )
    stack.wait_for(lambda: [e for e in outbox(stack) if e["to"] == ["kai@example.com"]])

    # When a Twilio request arrives unsigned
    form = urlencode({"MessageSid": "SM" + uuid.uuid4().hex, "From": "+14255550124", "To": "+15005550006"}).encode()
    request = urllib.request.Request(
        f"{stack.http_url}/webhooks/sms/twilio", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403

    # Then its log line is the webhook's own, not a JSON line of send_outbound with that stale case id
    def logged() -> list[str]:
        return [line for line in stack.output if "rejected request in twilio_sms" in line]

    (line,) = stack.wait_for(logged)
    assert "[SmsWebhookFunction]" in line and "send_outbound" not in line and not line.startswith("{")
