"""Acknowledgements and replies by email through SES (raw MIME, so threading headers survive)."""

from __future__ import annotations

from omnicase.aws.clients import client
from omnicase.channels.compose_email import compose_email
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.model import Case, Message, Tenant


class SesAcknowledgementSender:
    """AcknowledgementSender for the email channel."""

    def __init__(self, tenant: Tenant) -> None:
        self._tenant = tenant

    def send_acknowledgement(self, case: Case, ack: Message, inbound: InboundMessage) -> None:
        hints = inbound.hints
        mime = compose_email(
            ack,
            from_name=self._tenant.name,
            in_reply_to=hints.email_message_id,
            references=hints.references,
            auto_submitted=True,
        )
        client("sesv2").send_email(
            FromEmailAddress=ack.sender,
            Destination={"ToAddresses": list(ack.recipients)},
            Content={"Raw": {"Data": mime.as_bytes()}},
        )
