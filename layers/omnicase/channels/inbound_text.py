"""What a customer wrote, made safe to keep: control characters stripped, each free-text field cut to its limit.

Every channel's intake passes its InboundMessage through `bounded_inbound` before it is stored (MessageIntake for
SMS, chat and WeChat, EmailIntake for mail). A customer's text is never refused for its length: a cut is recorded in
the message's `problems`, so agents see that there was more (the raw mail stays in S3). What an agent writes is
refused instead (400 naming the field): see AGENT_LIMITS in domain/text_limits.py.
"""

from __future__ import annotations

from dataclasses import replace

from omnicase.channels.unicode_text import clean_line, clean_text
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.text_limits import CUSTOMER_LIMITS, PREVIEW_CHARS


def bounded_inbound(inbound: InboundMessage) -> InboundMessage:
    """The message with every text cleaned and cut to CUSTOMER_LIMITS; each cut named once in `problems`."""
    problems = list(inbound.problems)
    body = _bounded(clean_text(inbound.body_text), "body", problems)
    attachments = tuple(
        replace(
            a,
            filename=_bounded(clean_line(a.filename), "filename", problems),
            content_type=_bounded(clean_line(a.content_type), "content_type", problems),
        )
        for a in inbound.attachments
    )
    name = _bounded(clean_line(inbound.sender_name), "display_name", problems) if inbound.sender_name else None
    return replace(
        inbound,
        sender_name=name or None,
        subject=_bounded(clean_line(inbound.subject), "subject", problems),
        body_text=body,
        preview=clean_text(inbound.preview)[:PREVIEW_CHARS] if inbound.preview else body[:PREVIEW_CHARS],
        attachments=attachments,
        problems=tuple(dict.fromkeys(problems)),
    )


def _bounded(text: str, field: str, problems: list[str]) -> str:
    limit = CUSTOMER_LIMITS[field]
    if len(text) <= limit:
        return text
    problems.append(f"{field.replace('_', '-')}-truncated")
    return text[:limit]
