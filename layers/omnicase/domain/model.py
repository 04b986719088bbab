"""Entities of the case domain as plain data: what a case, message and customer are."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from omnicase.domain.sla_clock_state import SlaClocks


class Channel(str):
    """A channel's name, as stored; what the channel does is in its traits (domain/channel_traits.py), so a new
    channel is a new package under omnicase/channels, not a new member here."""

    __slots__ = ()
    EMAIL: ClassVar[Channel]
    SMS: ClassVar[Channel]
    CHAT: ClassVar[Channel]
    WECHAT: ClassVar[Channel]

    @property
    def value(self) -> str:
        """The plain name (what stored items, logs and documents hold)."""
        return str.__str__(self)

    @classmethod
    def parse(cls, name: str) -> Channel:
        """A registered channel's name; ValueError naming the known ones otherwise (config documents, queries)."""
        from omnicase.domain.channel_traits import UnknownChannel, traits_of

        try:
            return cls(traits_of(name).name)
        except UnknownChannel as error:
            raise ValueError(str(error)) from None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: object, handler: Any) -> Any:
        """In pydantic models (the configuration document): a string naming a registered channel."""
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(cls.parse, core_schema.str_schema())


Channel.EMAIL, Channel.SMS, Channel.CHAT, Channel.WECHAT = map(Channel, ("email", "sms", "chat", "wechat"))


