"""Outbound email as MIME: threading headers, loop markers, and no header injection."""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from omnicase.domain.model import Message

_LINE_BREAKS = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")


def single_line(value: str) -> str:
    """A header-safe value: control characters (CR/LF above all) folded into spaces."""
    return _LINE_BREAKS.sub(" ", value).strip()


def compose_email(
    message: Message,
    *,
    from_name: str,
    in_reply_to: str | None,
    references: tuple[str, ...],
    auto_submitted: bool,
) -> EmailMessage:
    """The MIME of an outbound message on a case, threaded under the customer's mail."""
    mime = EmailMessage()
    mime["From"] = Address(display_name=single_line(from_name), addr_spec=single_line(message.sender or ""))
    mime["To"] = ", ".join(single_line(r) for r in message.recipients)
    mime["Subject"] = single_line(message.subject)
    mime["Date"] = format_datetime(message.created_at)
    if message.email_message_id:
        mime["Message-ID"] = f"<{single_line(message.email_message_id)}>"
    if in_reply_to:
        mime["In-Reply-To"] = f"<{single_line(in_reply_to)}>"
    chain = [*references, *([in_reply_to] if in_reply_to and in_reply_to not in references else [])]
    if chain:
        mime["References"] = " ".join(f"<{single_line(r)}>" for r in chain[-20:])
    if auto_submitted:
        # RFC 3834: marks our automatic mail so well-behaved responders do not answer it.
        mime["Auto-Submitted"] = "auto-replied"
        mime["X-Auto-Response-Suppress"] = "All"
        mime["Precedence"] = "auto_reply"
    mime["X-Omnicase-Case"] = message.case_id
    mime["X-Omnicase-Loop"] = message.tenant_id  # our own mail coming back is recognised by this
    mime.set_content(message.body_text, charset="utf-8")
    return mime
