"""Acknowledgements: whether a new case's sender gets one, and what it says."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from omnicase.domain.case_token import subject_with_token
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import AckWindow
from omnicase.domain.model import Case, Channel, Message, Tenant, queued_outbound
from omnicase.domain.outbound_message_id import outbound_message_id
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


def compose_acknowledgement(case: Case, inbound: InboundMessage, tenant: Tenant, now: datetime) -> Message:
    """The outbound acknowledgement of a new case, through the channel the customer used."""
    # A millisecond after the message it answers, whatever the clocks say: it always reads after it.
    message_id = new_message_id(max(now, inbound.received_at).timestamp() + 0.001)
    ack = queued_outbound(case, message_id, now, inbound.sender_address, "acknowledgement")
    if case.channel != Channel.EMAIL:
        # Short: an SMS segment holds 70 Chinese characters; the case number is what the customer needs.
        text = f"{tenant.name}: we received your message (case {case.case_id}) and will reply soon."
        return replace(
            ack, body_text=text, preview=text, sender=inbound.recipient, conversation_id=case.conversation_id
        )
    body = (
        f"Hello{' ' + inbound.sender_name if inbound.sender_name else ''},\n\n"
        f"we have received your message and opened case {case.case_id}. "
        "Our team will get back to you as soon as possible.\n"
        "Please keep the case number in the subject when you write to us about it.\n\n"
        f"{tenant.name}\n"
    )
    return replace(
        ack,
        subject=f"Re: {subject_with_token(case.subject, case.case_id)}",
        body_text=body,
        preview=body[:200],
        sender=tenant.ack_from,
        email_message_id=outbound_message_id(case.case_id, message_id, tenant),
        in_reply_to=inbound.hints.email_message_id,
        references=inbound.hints.references[-19:],
    )
