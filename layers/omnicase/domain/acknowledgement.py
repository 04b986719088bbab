"""Acknowledgements: whether a new case's sender gets one, and what it says."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from omnicase.domain.case_token import subject_with_token
from omnicase.domain.channel_traits import TextShape, traits_of
from omnicase.domain.customer_texts import expected_reply_text, render
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import AckWindow
from omnicase.domain.model import Case, Message, Tenant, queued_outbound
from omnicase.domain.outbound_message_id import outbound_message_id
from omnicase.domain.self_service import SuggestedArticle, suggestions_block
from omnicase.domain.tenant_config import TenantConfig
from omnicase.ids import new_message_id

ACK_WINDOW_SECONDS = 3600


def next_ack_window(previous: AckWindow | None, address: str, now: datetime, limit: int) -> AckWindow | None:
    """The sender's window after one more acknowledgement, or None when they are over the limit."""
    epoch = int(now.timestamp())
    if previous is None or epoch - previous.window_start >= ACK_WINDOW_SECONDS:
        return AckWindow(address, epoch, 1)
    if previous.count >= limit:
        return None  # flooding: no acknowledgements until the hour is over
    return AckWindow(address, previous.window_start, previous.count + 1)


def is_own_address(address: str | None, tenant: Tenant) -> bool:
    """Mail from one of our own mailboxes is our mail coming back: never answer it."""
    if not address:
        return False
    local, _, domain = address.lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" in {m.lower() for m in (*tenant.mailboxes, tenant.ack_from)}


def compose_acknowledgement(
    case: Case,
    inbound: InboundMessage,
    tenant: Tenant,
    now: datetime,
    config: TenantConfig | None = None,
    articles: Sequence[SuggestedArticle] = (),
) -> Message:
    """The outbound acknowledgement of a new case, through the channel the customer used, in their language,
    telling them when to expect an answer (the first-response deadline, in their time zone), with the public
    articles that may answer it (self-service)."""
    # A millisecond after the message it answers, whatever the clocks say: it always reads after it.
    message_id = new_message_id(max(now, inbound.received_at).timestamp() + 0.001)
    ack = queued_outbound(case, message_id, now, inbound.sender_address, "acknowledgement")
    text = render(
        "acknowledgement",
        case.channel.value,
        case.service.language or "en",
        customer_values(case, tenant, inbound.sender_name, config),
        config.texts if config else None,
    )
    if articles:
        traits = traits_of(case.channel)
        block = suggestions_block(articles, case.service.language or "en", traits)
        separator = "\n\n" if traits.text_shape == TextShape.MAIL else " " if traits.short_links else "\n"
        text = f"{text.rstrip()}{separator}{block}"
        case.service.suggested_articles = tuple(a.article_id for a in articles)
    if traits_of(case.channel).text_shape != TextShape.MAIL:
        return replace(
            ack, body_text=text, preview=text, sender=inbound.recipient, conversation_id=case.conversation_id
        )
    return replace(
        ack,
        subject=f"Re: {subject_with_token(case.subject, case.case_id)}",
        body_text=text,
        preview=text[:200],
        sender=tenant.ack_from,
        email_message_id=outbound_message_id(case.case_id, message_id, tenant),
        in_reply_to=inbound.hints.email_message_id,
        references=inbound.hints.references[-19:],
    )


def customer_values(case: Case, tenant: Tenant, name: str | None, config: TenantConfig | None) -> dict[str, str]:
    """The placeholders of customer-facing texts for this case."""
    language = case.service.language or "en"
    first = [c for c in (case.service.sla.clocks if case.service.sla else ()) if c.name == "first_response"]
    due = first[-1].due_at if first and first[-1].running else None
    zone = case.service.customer_time_zone or (config.time_zone if config else "UTC")
    return {
        "tenant": tenant.name,
        "case_id": case.case_id,
        "name": (" " + name if language == "en" else name) if name else "",
        "subject": case.subject,
        "expected_reply": expected_reply_text(language, due, zone),
    }
