"""What intake reads before deciding (the snapshot) and what it decides to write (the plan)."""

from __future__ import annotations

from dataclasses import dataclass, field

from omnicase.domain.model import Case, Customer, Message


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


@dataclass
class IntakeSnapshot:
    """Everything one batch read returns for one inbound message."""

    already_stored: StoredMessageRef | None = None
    customer_id: str | None = None
    email_refs: dict[str, StoredMessageRef] = field(default_factory=dict)  # Message-ID → message
    cases: dict[str, Case] = field(default_factory=dict)
    ack_window: AckWindow | None = None


@dataclass
class IntakePlan:
    """The writes of one intake, committed all-or-nothing."""

    case: Case  # new, or the stored case with its read version and the changes applied
    is_new_case: bool
    message: Message
    delivery_key: tuple[str, str]  # (channel, provider message id) — the redelivery guard
    new_customer: Customer | None = None
    identity: tuple[str, str] | None = None  # (channel, address) to bind to new_customer
    acknowledgement: Message | None = None
    ack_window: AckWindow | None = None
    bounced: StoredMessageRef | None = None  # the outbound message this bounce reports
