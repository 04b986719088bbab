"""Right to be forgotten (PIPL / GDPR): what erasing a customer removes and what it keeps. Pure: no AWS here.

Removed or overwritten: the customer's identities (email, phone, WeChat openid, chat ids) and name, every
message's text, subject, addresses and mail headers, raw mails and attachments, survey contacts and comments,
free-text reasons of the audit trail, blocked reply drafts. Kept: every number the reports read (cases, their
statuses, priorities, queues, assignees, timestamps, SLA clocks and breaches, message counts, survey scores), so
reports still add up, and the customer id as a tombstone the cases point at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, DeliveryStatus, Direction, Message
from omnicase.domain.survey import Survey, SurveyStatus
from omnicase.reports.day_counts import Tally, subject_name

ERASED = "(erased)"
ERASURE_EVENT = "customer_erased"
NOT_SENT = "not sent: the customer was erased"
# Audit reasons omnicase composes from configuration and its own decisions; every other reason (notes, an agent's
# status reason, bounce details, callback reasons quoting a comment) may hold what someone wrote and is erased.
SYSTEM_REASONS = frozenset(
    {
        "routed", "deadline_set", "paused", "resumed", "sla_warning", "sla_breached", "escalated", "assigned",
        "unassigned", "priority_changed", "queue_changed", "responded", "reopened", "reply_blocked", "linked",
        "merged", "tags_changed", "problem_linked", "problem_unlinked", "survey_answered", "follow_up_opened",
        "handed_back", ERASURE_EVENT,
    }
)  # fmt: skip
PERSONAL_DETAIL = frozenset({"recipients"})  # event detail keys that list the customer's addresses


@dataclass(frozen=True)
class ErasureRecord:
    """Who erased which customer and when; `completed_at` and the counts once everything was erased."""

    tenant_id: str
    customer_id: str
    erased_by: str
    erased_at: datetime
    completed_at: datetime | None = None
    cases: int = 0
    messages: int = 0
    identities: int = 0
    mail_objects: int = 0

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    def as_document(self) -> dict[str, Any]:
        """What the API answers and the CLI prints."""
        return {
            "customer_id": self.customer_id,
            "erased_by": self.erased_by,
            "erased_at": self.erased_at.isoformat(),
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "cases": self.cases,
            "messages": self.messages,
            "identities": self.identities,
            "mail_objects": self.mail_objects,
        }


@dataclass(frozen=True)
class CaseErasure:
    """What erasing one case touched (added up on the record)."""

    messages: int = 0
    mail_objects: int = 0


def needles(identities: Iterable[str], display_name: str | None = None) -> frozenset[str]:
    """The strings that give the customer away, case-folded: each identity's address ("email:ann@x" → "ann@x")
    and the name they gave (a belt over the field-by-field erasure, for free text that quotes them)."""
    found = {identity.split(":", 1)[-1].casefold() for identity in identities}
    if display_name and len(display_name.strip()) >= 2:
        found.add(display_name.strip().casefold())
    return frozenset(n for n in found if n)


def mentions(text: str, customer: frozenset[str]) -> bool:
    folded = text.casefold()
    return any(needle in folded for needle in customer)


def scrubbed(value: Any, customer: frozenset[str]) -> Any:
    """The value with every string that mentions the customer replaced by ERASED, at any depth."""
    if isinstance(value, str):
        return ERASED if mentions(value, customer) else value
    if isinstance(value, dict):
        return {key: scrubbed(item, customer) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrubbed(item, customer) for item in value]
    return value


def erased_case(case: Case) -> Case:
    """The case without what identifies or quotes the customer; status, queue, clocks and counts unchanged."""
    return replace(case, subject=ERASED, first_line=ERASED, contact_address=None, conversation_id=None)


def erased_message(message: Message, customer: frozenset[str] = frozenset()) -> Message:
    """The message without text, addresses, headers and stored files. An outbound message still queued is never
    sent (failed, with why); our own side (the sending mailbox, the agent) stays on outbound messages, and the
    provider's id unless it spells the customer (chat ids are "<conversation>:<message>")."""
    provider_id = message.provider_message_id
    ours = message.direction != Direction.INBOUND
    status, detail = message.delivery_status, message.delivery_detail
    if status == DeliveryStatus.QUEUED:
        status, detail = DeliveryStatus.FAILED, NOT_SENT
    elif detail and detail != NOT_SENT:
        detail = ERASED  # bounce and provider details quote the address
    return replace(
        message,
        subject=ERASED if message.subject else "",
        body_text=ERASED,
        preview=ERASED,
        sender=message.sender if ours else None,
        sender_name=message.sender_name if ours else None,
        recipients=(),
        email_message_id=None,
        in_reply_to=None,
        references=(),
        conversation_id=None,
        provider_message_id=None if provider_id and mentions(provider_id, customer) else provider_id,
        raw_ref=None,
        attachments=(),
        delivery_status=status,
        delivery_detail=detail,
    )


