"""Bounces and complaints about our outbound mail come back onto the message they concern.

The order of SES notifications is not guaranteed and SNS may deliver one more than once, so every transition only
ever moves a message "up": queued < sent < bounced < complained. A notification that changes nothing is ignored,
which makes redeliveries harmless, and one that is not about a message of ours is ignored too (never an error:
SNS would retry it for nothing).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import DeliveryStatus, Tenant
from omnicase.domain.outbound_message_id import parse_outbound_message_id

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a concurrent change of the same message (another notification) is re-read this often,
# then ConcurrentUpdate lets the invocation be retried


class FeedbackKind(enum.StrEnum):
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    DELIVERY = "delivery"


@dataclass(frozen=True)
class Feedback:
    """What a mail provider reported about one of our sent mails."""

    kind: FeedbackKind
    ses_message_id: str  # the provider's id of the sent mail
    our_message_id: str | None  # our Message-ID of it (bare, lower-case); None when the provider did not say
    source: str  # the envelope sender: one of the tenant's addresses
    recipients: tuple[str, ...] = ()  # the recipients the feedback is about
    detail: str = ""  # for people: "bounce Permanent/General: 550 5.1.1 ..."
    permanent: bool = False  # a hard bounce: the address cannot receive mail
    feedback_id: str = ""
    reported_at: str = ""  # the provider's timestamp, as given
    senders: tuple[str, ...] = ()  # the From addresses of the sent mail, when the provider repeated its headers


@dataclass(frozen=True)
class DeliveryState:
    """An outbound message's delivery status and detail as stored."""

    status: DeliveryStatus | None
    detail: str | None = None


@dataclass(frozen=True)
class MessageKey:
    tenant_id: str
    case_id: str
    message_id: str


@dataclass(frozen=True)
class FeedbackChange:
    """The new delivery state of a message, with the audit event that explains it (none for a delivery)."""

    state: DeliveryState
    event_kind: str | None = None


@dataclass(frozen=True)
class FeedbackOutcome:
    result: str  # recorded / unchanged / ignored
    reason: str = ""
    tenant_id: str | None = None
    case_id: str | None = None
    message_id: str | None = None
    status: DeliveryStatus | None = None
    events: tuple[CaseEvent, ...] = ()


class FeedbackTenants(Protocol):
    def tenant_for_address(self, address: str) -> Tenant | None:
        """The tenant that owns this mailbox (plus-tags ignored)."""
        ...


class FeedbackStore(Protocol):
    def delivery_state(self, key: MessageKey) -> DeliveryState | None:
        """The message's delivery state now; None when there is no such message."""
        ...

    def record_feedback(
        self, key: MessageKey, expected: DeliveryState, new: DeliveryState, events: list[CaseEvent]
    ) -> bool:
        """Store `new` with the events, all or nothing, only if the message is still in `expected`; else False."""
        ...


_RANK = {DeliveryStatus.QUEUED: 0, DeliveryStatus.SENT: 1, DeliveryStatus.BOUNCED: 2, DeliveryStatus.COMPLAINED: 3}


def plan_feedback(feedback: Feedback, current: DeliveryState) -> FeedbackChange | None:
    """The change this feedback makes to a message in `current`; None when it changes nothing.

    A hard bounce makes the message bounced, a complaint complained (worse news wins whatever the order they
    arrive in). A soft bounce (transient, undetermined) is not a failure: the message stays sent, its detail says
    what happened. A delivery only moves a message still queued (its sending was not recorded) to sent.
    A failed message (the provider refused it) or one that is not outbound gets no feedback.
    """
    if current.status not in _RANK:
        return None
    if feedback.kind is FeedbackKind.DELIVERY:
        target, detail, event = DeliveryStatus.SENT, current.detail, None
    elif feedback.kind is FeedbackKind.COMPLAINT:
        target, detail, event = DeliveryStatus.COMPLAINED, feedback.detail, "delivery_complained"
    else:
        target = DeliveryStatus.BOUNCED if feedback.permanent else DeliveryStatus.SENT
        detail, event = feedback.detail, "delivery_bounced"
    if _RANK[target] < _RANK[current.status] or (target == current.status and detail == current.detail):
        return None
    return FeedbackChange(DeliveryState(target, detail), event)


class FeedbackRecorder:
    """Finds the message a feedback is about and records what it says, once."""

    def __init__(self, tenants: FeedbackTenants, store: FeedbackStore) -> None:
        self.tenants = tenants
        self.store = store

    def record(self, feedback: Feedback, now: datetime) -> FeedbackOutcome:
        if not feedback.our_message_id:
            return _ignored(feedback, "no-message-id")
        tenant = self._tenant_of(feedback)
        if tenant is None:
            return _ignored(feedback, "unknown-sender")
        ref = parse_outbound_message_id(feedback.our_message_id, tenant)
        if ref is None:
            return _ignored(feedback, "not-ours", tenant.tenant_id)
        key = MessageKey(tenant.tenant_id, ref.case_id, ref.message_id)
        for _ in range(MAX_ATTEMPTS):
            current = self.store.delivery_state(key)
            if current is None:
                return _ignored(feedback, "unknown-message", tenant.tenant_id, key)
            change = plan_feedback(feedback, current)
            if change is None:
                return FeedbackOutcome("unchanged", "", key.tenant_id, key.case_id, key.message_id, current.status)
            events = _events(feedback, key, change, now)
            if self.store.record_feedback(key, current, change.state, events):
                logger.info("%s recorded on message %s of case %s", feedback.kind, key.message_id, key.case_id)
                status = change.state.status
                return FeedbackOutcome(
                    "recorded", "", key.tenant_id, key.case_id, key.message_id, status, tuple(events)
                )
        raise ConcurrentUpdate(f"message {key.message_id} of case {key.case_id} kept changing")

    def _tenant_of(self, feedback: Feedback) -> Tenant | None:
        for address in (feedback.source, *feedback.senders):
            tenant = self.tenants.tenant_for_address(address.lower()) if address else None
            if tenant is not None:
                return tenant
        return None


def _events(feedback: Feedback, key: MessageKey, change: FeedbackChange, now: datetime) -> list[CaseEvent]:
    if change.event_kind is None:
        return []
    log = CaseEventLog(key.tenant_id, key.case_id, now)
    log.add(
        change.event_kind,
        feedback.detail,
        message_id=key.message_id,
        recipients=list(feedback.recipients),
        permanent=feedback.permanent,
        provider_message_id=feedback.ses_message_id,
        feedback_id=feedback.feedback_id,
        reported_at=feedback.reported_at,
    )
    return log.events


def _ignored(
    feedback: Feedback, reason: str, tenant_id: str | None = None, key: MessageKey | None = None
) -> FeedbackOutcome:
    # Without our Message-ID nothing can ever match: the identity's notifications lack the original headers.
    level = logging.WARNING if reason == "no-message-id" else logging.INFO
    logger.log(
        level,
        "%s for %s ignored (%s): provider message %s",
        feedback.kind,
        feedback.our_message_id or "-",
        reason,
        feedback.ses_message_id,
    )
    return FeedbackOutcome("ignored", reason, tenant_id, key.case_id if key else None, key.message_id if key else None)
