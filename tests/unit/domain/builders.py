"""Builders of domain inputs for unit tests."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from omnicase.domain.inbound import InboundMessage, ThreadHints
from omnicase.domain.model import Channel, Tenant

TENANT = Tenant(
    tenant_id="acme", name="Acme Support", mailboxes=("support@acme.example",), ack_from="support@acme.example"
)
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
_sequence = itertools.count(1)


def email(
    subject: str = "Printer broken",
    sender: str | None = "ann@example.com",
    *,
    at: datetime | None = None,
    message_id: str | None = None,
    in_reply_to: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
    tokens: tuple[str, ...] = (),
    kind: str = "human",
    delivery_id: str | None = None,
    bounced: tuple[str, ...] = (),
    tenant_id: str = "acme",
) -> InboundMessage:
    n = next(_sequence)
    return InboundMessage(
        tenant_id=tenant_id,
        channel=Channel.EMAIL,
        provider_message_id=delivery_id or f"ses-{n}",
        received_at=at or T0 + timedelta(seconds=n),
        sender_address=sender,
        sender_name="Ann",
        recipient="support@acme.example",
        subject=subject,
        body_text=f"body {n}",
        preview=f"body {n}",
        kind=kind,
        hints=ThreadHints(
            email_message_id=message_id if message_id is not None else f"m{n}@example.com",
            in_reply_to=in_reply_to,
            references=references,
            case_tokens=tokens,
        ),
        bounced_message_ids=bounced,
    )


def redelivered(message: InboundMessage) -> InboundMessage:
    return replace(message)


def sms(
    body: str = "我的订单还没到", sender: str = "+8613800138000", *, at=None, sid=None, keyword=None, tenant_id="acme"
):
    n = next(_sequence)
    return InboundMessage(
        tenant_id=tenant_id,
        channel=Channel.SMS,
        provider_message_id=sid or f"SM{n:032d}",
        received_at=at or T0 + timedelta(seconds=n),
        sender_address=sender,
        recipient="+15005550006",
        body_text=body,
        preview=body,
        keyword=keyword,
    )


def wechat(content: str = "你好", openid: str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", *, at=None):
    n = next(_sequence)
    return InboundMessage(
        tenant_id="acme",
        channel=Channel.WECHAT,
        provider_message_id=f"{1234567890123456 + n}",
        received_at=at or T0 + timedelta(seconds=n),
        sender_address=openid,
        body_text=content,
        preview=content,
    )


def chat(
    text: str = "Hi, where is my parcel?", user: str = "u-1", conversation: str = "conv-1", *, claimed=(), at=None
):
    n = next(_sequence)
    return InboundMessage(
        tenant_id="acme",
        channel=Channel.CHAT,
        provider_message_id=f"chat-msg-{n}",
        received_at=at or T0 + timedelta(seconds=n),
        sender_address=user,
        body_text=text,
        preview=text,
        hints=ThreadHints(conversation_id=conversation),
        claimed_identities=tuple(claimed),
    )
