"""The normalized result of parsing one raw email; pure data, no AWS."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class MailKind(enum.StrEnum):
    """What kind of sender produced a mail: decides whether it may be acknowledged."""

    HUMAN = "human"
    AUTO_REPLY = "auto_reply"  # vacation responders, Auto-Submitted, X-Autoreply, ...
    BOUNCE = "bounce"  # DSN / NDR / mailer-daemon
    BULK = "bulk"  # Precedence bulk/junk/list, mailing lists (List-Id, List-Unsubscribe)
    LOOP = "loop"  # our own mail coming back (X-Omnicase-Loop header or our own Message-ID domain)


@dataclass(frozen=True)
class ParsedAttachment:
    """One attachment (or inline part that is not the body) with its decoded bytes."""

    filename: str
    content_type: str
    content: bytes
    content_id: str | None = None
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class ParsedEmail:
    """A raw email made readable: decoded headers, text body, preview, attachments, classification."""

    message_id: str | None  # without angle brackets
    in_reply_to: tuple[str, ...]  # message ids without angle brackets
    references: tuple[str, ...]  # oldest first, without angle brackets
    from_address: str | None  # lower-cased addr-spec, None when missing or unparseable
    from_name: str | None
    to: tuple[str, ...]  # lower-cased addr-specs
    cc: tuple[str, ...]
    reply_to: tuple[str, ...]
    subject: str  # RFC 2047 decoded, whitespace folded, "" when missing
    date: datetime | None  # timezone-aware
    body_text: str  # the whole readable text (from text/plain, else from HTML made text)
    preview: str  # the new text only: quoted history and signature cut, at most ~500 chars
    html_only: bool  # the body came from HTML
    attachments: tuple[ParsedAttachment, ...]
    kind: MailKind
    # For bounces: the Message-IDs of the original messages that bounced, and the failed recipients.
    bounced_message_ids: tuple[str, ...] = ()
    failed_recipients: tuple[str, ...] = ()
    # Things that went wrong but did not stop parsing (unknown charset, missing boundary, ...), for the log.
    problems: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)  # selected decoded headers, lower-case names
