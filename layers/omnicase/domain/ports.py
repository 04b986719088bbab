"""The ports the domain talks through; persistence and AWS adapters implement them."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Protocol

# Type-only: a sender that needs one port must not import intake's and the configuration's classes (cold start).
if TYPE_CHECKING:
    from omnicase.domain.inbound import InboundMessage
    from omnicase.domain.intake_plan import IntakePlan, IntakeSnapshot
    from omnicase.domain.model import Case, DeliveryStatus, Message, Tenant
    from omnicase.domain.tenant_config import TenantConfig


class IntakeStore(Protocol):
    def read_snapshot(
        self, inbound: InboundMessage, email_ids: tuple[str, ...], case_ids: tuple[str, ...]
    ) -> IntakeSnapshot:
        """One batch read: redelivery markers, identity, referenced messages, named cases."""
        ...

    def read_cases(self, tenant_id: str, case_ids: tuple[str, ...]) -> dict[str, Case]:
        """Cases by id (one batch read)."""
        ...

    def commit_intake(self, plan: IntakePlan) -> None:
        """Write the plan all-or-nothing; raises DuplicateDelivery or ConcurrentUpdate."""
        ...


class TenantDirectory(Protocol):
    def tenant_for_address(self, address: str) -> Tenant | None:
        """The tenant that receives mail at this address (plus-tags ignored)."""
        ...

    def tenant(self, tenant_id: str) -> Tenant | None:
        """A tenant by id."""
        ...


class SendClaim(Enum):
    """What claiming a queued message for sending found."""

    CLAIMED = "claimed"  # this attempt sends
    DONE = "done"  # no longer queued: an earlier attempt delivered or refused it
    BUSY = "busy"  # another attempt holds an unexpired claim


class DeliveryRecorder(Protocol):
    def claim_send(self, message: Message) -> SendClaim:
        """Take the right to send a queued message for a lease (two copies of a change may arrive at once)."""
        ...

    def record_delivery(
        self, message: Message, status: DeliveryStatus, detail: str | None, provider_message_id: str | None
    ) -> bool:
        """Move a queued outbound message to `status`; False when it was no longer queued (delivered already)."""
        ...

    def release_claim(self, message: Message) -> None:
        """Give up this attempt's send claim so a retry need not wait for the lease to expire."""
        ...

    def note_retry(self, message: Message, detail: str) -> None:
        """A send failed transiently: the message stays queued (it is retried) and says why meanwhile."""
        ...


class OutboundSender(Protocol):
    def send(self, message: Message, tenant: Tenant) -> str:
        """Send through the message's channel; returns the provider's id. PermanentDeliveryFailure when hopeless."""
        ...


class TenantConfigs(Protocol):
    def config_for(self, tenant_id: str) -> TenantConfig:
        """The tenant's service configuration (defaults when none was applied)."""
        ...


class DefaultConfigs:
    """No stored configuration: every tenant gets the defaults (one queue, no SLA)."""

    def config_for(self, tenant_id: str) -> TenantConfig:
        from omnicase.domain.tenant_config import TenantConfig

        return TenantConfig(tenant_id)
