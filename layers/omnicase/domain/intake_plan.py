"""What intake reads before deciding (the snapshot) and what it decides to write (the plan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, Customer, Message
from omnicase.domain.survey import Survey

if TYPE_CHECKING:
    from omnicase.domain.availability import AgentAvailability


@dataclass(frozen=True)
class StoredMessageRef:
    """Where an already-stored message lives."""

    case_id: str
    message_id: str
    direction: str = "inbound"


@dataclass(frozen=True)
class AckWindow:
    """How many acknowledgements one sender got in the current hour."""

    address: str
    window_start: int  # epoch seconds
    count: int


@dataclass(frozen=True)
class CustomerTraits:
    """What an agent set on the customer's profile that routing must honour."""

    tier: str | None = None
    key_account: str | None = None
    dedicated_agent: str | None = None


@dataclass(frozen=True)
class SenderIdentity:
    """What the sender's identity item holds: its customer, current thread, consent and ack rate."""

    customer_id: str
    thread_case_id: str | None = None  # SMS / WeChat: the case this address is talking on
    opted_out: bool = False
    ack_window: AckWindow | None = None
    traits: CustomerTraits = CustomerTraits()
    pending_survey_case_id: str | None = None  # a survey sent here waits for a text reply (a digit) until …
    pending_survey_until: datetime | None = None


@dataclass
class IntakeSnapshot:
    """Everything the intake reads (one batch, a second only for cases found through the first)."""

    already_stored: StoredMessageRef | None = None
    sender: SenderIdentity | None = None
    claimed: dict[tuple[str, str], str] = field(default_factory=dict)  # other identities named → customer
    claimed_traits: dict[tuple[str, str], CustomerTraits] = field(default_factory=dict)  # → that customer's traits
    conversation_case_id: str | None = None  # chat: the case of this conversation
    email_refs: dict[str, StoredMessageRef] = field(default_factory=dict)  # Message-ID → message
    # Message-IDs a stored reply referenced before they arrived (redelivery is out of order) → that reply's case
    awaited: dict[str, str] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    # What agents set about their availability, read in the same batch (None: this store does not read it)
    availability: dict[str, AgentAvailability] | None = None

    @property
    def customer_id(self) -> str | None:
        return self.sender.customer_id if self.sender else None

    @property
    def ack_window(self) -> AckWindow | None:
        return self.sender.ack_window if self.sender else None


@dataclass
class IdentityWrite:
    """The sender identity after this intake: created, or its changed fields updated."""

    channel: str
    address: str
    customer_id: str
    create: bool
    thread_case_id: str | None = None
    opted_out: bool | None = None
    ack_window: AckWindow | None = None
    # The thread pointer as read: the commit holds only while it is unchanged (a callback case opening meanwhile
    # moved it, so the message is planned again and lands there)
    thread_read: str | None = None


@dataclass
class IntakePlan:
    """The writes of one intake, committed all-or-nothing."""

    case: Case  # new, or the stored case with its read version and the changes applied
    is_new_case: bool
    message: Message
    delivery_key: tuple[str, str]  # (channel, provider message id) — the redelivery guard
    new_customer: Customer | None = None
    sender_identity: IdentityWrite | None = None
    new_identities: tuple[tuple[str, str], ...] = ()  # other identities of the customer, created with it
    # The customer's routing traits as read: every identity this intake creates carries them (intake reads them there)
    customer_traits: CustomerTraits = field(default_factory=CustomerTraits)
    # chat: (conversation id, its case from now on, the case it pointed to before or None when new)
    conversation: tuple[str, str, str | None] | None = None
    acknowledgement: Message | None = None
    bounced: StoredMessageRef | None = None  # the outbound message this bounce reports
    awaited_refs: tuple[str, ...] = ()  # referenced Message-IDs not stored yet: their mail will join this case
    events: list[CaseEvent] = field(default_factory=list)  # the case's audit trail of this intake
    new_cases: list[Case] = field(default_factory=list)  # opened beside it (a missed call's callback case)
    # Old cases (as read) that name the new case as their latest follow-up, each only if it still names what was read.
    followed_up: tuple[Case, ...] = ()


@dataclass
class SurveyReply:
    """A text reply that answers the sender's pending survey: written instead of a case message."""

    survey: Survey  # answered
    events: list[CaseEvent]  # the original case's
    callback: tuple[Case, list[CaseEvent]] | None
    delivery_key: tuple[str, str]  # (channel, provider message id) — the redelivery guard
