"""InboundMessage: the one normalized shape every channel hands to intake."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from omnicase.domain.model import Attachment, Channel

AGENT_OPENED = "agent"  # the redelivery guard's scope of the cases agents open: one per Idempotency-Key, any channel


def agent_opened_id(key: str) -> str:
    """The provider id of the first message of a case an agent opened with request key `key`."""
    return f"{AGENT_OPENED}:{key}"


@dataclass(frozen=True)
class ThreadHints:
    """Everything a channel knows that may tie a message to an existing case."""

    email_message_id: str | None = None
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    case_tokens: tuple[str, ...] = ()  # case ids named in the subject ([#ID]) or a plus-address
    conversation_id: str | None = None  # chat


@dataclass(frozen=True)
class InboundMessage:
    tenant_id: str
    channel: Channel
    provider_message_id: str  # dedupe key: redeliveries carry the same one
    received_at: datetime
    sender_address: str | None  # normalized: lower-case email, E.164 phone, chat user id, openid
    sender_name: str | None = None
    recipient: str | None = None  # our address it came in on
    subject: str = ""
    body_text: str = ""
    preview: str = ""
    kind: str = "human"  # MailKind value for email; "human" elsewhere
    hints: ThreadHints = field(default_factory=ThreadHints)
    attachments: tuple[Attachment, ...] = ()
    raw_ref: str | None = None
    problems: tuple[str, ...] = ()
    bounced_message_ids: tuple[str, ...] = ()
    failed_recipients: tuple[str, ...] = ()
    # Identities the sender tells us about (a chat user's email or phone): a known one joins its customer.
    claimed_identities: tuple[tuple[str, str], ...] = ()
    keyword: str | None = None  # SMS consent keyword: "stop" / "start" / "help"
    acknowledge: bool = True  # False: no automatic acknowledgement (a phone call, a case an agent opened)
    new_case: bool = False  # True: always a new case, never threaded (a case an agent opens)
    # The redelivery guard's scope: the channel by default, since two providers may reuse each other's ids; a case an
    # agent opens is guarded across channels, since its Idempotency-Key names one request whatever its channel.
    delivery_scope: str | None = None

    @property
    def delivery_key(self) -> tuple[str, str]:
        """(scope, provider message id): a second delivery with the same key is a redelivery."""
        return self.delivery_scope or self.channel.value, self.provider_message_id

    @property
    def is_bounce(self) -> bool:
        return self.kind == "bounce"

    @property
    def may_be_acknowledged(self) -> bool:
        """Only mail written by a person gets an automatic answer (no loops, no bulk)."""
        return self.kind == "human" and self.sender_address is not None and self.keyword is None