class CaseStatus(enum.StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    NOTE = "note"


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"  # the provider reported the handset got it (Twilio status callbacks)
    UNDELIVERED = "undelivered"  # sent, but the carrier could not deliver it (Twilio status callbacks)
    FAILED = "failed"
    BOUNCED = "bounced"
    COMPLAINED = "complained"


class Priority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


@dataclass(frozen=True)
class Attachment:
    """An attachment stored in S3."""

    filename: str
    content_type: str
    size: int
    s3_key: str  # "" when the provider keeps the media (MMS, WeChat, chat uploads): then `url` says where
    url: str | None = None
    virus_verdict: str | None = None  # SES's scan of the mail it came in (PASS, GRAY, ...); None: not scanned
    media_id: str | None = None  # WeChat's MediaId: fetched by it (media/get) when there is no URL


@dataclass
class Case:
    tenant_id: str
    case_id: str
    channel: Channel
    subject: str
    status: CaseStatus = CaseStatus.NEW
    customer_id: str | None = None
    contact_address: str | None = None  # where the customer is answered (email address, E.164, ...)
    mailbox: str | None = None  # our address the case came in on; replies go out from it
    priority: Priority = Priority.NORMAL
    queue: str = "general"
    assignee: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_inbound_at: datetime | None = None
    message_count: int = 0
    follow_up_of: str | None = None  # the closed case a late reply came back to
    followed_up_by: str | None = None  # this case's latest follow-up: later late replies join it (no scan)
    solved_at: datetime | None = None
    conversation_id: str | None = None  # chat: replies are delivered to this conversation
    first_line: str = ""  # the subject, or the first line of the first message (what an inbox row shows)
    service: CaseService = field(default_factory=lambda: CaseService())
    version: int | None = None  # optimistic lock; None until first stored


@dataclass
class CaseService:
    """How the case is being served: routing outcome, SLA clocks, escalation and timers."""

    tags: tuple[str, ...] = ()
    routed_by: str | None = None  # the rule or built-in that chose the queue
    tier: str | None = None
    key_account: str | None = None
    assigned_at: datetime | None = None  # the assignee's silence is counted from here or their last reply
    dedicated_until: datetime | None = None  # key account: the dedicated agent holds the case until then
    previous_assignee: str | None = None  # a reopened case goes back to them when available
    sla: SlaClocks | None = None
    first_response_at: datetime | None = None
    last_agent_reply_at: datetime | None = None
    breached: tuple[str, ...] = ()  # SLA clocks that passed their deadline
    warned: tuple[str, ...] = ()  # SLA clocks whose pre-breach warning went out
    escalation_level: int = 0
    escalated_at: datetime | None = None
    next_deadline: datetime | None = None  # the earliest timer due: the escalation flow wakes then
    links: tuple[str, ...] = ()  # related cases ("related:<id>", "merged-from:<id>")
    merged_into: str | None = None  # this case was merged into that one and closed
    problem_key: str | None = None  # a known bug / feature request the case waits on (release follow-up)
    language: str | None = None  # the customer's language ("en", "zh"), for what we send them
    customer_time_zone: str | None = None  # where the customer is, for the times we tell them
    notify_customer: bool = False  # a person wrote (not an auto-reply, list or bounce): they may hear from us
    suggested_articles: tuple[str, ...] = ()  # public articles the acknowledgement offered (self-service)
    self_served: str | None = None  # solved by the customer: "article:<id>" (its link) or "reply" (a "solved" text)
    kb_uses: tuple[str, ...] = ()  # what agents inserted in replies: "canned:<id>", "article:<id>", one per use
    callback_kind: str | None = None  # a callback case: why it was opened ("low_score", "key_complaint")
    customer_reached_at: datetime | None = None  # a callback case: first reached call or written answer of theirs


@dataclass
class Message:
    tenant_id: str
    case_id: str
    message_id: str  # ours: unique per case, sortable by time
    direction: Direction
    channel: Channel
    created_at: datetime
    subject: str = ""
    body_text: str = ""
    preview: str = ""
    sender: str | None = None
    sender_name: str | None = None
    recipients: tuple[str, ...] = ()
    kind: str = "human"  # human / auto_reply / bounce / bulk / loop / acknowledgement
    email_message_id: str | None = None  # RFC 5322 Message-ID, bare
    in_reply_to: str | None = None  # outbound email: the customer's Message-ID it answers
    references: tuple[str, ...] = ()  # outbound email: the thread it continues
    conversation_id: str | None = None  # outbound chat: the conversation it goes to
    provider_message_id: str | None = None  # SES messageId, Twilio MessageSid, ...
    raw_ref: str | None = None  # s3://bucket/key of the raw payload
    attachments: tuple[Attachment, ...] = ()
    delivery_status: DeliveryStatus | None = None  # outbound only
    delivery_detail: str | None = None
    problems: tuple[str, ...] = ()


@dataclass
class Customer:
    tenant_id: str
    customer_id: str
    display_name: str | None = None
    created_at: datetime | None = None
    identities: list[str] = field(default_factory=list)  # "email:ann@example.com", "sms:+8613800138000"


@dataclass(frozen=True)
class CustomerProfile:
    """A customer as agents see it: every identity that leads to them."""

    customer_id: str
    display_name: str | None
    identities: list[str]  # "email:ann@example.com", "sms:+8613800138000", "chat:visitor-9", "wechat:o…"
    merged_into: str | None = None
    tier: str | None = None
    tags: tuple[str, ...] = ()
    key_account: str | None = None
    dedicated_agent: str | None = None


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    name: str
    mailboxes: tuple[str, ...]
    ack_from: str
    ack_enabled: bool = True
    ack_limit_per_hour: int = 5  # acknowledgements to one sender per hour before they stop
    # Where customers reach the tenant on the other channels: "sms:+15005550006", "wechat:gh_3a4b5c", "chat:web".
    endpoints: tuple[str, ...] = ()
    chat_callback_url: str | None = None  # outbound chat messages are POSTed here, signed


def queued_outbound(case: Case, message_id: str, now: datetime, recipient: str | None, kind: str) -> Message:
    """An outbound message on the case's channel, queued: send_outbound sends it from the table's stream (the
    transactional outbox), so it is stored and sent, or neither."""
    return Message(
        tenant_id=case.tenant_id,
        case_id=case.case_id,
        message_id=message_id,
        direction=Direction.OUTBOUND,
        channel=case.channel,
        created_at=now,
        recipients=(recipient,) if recipient else (),
        kind=kind,
        delivery_status=DeliveryStatus.QUEUED,
    )
