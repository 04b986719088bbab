"""`omnicase local` end to end: a mail's attachment over SMTP is listed on its case with its verdict, and its
download link (S3 as the browser reaches it) answers the very bytes that were sent."""

from __future__ import annotations

import smtplib
import urllib.request
import uuid
from email.message import EmailMessage

import pytest

from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e

CONTRACT = b"%PDF-1.7\n" + bytes(range(256)) * 64  # every byte value: any re-encoding would show


def _case_with_subject(stack: LocalStack, subject: str) -> dict | None:
    status, page = stack.get("/cases?limit=100")
    assert status == 200, page
    return next((case for case in page["cases"] if case["subject"] == subject), None)


def test_a_mail_attachment_downloads_byte_identical_through_its_link(local_stack: LocalStack) -> None:
    # Given a customer mail with a PDF attachment, sent over SMTP
    subject = f"Signed contract {uuid.uuid4().hex[:6]}"
    mail = EmailMessage()
    mail["From"] = "Fay <fay@example.com>"
    mail["To"] = "support@acme.example"
    mail["Subject"] = subject
    mail["Message-ID"] = f"<{uuid.uuid4().hex}@example.com>"
    mail.set_content("The signed contract is attached.")
    mail.add_attachment(CONTRACT, maintype="application", subtype="pdf", filename="合同 signed.pdf")
    with smtplib.SMTP("127.0.0.1", local_stack.smtp_port, timeout=30) as smtp:
        smtp.send_message(mail, from_addr="fay@example.com", to_addrs=["support@acme.example"])
    case = local_stack.wait_for(lambda: _case_with_subject(local_stack, subject))

    # When the agent opens the case and asks for the attachment's link
    detail = local_stack.get(f"/cases/{case['case_id']}")[1]
    (attachment,) = next(m for m in detail["messages"] if m["direction"] == "inbound")["attachments"]
    status, link = local_stack.get(f"/cases/{case['case_id']}/attachments/{attachment['attachment_id']}")

    # Then the case lists it with its verdict, and the link downloads the same bytes under the same name
    assert (attachment["filename"], attachment["content_type"], attachment["size"]) == (
        "合同 signed.pdf",
        "application/pdf",
        len(CONTRACT),
    )
    assert attachment["stored"] and attachment["virus_verdict"]
    assert status == 200, link
    with urllib.request.urlopen(link["url"], timeout=10) as response:
        assert response.read() == CONTRACT
        assert "attachment;" in response.headers["Content-Disposition"]
