"""`omnicase local` end to end: a mail over SMTP becomes a case readable over HTTP, and is acknowledged."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage

import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e


def _mail(subject: str, body: str, sender: str = "dana@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Dana Example <{sender}>"
    message["To"] = "Acme Support <support@acme.example>"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@example.com>"
    message.set_content(body)
    return message


def _case_with_subject(stack: LocalStack, subject: str) -> dict | None:
    status, page = stack.get("/cases?limit=100")
    assert status == 200, page
    return next((case for case in page["cases"] if case["subject"] == subject), None)


def test_mail_over_smtp_becomes_a_case_with_its_message(local_stack: LocalStack) -> None:
    # Given a customer mail to the seeded tenant's mailbox
    subject = f"Scanner jams on page two {uuid.uuid4().hex[:6]}"
    mail = _mail(subject, "The scanner jams every time on the second page.")

    # When it is sent over SMTP
    with smtplib.SMTP("127.0.0.1", local_stack.smtp_port, timeout=30) as smtp:
        smtp.send_message(mail, from_addr="dana@example.com", to_addrs=["support@acme.example"])

    # Then the API lists the case and shows the message body
    case = local_stack.wait_for(lambda: _case_with_subject(local_stack, subject))
    assert case["status"]
    status, detail = local_stack.get(f"/cases/{case['case_id']}")
    assert status == 200, detail
    assert detail["case"]["case_id"] == case["case_id"]
    inbound = [m for m in detail["messages"] if m["direction"] == "inbound"]
    assert inbound and "jams every time on the second page" in inbound[0]["body_text"]
    assert inbound[0]["channel"] == "email"


def test_acknowledgement_carries_the_case_token(local_stack: LocalStack) -> None:
    # Given a mail that opened a case
    subject = f"Invoice address wrong {uuid.uuid4().hex[:6]}"
    with smtplib.SMTP("127.0.0.1", local_stack.smtp_port, timeout=30) as smtp:
        smtp.send_message(_mail(subject, "Please fix the invoice address.", sender="erin@example.com"))
    case = local_stack.wait_for(lambda: _case_with_subject(local_stack, subject))

    # When the outbox is read
    def acknowledgement() -> dict | None:
        _, outbox = local_stack.get("/_local/outbox", token=None)
        return next((e for e in outbox if f"[#{case['case_id']}]" in (e["subject"] or "")), None)

    # Then it holds the acknowledgement to the sender, with the case token in its subject
    ack = local_stack.wait_for(acknowledgement)
    assert ack["channel"] == "email"
    assert "erin@example.com" in ack["to"]


def test_rcpt_to_an_unknown_domain_is_rejected(local_stack: LocalStack) -> None:
    with smtplib.SMTP("127.0.0.1", local_stack.smtp_port, timeout=30) as smtp:
        smtp.ehlo()
        smtp.mail("dana@example.com")
        code, _ = smtp.rcpt("someone@unknown.example")
    assert code == 550


def test_local_routes_and_unknown_paths(local_stack: LocalStack) -> None:
    status, health = local_stack.get("/_local/health", token=None)
    assert status == 200 and health["status"] == "ok"
    status, body = local_stack.get("/no/such/route")
    assert status == 404 and body["message"] == "Not Found"


def test_api_refuses_requests_without_a_token(local_stack: LocalStack) -> None:
    status, _ = local_stack.get("/cases", token=None)
    assert status == 401
