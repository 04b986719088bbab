"""Twilio's status callbacks: the signature checked like an inbound SMS, then the status recorded on our message once.

The callback URL names the message (`?tenant=&case=&message=`, signed by Twilio with the rest), and its MessageSid
must be the one the message was sent as. An unknown tenant or message, or a message sent under another SID, is a 404
`unknown-message`; a bad signature a 403 — nothing is written for either. A redelivered or late callback changes
nothing (delivery_progress.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qs

from omnicase.channels.sms.delivery_progress import moves_forward, reported_status, status_detail
from omnicase.channels.sms.intake import SignedRequest
from omnicase.channels.sms.parse_twilio_status import TwilioStatus, parse_twilio_status
from omnicase.channels.sms.public_url import public_url
from omnicase.channels.sms.twilio_sender import PROVIDER_PREFIX
from omnicase.channels.sms.twilio_signature import twilio_signature_valid
from omnicase.domain.errors import ConcurrentUpdate, RejectedInput
from omnicase.domain.model import DeliveryStatus, Tenant
from omnicase.secrets import TenantSecrets

MAX_ATTEMPTS = 3  # a concurrent change of the message (the sender recording, another callback) is re-read


@dataclass(frozen=True)
class MessageRef:
    tenant_id: str
    case_id: str
    message_id: str


@dataclass(frozen=True)
class OutboundSms:
    """What the status needs of the stored message."""

    status: DeliveryStatus | None
    provider_message_id: str | None


@dataclass(frozen=True)
class StatusOutcome:
    result: str  # recorded / unchanged / ignored
    status: DeliveryStatus | None = None


class Tenants(Protocol):
    def tenant(self, tenant_id: str) -> Tenant | None: ...


class SmsStatusStore(Protocol):
    def outbound_sms(self, ref: MessageRef) -> OutboundSms | None:
        """The outbound SMS message's status and provider id; None when there is no such outbound SMS."""
        ...

    def record_status(
        self, ref: MessageRef, expected: OutboundSms, status: DeliveryStatus, detail: str | None, provider_id: str
    ) -> bool:
        """Store the status, detail and provider id only if the message is still as `expected`; else False."""
        ...


@dataclass
class TwilioStatusCallbacks:
    tenants: Tenants
    secrets: TenantSecrets
    store: SmsStatusStore
    public_base_url: str | None = None

    def receive(self, request: SignedRequest) -> StatusOutcome:
        """Verify, find the message, record the status when it moves the message forward."""
        report = parse_twilio_status(request.body)
        ref = _message_ref(request.query)
        tenant = self.tenants.tenant(ref.tenant_id)
        if tenant is None:
            raise RejectedInput("unknown-message", f"no tenant {ref.tenant_id!r} sent message {report.message_sid}")
        self._verify(request, report, tenant)
        for _ in range(MAX_ATTEMPTS):
            stored = self.store.outbound_sms(ref)
            provider_id = PROVIDER_PREFIX + report.message_sid
            if stored is None or stored.provider_message_id not in (None, provider_id):
                raise RejectedInput(
                    "unknown-message", f"{report.message_sid} is not message {ref.message_id} of case {ref.case_id}"
                )
            reported = reported_status(report.status)
            if reported is None:
                return StatusOutcome("ignored", stored.status)
            if not moves_forward(stored.status, reported):
                return StatusOutcome("unchanged", stored.status)
            detail = status_detail(reported, report.error_code)
            # A callback may overtake the sender's own record of the send: the SID is stored with the status then.
            if self.store.record_status(ref, stored, reported, detail, provider_id):
                return StatusOutcome("recorded", reported)
        raise ConcurrentUpdate(f"message {ref.message_id} of case {ref.case_id} kept changing")

    def _verify(self, request: SignedRequest, report: TwilioStatus, tenant: Tenant) -> None:
        url = public_url(
            request.headers, request.path, request.query, stage=request.stage, base_url=self.public_base_url
        )
        signature = _header(request.headers, "x-twilio-signature")
        if not signature:
            raise RejectedInput("missing-signature", "X-Twilio-Signature is missing")
        token = self.secrets.get(tenant.tenant_id, "twilio_auth_token")
        if not twilio_signature_valid(token, url, report.params, signature):
            raise RejectedInput("bad-signature", f"X-Twilio-Signature does not match {url}")


def _message_ref(query: str) -> MessageRef:
    try:
        params = parse_qs(query, max_num_fields=20)
    except ValueError:  # more fields than any callback URL of ours has
        params = {}
    values = [(params.get(name) or [""])[0].strip() for name in ("tenant", "case", "message")]
    if not all(values) or any(len(v) > 128 for v in values):
        raise RejectedInput("malformed", "the status callback URL names no message (?tenant=&case=&message=)")
    return MessageRef(*values)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name), None)
