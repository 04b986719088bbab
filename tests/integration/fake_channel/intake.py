"""Fake posts in: verified with the desk's tenant secret, then the shared webhook intake (dedupe, case, ack)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from omnicase.channels.receive_message import MessageIntake
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.ingest_message import IngestOutcome
from omnicase.domain.model import Channel
from omnicase.secrets import TenantSecrets
from tests.integration.fake_channel.parse_post import parse_post, verify_post
from tests.integration.fake_channel.traits import FAKE


@dataclass
class FakeIntake:
    intake: MessageIntake
    secrets: TenantSecrets

    def receive(self, body: bytes, signature: str) -> IngestOutcome:
        post = parse_post(body)
        tenant = self.intake.tenant_for(FAKE.name, post.desk)
        verify_post(self.secrets.get(tenant.tenant_id, "fake_desk_secret"), body, signature)
        inbound = InboundMessage(
            tenant_id=tenant.tenant_id,
            channel=Channel(FAKE.name),
            provider_message_id=post.message_id,
            received_at=datetime.now(UTC),
            sender_address=post.sender,
            recipient=post.desk,
            body_text=post.text,
            preview=post.text[:500],
        )
        return self.intake.receive(inbound, tenant)
