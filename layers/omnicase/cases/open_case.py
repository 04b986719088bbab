"""POST /cases: a case an agent opens for a walk-in or a call, through intake's own rules.

The customer is an existing id, or an address (email, E.164 phone, WeChat openid) found or created as intake does:
identities are conditional writes, so two requests for a new address make one customer. The case is routed and
gets its SLA clocks like any case; it is always a new case and the customer gets no acknowledgement. With an
`Idempotency-Key` the request is the provider id of its first message: a repeat finds it stored and answers it, and
a repeat whose request differs from the first is refused (the key names one request, as the IETF's Idempotency-Key
draft has it), rather than answered with a case that is not what it asked for.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from omnicase.channels.receive_message import MessageIntake
from omnicase.channels.sms.phone_numbers import normalize_phone
from omnicase.channels.unicode_text import clean_text
from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.channel_traits import AddressKind, traits_of
from omnicase.domain.errors import RejectedInput, TooLong
from omnicase.domain.inbound import AGENT_OPENED, InboundMessage, agent_opened_id
from omnicase.domain.ingest_message import IngestOutcome
from omnicase.domain.intake_plan import IntakePlan
from omnicase.domain.model import Case, Channel, CustomerProfile, Direction, Message, Tenant
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.text_limits import check_agent_text

CASE_OPENED = "case_opened"
FIELDS = frozenset({"channel", "customer_id", "email", "phone", "wechat_openid", "subject", "message", "note"})
MAX_KEY = 255
MAX_SUBJECT = 998  # RFC 5322's line length, as a mail's subject
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, as HTTP header values go
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")
PHONE_CHANNELS = ("sms", "phone")  # one number, one customer: each names the other
NAMED_IDENTITIES = 25  # of an existing customer's, read in intake's one batch (every one carries the same traits)


@dataclass(frozen=True)
class CaseRequest:
    channel: str
    subject: str
    text: str
    as_note: bool  # the text is the agent's note, not the customer's words
    customer_id: str | None = None
    address: tuple[str, str] | None = None  # (the case channel's identity channel, normalized address)


def case_request_from(body: object) -> CaseRequest:
    """{channel, customer_id | email | phone | wechat_openid, subject, message | note}; ValueError (400) naming why."""
    if not isinstance(body, Mapping):
        raise ValueError('send {"channel", "customer_id" or an address, "subject", "message" or "note"}')
    unknown = set(body) - FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    channel = body.get("channel")
    if not isinstance(channel, str):
        raise ValueError("channel is required")
    traits = traits_of(Channel.parse(channel))
    who = [k for k in ("customer_id", "email", "phone", "wechat_openid") if body.get(k) is not None]
    if len(who) != 1:
        raise ValueError("name the customer once: customer_id, email, phone or wechat_openid")
    texts = [k for k in ("message", "note") if body.get(k) is not None]
    if len(texts) != 1 or not isinstance(body[texts[0]], str) or not body[texts[0]].strip():
        raise ValueError('send the first "message" (what the customer said) or a "note" (for agents)')
    subject = body.get("subject")
    if not isinstance(subject, str) or not subject.strip():
        raise ValueError("subject is required")
    text = check_agent_text("body", clean_text(body[texts[0]]).strip())
    title = clean_text(subject).strip()
    if len(title) > MAX_SUBJECT:
        raise TooLong("subject", len(title), MAX_SUBJECT)
    request = CaseRequest(str(channel), title, text, texts[0] == "note")
    (field,) = who
    value = body[field]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field} must be a non-empty string")
    if field == "customer_id":
        return replace(request, customer_id=value.strip())
    return replace(request, address=_address(field, value.strip(), traits.name, traits.address_kind))


def _address(field: str, value: str, channel: str, kind: AddressKind) -> tuple[str, str]:
    if field == "email" and kind == AddressKind.EMAIL and _EMAIL.fullmatch(value):
        return channel, value.lower()
    if field == "phone" and kind == AddressKind.PHONE:
        number = normalize_phone(value)
        if number and number.startswith("+"):
            return channel, number
        raise ValueError(f"phone {value[:32]!r} is no number in E.164 (+<country><number>)")
    if field == "wechat_openid" and channel == "wechat" and re.fullmatch(r"[\w-]{1,128}", value):
        return channel, value
    raise ValueError(f"a {channel} case needs the customer's {channel} address, not {field}")


def idempotency_key(headers: Mapping[str, str]) -> str | None:
    """The request's Idempotency-Key header (400 when unusable); None without one."""
    key = next((v for k, v in headers.items() if k.lower() == "idempotency-key"), None)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise ValueError(f"Idempotency-Key must be 1-{MAX_KEY} printable ASCII characters")
    return key


