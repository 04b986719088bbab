"""The ports the domain talks through; persistence and AWS adapters implement them."""

from __future__ import annotations

from typing import Protocol

from omnicase.domain.inbound import InboundMessage
from omnicase.domain.intake_plan import IntakePlan, IntakeSnapshot
from omnicase.domain.model import Case, DeliveryStatus, Message, Tenant


class IntakeStore(Protocol):
    def read_snapshot(
        self, inbound: InboundMessage, email_ids: tuple[str, ...], case_ids: tuple[str, ...]
    ) -> IntakeSnapshot:
        """One batch read: redelivery markers, identity, referenced messages, named cases, ack window."""
        ...

    def read_cases(self, tenant_id: str, case_ids: tuple[str, ...]) -> dict[str, Case]:
        """Cases by id (one batch read)."""
        ...

    def commit_intake(self, plan: IntakePlan) -> None:
        """Write the plan all-or-nothing; raises DuplicateDelivery or ConcurrentUpdate."""
        ...

    def mark_delivery(
        self, tenant_id: str, case_id: str, message_id: str, status: DeliveryStatus, detail: str | None
    ) -> None:
        """Record how an outbound message's delivery went."""
        ...


class TenantDirectory(Protocol):
    def tenant_for_address(self, address: str) -> Tenant | None:
        """The tenant that receives mail at this address (plus-tags ignored)."""
        ...


class AcknowledgementSender(Protocol):
    def send_acknowledgement(self, case: Case, ack: Message, inbound: InboundMessage) -> None:
        """Send an acknowledgement through the case's channel; raises on failure."""
        ...
