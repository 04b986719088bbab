"""Web chat: signed JSON messages in (one conversation, one case); the conversation's replies out by polling."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from omnicase.channels.chat.chat_message import ChatInbound, parse_chat_message
from omnicase.channels.chat.chat_signature import verify_chat_request
from omnicase.channels.receive_message import MessageIntake
from omnicase.channels.replay_guard import ReplayGuard, SignedUse, signed_use, used_once
from omnicase.channels.sms.phone_numbers import normalize_phone
from omnicase.domain.errors import RejectedInput
from omnicase.domain.inbound import InboundMessage, ThreadHints
from omnicase.domain.ingest_message import IngestOutcome
from omnicase.domain.model import Attachment, Channel, Message, Tenant
from omnicase.secrets import TenantSecrets

WIDGET_HEADER = "x-omnicase-widget"  # which tenant's chat widget is talking (its endpoint "chat:<widget>")


@dataclass
class ChatIntake:
    intake: MessageIntake
    secrets: TenantSecrets
    read_replies: Callable[[str, str, str | None], tuple[list[Message], str | None]]
    guard: ReplayGuard
    clock: Callable[[], float] = time.time

    def receive(self, headers: Mapping[str, str], body: bytes) -> IngestOutcome:
        """A chat message: its signature checked with the widget's tenant secret, used once, stored on its case."""
        tenant, use = self._verified_tenant(headers, body)
        chat = parse_chat_message(body)
        with used_once(self.guard, use):
            return self.intake.receive(_inbound(chat, tenant.tenant_id), tenant)

    def replies(
        self, headers: Mapping[str, str], signed_target: str, conversation_id: str, after: str | None
    ) -> tuple[list[Message], str | None]:
        """What we sent to a conversation after the cursor; the request signs its path and query.

        Not claimed once: a widget polling twice within a second signs both polls alike, and a read changes nothing.
        """
        tenant, _ = self._verified_tenant(headers, signed_target.encode())
        return self.read_replies(tenant.tenant_id, conversation_id, after)

    def _verified_tenant(self, headers: Mapping[str, str], signed: bytes) -> tuple[Tenant, SignedUse]:
        lower = {k.lower(): v for k, v in headers.items()}
        widget = lower.get(WIDGET_HEADER, "").strip()
        if not widget:
            raise RejectedInput("malformed", f"the {WIDGET_HEADER} header names the chat widget")
        tenant = self.intake.tenant_for("chat", widget)
        secret = self.secrets.get(tenant.tenant_id, "chat_webhook_secret")
        timestamp, signature = lower.get("x-omnicase-timestamp"), lower.get("x-omnicase-signature")
        verify_chat_request(secret, timestamp, signature, signed, now=self.clock())
        use = signed_use(tenant.tenant_id, "chat", widget, (timestamp or "").strip(), (signature or "").strip())
        return tenant, use


def _inbound(chat: ChatInbound, tenant_id: str) -> InboundMessage:
    claimed = []
    if chat.email:
        claimed.append(("email", chat.email.lower()))
    if chat.phone and (phone := normalize_phone(chat.phone)):
        claimed.append(("sms", phone))
    files = tuple(
        Attachment(
            filename=a.name or f"file-{n}",
            content_type=a.content_type or "application/octet-stream",
            size=a.size or 0,
            s3_key="",
            url=str(a.url),
        )
        for n, a in enumerate(chat.attachments)
    )
    text = chat.text or " ".join(f"[{a.filename}]" for a in files)
    return InboundMessage(
        tenant_id=tenant_id,
        channel=Channel.CHAT,
        provider_message_id=f"{chat.conversation_id}:{chat.message_id}",
        received_at=chat.sent_at or datetime.now(UTC),
        sender_address=chat.user_id,
        sender_name=chat.display_name,
        body_text=text,
        preview=text[:500],
        hints=ThreadHints(conversation_id=chat.conversation_id),
        attachments=files,
        claimed_identities=tuple(claimed),
    )