def mail_keys(message: Message, bucket: str) -> list[str]:
    """The keys in the mail bucket a message refers to: its raw mail (s3://bucket/key) and its attachments."""
    found = [attachment.s3_key for attachment in message.attachments if attachment.s3_key]
    if message.raw_ref:
        raw_bucket, _, key = message.raw_ref.removeprefix("s3://").partition("/")
        if raw_bucket == bucket and key:
            found.append(key)
    return found


def erased_event(event: CaseEvent, customer: frozenset[str]) -> CaseEvent:
    """The audit entry with its kind, actor, time and structured detail; free text and addresses erased."""
    reason = event.reason
    if reason and (event.kind not in SYSTEM_REASONS or mentions(reason, customer)):
        reason = ERASED
    detail = {key: value for key, value in event.detail.items() if key not in PERSONAL_DETAIL}
    return replace(event, reason=reason, detail=scrubbed(detail, customer))


def erasure_event(record: ErasureRecord, case_id: str) -> CaseEvent:
    """The entry on each erased case's audit trail; the same id and time on every run, so a rerun rewrites it."""
    return CaseEvent(
        record.tenant_id,
        case_id,
        "erasure",
        record.erased_at,
        ERASURE_EVENT,
        record.erased_by,
        "the customer's personal data was erased on request",
        {"customer_id": record.customer_id},
    )


def erased_survey(survey: Survey) -> Survey:
    """No contact, no comment; the score stays. A survey not yet sent is skipped, one waiting for an answer
    expires: nothing may go to, or be taken from, a customer who is no longer known."""
    status, due_at, reason = survey.status, survey.due_at, survey.skipped_reason
    if status == SurveyStatus.SCHEDULED:
        status, due_at, reason = SurveyStatus.SKIPPED, None, "customer erased"
    elif status in (SurveyStatus.SENT, SurveyStatus.REMINDED):
        status, due_at = SurveyStatus.EXPIRED, None
    return replace(survey, contact=ERASED, comment="", status=status, due_at=due_at, skipped_reason=reason)


def keeps_email_marker(email_message_id: str, direction: str, customer: frozenset[str]) -> bool:
    """Whether a Message-ID marker of an erased case stays: an inbound one does (an opaque id that keeps a late
    redelivery of the erased mail from being taken in again) unless it spells one of the customer's addresses;
    ours (outbound, awaited) go, so a reply to them opens a new case instead of threading onto the erased one."""
    return direction == Direction.INBOUND.value and not mentions(email_message_id, customer)


def keeps_delivery_marker(provider_message_id: str, customer: frozenset[str]) -> bool:
    """A provider's delivery marker of an erased message stays (it stops a redelivery from re-creating the message)
    unless its id spells the customer: a chat id carries the conversation."""
    return not mentions(provider_message_id, customer)


def erased_tally(tally: Tally) -> Tally:
    """What the report counters hold of an erased case: its counts on the same day, its subject tallied as
    `(erased)` (the day's subject row keeps the number, not the customer's words)."""
    return replace(tally, subject=subject_name(ERASED) if tally.subject else "")


def subject_tally_name(subject: str) -> str:
    """The name a case's subject is tallied under in the report counters ("" for none)."""
    return subject_name(subject)
