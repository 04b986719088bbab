"""SMS from Twilio or AWS End User Messaging (Pinpoint) → InboundMessage; Twilio requests verified first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from omnicase.channels.receive_message import MessageIntake
from omnicase.channels.sms.errors import SmsRejected
from omnicase.channels.sms.keywords import sms_keyword
from omnicase.channels.sms.parse_pinpoint import PinpointInbound, parse_pinpoint_sms
from omnicase.channels.sms.parse_twilio import TwilioInbound, parse_twilio_form
from omnicase.channels.sms.phone_numbers import normalize_phone
from omnicase.channels.sms.public_url import public_url
from omnicase.channels.sms.twilio_signature import twilio_signature_valid
from omnicase.domain.errors import RejectedInput
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.ingest_message import IngestOutcome
from omnicase.domain.model import Attachment, Channel
from omnicase.secrets import TenantSecrets

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@dataclass(frozen=True)
class SignedRequest:
    """What the edge knows of an HTTP request, for rebuilding the URL the provider signed."""

    headers: Mapping[str, str]
    path: str
    query: str
    stage: str | None
    body: bytes


@dataclass
class SmsIntake:
    intake: MessageIntake
    secrets: TenantSecrets
    public_base_url: str | None = None

    def receive_twilio(self, request: SignedRequest) -> IngestOutcome:
        """A Twilio webhook: verified against the tenant's auth token before anything is stored."""
        sms = parse_twilio_form(request.body)
        tenant = self.intake.tenant_for("sms", _number(sms.to_number))
        url = public_url(
            request.headers, request.path, request.query, stage=request.stage, base_url=self.public_base_url
        )
        signature = _header(request.headers, "x-twilio-signature")
        token = self.secrets.get(tenant.tenant_id, "twilio_auth_token")
        if not signature:
            raise RejectedInput("missing-signature", "X-Twilio-Signature is missing")
        if not twilio_signature_valid(token, url, sms.params, signature):
            raise RejectedInput("bad-signature", f"X-Twilio-Signature does not match {url}")
        return self.intake.receive(_from_twilio(sms, tenant.tenant_id), tenant)

    def receive_pinpoint(self, message: str | bytes, received_at: datetime | None = None) -> IngestOutcome:
        """An End User Messaging two-way SMS (SNS message body); the SNS path is trusted or verified upstream."""
        sms = parse_pinpoint_sms(message)
        tenant = self.intake.tenant_for("sms", _number(sms.destination_number))
        return self.intake.receive(_from_pinpoint(sms, tenant.tenant_id, received_at), tenant)


def _from_twilio(sms: TwilioInbound, tenant_id: str) -> InboundMessage:
    media = tuple(
        Attachment(filename=f"media-{n}", content_type=kind, size=0, s3_key="", url=url)
        for n, (url, kind) in enumerate(sms.media)
    )
    return _inbound(tenant_id, f"twilio:{sms.message_sid}", sms.from_number, sms.to_number, sms.body, media, None)


def _from_pinpoint(sms: PinpointInbound, tenant_id: str, received_at: datetime | None) -> InboundMessage:
    return _inbound(
        tenant_id,
        f"aws:{sms.inbound_message_id}",
        sms.origination_number,
        sms.destination_number,
        sms.body,
        (),
        received_at,
    )


def _inbound(
    tenant_id: str,
    provider_id: str,
    sender: str,
    recipient: str,
    body: str,
    media: tuple[Attachment, ...],
    received_at: datetime | None,
) -> InboundMessage:
    text = body or ("[media]" if media else "")
    return InboundMessage(
        tenant_id=tenant_id,
        channel=Channel.SMS,
        provider_message_id=provider_id,
        received_at=received_at or datetime.now(UTC),
        sender_address=_sender(sender),
        recipient=_number(recipient),
        body_text=text,
        preview=text[:500],
        attachments=media,
        keyword=sms_keyword(body or ""),
    )


def _sender(raw: str) -> str:
    """The customer's number in E.164; anything else (a short code, a name, junk) can be no customer's phone."""
    number = normalize_phone(raw)
    if number is None or not number.startswith("+"):
        shown = raw.strip()[:32]
        raise SmsRejected("invalid-sender", f"sender {shown!r} is no valid phone number in E.164 (+<country><number>)")
    return number


def _number(raw: str) -> str:
    return normalize_phone(raw) or raw.strip()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name), None)
