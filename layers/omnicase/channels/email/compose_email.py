"""Outbound email as MIME: threading headers, loop markers, and no header injection."""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from omnicase.channels.unicode_text import utf8_safe
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Attachment, Message

# Everything str.splitlines() (and so the email package) takes for a line break, and the other controls.
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def single_line(value: str) -> str:
    """A header-safe value: control characters and line breaks folded into spaces, RFC 2047 words defused.

    The email package decodes "=?charset?b?...?=" words in a value it is given and folds the result, so a
    word encoding CR/LF would come out as a real header line (CVE-2024-6923 on unpatched Pythons); "=?" is
    written "= ?" instead: a subject literally holding an encoded word is junk in any case.
    """
    return _LINE_BREAKS.sub(" ", utf8_safe(value)).replace("=?", "= ?").strip()


def _address(addr_spec: str, display_name: str = "") -> Address:
    """One mailbox; what is no address at all cannot be sent, now or on any retry."""
    try:
        return Address(display_name=single_line(display_name), addr_spec=single_line(addr_spec))
    except (ValueError, IndexError, HeaderParseError) as error:  # what the stdlib parser raises on junk
        raise PermanentDeliveryFailure(f"{addr_spec[:100]!r} is not an email address") from error


def compose_email(
    message: Message,
    *,
    from_name: str,
    in_reply_to: str | None,
    references: tuple[str, ...],
    auto_submitted: bool,
    files: Sequence[tuple[Attachment, bytes]] = (),
) -> EmailMessage:
    """The MIME of an outbound message on a case, threaded under the customer's mail; `files` as attachment parts."""
    mime = EmailMessage()
    mime["From"] = _address(message.sender or "", from_name)
    if not message.recipients:
        raise PermanentDeliveryFailure("the message has no recipient")
    mime["To"] = tuple(_address(r) for r in message.recipients)
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
    mime.set_content(utf8_safe(message.body_text), charset="utf-8")
    for attachment, data in files:  # multipart/mixed: the text first, then each file base64-encoded
        maintype, _, subtype = attachment.content_type.partition("/")
        name = single_line(attachment.filename) or "attachment"
        mime.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=name)
    return mime
