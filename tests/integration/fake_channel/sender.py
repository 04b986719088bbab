"""Fake messages out: what the provider would deliver, kept in OUTBOX for the test to read."""

from __future__ import annotations

from dataclasses import dataclass, field

from omnicase.domain.model import Message, Tenant


@dataclass(frozen=True)
class Delivered:
    tenant_id: str
    recipient: str
    desk: str | None
    kind: str
    text: str


OUTBOX: list[Delivered] = []


@dataclass
class FakeSender:
    outbox: list[Delivered] = field(default_factory=lambda: OUTBOX)

    def send(self, message: Message, tenant: Tenant) -> str:
        (recipient,) = message.recipients
        self.outbox.append(Delivered(tenant.tenant_id, recipient, message.sender, message.kind, message.body_text))
        return f"fake-{message.message_id}"
