"""Outbound mail: threading headers, loop markers, and no header injection from customer text."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

from omnicase.channels.email.compose_email import compose_email
from omnicase.domain.model import Channel, Direction, Message


def outbound(subject: str = "Re: [#K3M9QX2A7B] Printer", **changes) -> Message:
    fields = dict(
        tenant_id="acme",
        case_id="K3M9QX2A7B",
        message_id="0001",
        direction=Direction.OUTBOUND,
        channel=Channel.EMAIL,
        created_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        subject=subject,
        body_text="we have received your message — 我们已收到您的邮件",
        sender="support@acme.example",
        recipients=("ann@example.com",),
        email_message_id="ack.0001@acme.example",
    )
    fields.update(changes)
    return Message(**fields)


def parse(mime) -> object:
    return message_from_bytes(mime.as_bytes(), policy=policy.default)


def test_acknowledgement_threads_under_the_customer_mail_and_marks_itself_automatic():
    mime = parse(
        compose_email(
            outbound(),
            from_name="Acme Support",
            in_reply_to="orig@example.com",
            references=("root@x",),
            auto_submitted=True,
        )
    )
    assert mime["In-Reply-To"] == "<orig@example.com>"
    assert mime["References"] == "<root@x> <orig@example.com>"
    assert mime["Message-ID"] == "<ack.0001@acme.example>"
    assert mime["Auto-Submitted"] == "auto-replied"
    assert mime["X-Omnicase-Loop"] == "acme" and mime["X-Omnicase-Case"] == "K3M9QX2A7B"
    assert "[#K3M9QX2A7B]" in mime["Subject"]
    assert "我们已收到您的邮件" in mime.get_content()


def test_customer_text_cannot_inject_headers():
    evil = outbound(subject="Hi\r\nBcc: victim@example.com\nX-Evil: 1")
    raw = compose_email(
        evil, from_name="Acme\r\nBcc: x@y", in_reply_to=None, references=(), auto_submitted=False
    ).as_bytes()
    mime = message_from_bytes(raw, policy=policy.default)
    assert mime["Bcc"] is None and mime["X-Evil"] is None
    assert "Bcc: victim@example.com" in mime["Subject"]  # kept as text, folded into one line


def test_human_reply_is_not_marked_automatic():
    mime = parse(compose_email(outbound(), from_name="Acme", in_reply_to=None, references=(), auto_submitted=False))
    assert mime["Auto-Submitted"] is None and mime["In-Reply-To"] is None
