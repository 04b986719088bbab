"""Amazon Connect contact events → a message on the caller's case (channel `phone`), with the call's effects; and
Contact Lens transcripts → a message on the case of their call.

A transcript joins its call by the contact id (the call's redelivery marker names its case). One that arrives
before its call goes to the caller's current case (DescribeContact names the caller), where the call then lands
too; with the number withheld it waits in the queue for the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from omnicase.channels.phone.call_effects import call_effects
from omnicase.channels.phone.connect_call import ConnectCall, call_of
from omnicase.channels.phone.contact_event import parse_contact_event
from omnicase.channels.phone.contact_lens import (
    MAX_FILE_BYTES,
    CallNotStoredYet,
    analysis_object,
    instance_arn,
    parse_analysis,
)
from omnicase.channels.receive_message import MessageIntake
from omnicase.channels.sms.phone_numbers import normalize_phone
from omnicase.domain.inbound import InboundMessage, ThreadHints
from omnicase.domain.ingest_message import IngestOutcome
from omnicase.domain.model import Channel

PHONE = Channel("phone")


class CallerLookup(Protocol):
    """The caller's number of a contact (contact events do not carry it): DescribeContact in AWS."""

    def caller_of(self, instance_arn: str, contact_id: str) -> str | None: ...


class AnalysisFiles(Protocol):
    """Contact Lens output in the instance's bucket: S3 in AWS."""

    def read(self, bucket: str, key: str, limit: int) -> bytes | None: ...


class StoredCalls(Protocol):
    """The case a stored call is on, by its provider message id, and the caller's number there."""

    def call_case(self, tenant_id: str, provider_message_id: str) -> tuple[str, str | None] | None: ...


@dataclass(frozen=True)
class CallReceipt:
    outcome: IngestOutcome | None  # None: an event that is no finished voice call (ignored)
    call: ConnectCall | None = None
    ignored: str = ""


@dataclass
class PhoneIntake:
    intake: MessageIntake
    callers: CallerLookup
    files: AnalysisFiles | None = None
    calls: StoredCalls | None = None
    transcripts: str = "redacted"  # which analysis file becomes the transcript: redacted | original

    def receive_contact_event(self, event: object) -> CallReceipt:
        """A finished call stored once on the caller's case; RejectedInput for a malformed event or an instance no
        tenant has (`unknown-endpoint`: nothing is written)."""
        contact = parse_contact_event(event)
        call = call_of(contact)
        if call is None:
            return CallReceipt(None, ignored=f"{contact.channel or '?'} {contact.event_type or '?'}")
        tenant = self.intake.tenant_for("phone", contact.instance_arn)
        raw = contact.customer_address or self.callers.caller_of(contact.instance_arn, contact.contact_id)
        caller = _e164(raw)
        text = call.describe()
        inbound = InboundMessage(
            tenant_id=tenant.tenant_id,
            channel=PHONE,
            provider_message_id=f"connect:{contact.contact_id}",
            received_at=call.started_at or datetime.now(UTC),
            sender_address=caller,  # None: a withheld number (the call is kept, no customer, no callback)
            recipient=_e164(contact.system_address) or contact.instance_id,
            subject="Missed call" if call.wants_callback else "Phone call",
            body_text=text,
            preview=text,
            # The same person as their texts: the number's SMS identity names the customer.
            claimed_identities=(("sms", caller),) if caller else (),
            acknowledge=False,  # a caller is answered by a person or called back, not texted automatically
        )
        return CallReceipt(self.intake.receive(inbound, tenant, amend=call_effects(call)), call)

    def receive_transcript_event(self, event: object) -> CallReceipt:
        """A Contact Lens analysis file (S3 "Object Created") stored once as the transcript on its call's case."""
        assert self.files is not None and self.calls is not None
        found = analysis_object(event)
        if isinstance(found, str):
            return CallReceipt(None, ignored=found)
        if found.redacted != (self.transcripts == "redacted"):
            return CallReceipt(None, ignored=f"this stack takes the {self.transcripts} analysis files")
        raw = self.files.read(found.bucket, found.key, MAX_FILE_BYTES)
        if raw is None:
            return CallReceipt(None, ignored="the analysis file is gone")
        transcript = parse_analysis(raw, found.contact_id)
        instance = instance_arn(found, transcript.instance_id)
        tenant = self.intake.tenant_for("phone", instance)
        call_id = f"connect:{found.contact_id}"
        stored = self.calls.call_case(tenant.tenant_id, call_id)
        case_id, caller = stored if stored else (None, _e164(self.callers.caller_of(instance, found.contact_id)))
        if stored is None and caller is None:
            raise CallNotStoredYet(f"no call {found.contact_id} yet, and its caller is unknown")
        text = transcript.text() or "(no speech was transcribed)"
        inbound = InboundMessage(
            tenant_id=tenant.tenant_id,
            channel=PHONE,
            provider_message_id=f"{call_id}:transcript",  # one per call, whichever file or delivery brings it
            received_at=_event_time(event) or datetime.now(UTC),
            sender_address=caller,
            recipient=transcript.instance_id,
            subject="Call transcript",
            body_text=f"Transcript of the call (Contact Lens):\n{text}",
            preview=text[:200],
            hints=ThreadHints(case_tokens=(case_id,) if case_id else ()),
            claimed_identities=(("sms", caller),) if caller else (),
            acknowledge=False,
        )
        return CallReceipt(self.intake.receive(inbound, tenant))


def _event_time(event: object) -> datetime | None:
    raw = event.get("time") if isinstance(event, dict) else None
    try:
        at = datetime.fromisoformat(str(raw).replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None
    return at if at and at.tzinfo else None


def _e164(raw: str | None) -> str | None:
    number = normalize_phone(raw or "")
    return number if number and number.startswith("+") else None