def provider_id_of(key: str | None) -> str:
    """The provider id of the case's first message: the Idempotency-Key's, so a repeat finds it; else unique."""
    return agent_opened_id(key or str(uuid.uuid4()))


def differences(request: CaseRequest, case: Case, first: Message | None) -> list[str]:
    """The fields in which `request` differs from the one that opened `case` with its first message `first`
    (empty: the same request). Compared as stored, after the same cleaning, so a byte-identical retry matches."""
    if first is None:  # the first message is gone (an erased customer): nothing left to compare but the case
        return [] if case.channel.value == request.channel else ["channel"]
    customer_differs = (
        case.customer_id != request.customer_id
        if request.customer_id
        else request.address is not None and case.contact_address != request.address[1]
    )
    asked_note = first.direction == Direction.NOTE
    checks = {
        "channel": case.channel.value != request.channel,
        "customer": customer_differs,
        "subject": first.subject != request.subject,
        "message" if not request.as_note else "note": first.body_text != request.text or asked_note != request.as_note,
    }
    return [name for name, differs in checks.items() if differs]


def open_case(
    tenant: Tenant,
    request: CaseRequest,
    key: str | None,
    actor: str,
    intake: MessageIntake,
    customer: CustomerProfile | None = None,
) -> IngestOutcome:
    """The new case (or, for a repeated Idempotency-Key, the one the first request opened)."""
    if customer is not None and customer.merged_into:
        raise RejectedInput("malformed", f"{customer.customer_id} was merged into {customer.merged_into}; use that one")
    sender = request.address[1] if request.address else None
    claimed: tuple[tuple[str, str], ...] = ()
    if sender and request.channel in PHONE_CHANNELS:
        claimed = tuple((c, sender) for c in PHONE_CHANNELS if c != request.channel)
    if customer is not None:  # intake reads the customer's routing traits (a VIP's walk-in is a VIP's) from these
        claimed = tuple((c, a) for c, _, a in (i.partition(":") for i in customer.identities[:NAMED_IDENTITIES]))
    inbound = InboundMessage(
        tenant_id=tenant.tenant_id,
        channel=Channel(request.channel),
        provider_message_id=provider_id_of(key),
        received_at=datetime.now(UTC),
        sender_address=sender,
        subject=request.subject,
        body_text=request.text,
        preview=request.text[:500],
        claimed_identities=claimed,
        acknowledge=False,
        new_case=True,
        delivery_scope=AGENT_OPENED,
    )
    return intake.receive(inbound, tenant, amend=_opened_by(request, actor, customer))


def _opened_by(request: CaseRequest, actor: str, customer: CustomerProfile | None):  # noqa: ANN202
    def amend(plan: IntakePlan, config: TenantConfig, now: datetime) -> None:
        case = plan.case
        if customer is not None:
            case.customer_id = customer.customer_id
            case.contact_address = _contact(customer, request.channel)
        if request.as_note:
            plan.message = replace(plan.message, direction=Direction.NOTE, kind="note", sender=None, sender_name=actor)
        log = CaseEventLog(case.tenant_id, case.case_id, now)
        log.add(CASE_OPENED, f"opened by {actor} ({request.channel})", actor=actor, channel=request.channel)
        plan.events += log.events

    return amend


def _contact(customer: CustomerProfile, channel: str) -> str | None:
    """The customer's address the case answers on: their identity on that channel (a number serves SMS and calls)."""
    channels = PHONE_CHANNELS if channel in PHONE_CHANNELS else (channel,)
    found = (i.split(":", 1)[1] for i in customer.identities if i.split(":", 1)[0] in channels)
    return next(found, None)
