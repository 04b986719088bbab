"""Intake shared by every webhook channel: find the tenant by where the message was sent, then ingest it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from omnicase.channels.inbound_text import bounded_inbound
from omnicase.domain.errors import RejectedInput
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.ingest_message import Amend, IngestOutcome, ingest_message
from omnicase.domain.model import Tenant
from omnicase.domain.ports import DefaultConfigs, IntakeStore, TenantConfigs
from omnicase.domain.self_service import ArticleSuggester


class EndpointDirectory(Protocol):
    def tenant_for_endpoint(self, channel: str, address: str) -> Tenant | None: ...


@dataclass
class MessageIntake:
    tenants: EndpointDirectory
    store: IntakeStore
    configs: TenantConfigs = field(default_factory=DefaultConfigs)
    suggester: ArticleSuggester | None = None  # the knowledge base's articles for acknowledgements

    def tenant_for(self, channel: str, address: str) -> Tenant:
        """The tenant reached at this number / account / widget; a 404-worthy rejection otherwise."""
        tenant = self.tenants.tenant_for_endpoint(channel, address)
        if tenant is None:
            raise RejectedInput("unknown-endpoint", f"no tenant receives {channel} at {address}")
        return tenant

    def receive(self, inbound: InboundMessage, tenant: Tenant, amend: Amend | None = None) -> IngestOutcome:
        """Store the message on its case exactly once, its text cleaned and bounded (inbound_text.py); `amend`
        adds a channel's own changes to the plan, committed with it.

        A key-bound value over its limit (an address, an id) is refused with a 400 naming it (key_limits.py).
        """
        config = self.configs.config_for(tenant.tenant_id)
        bounded = bounded_inbound(inbound)
        return ingest_message(bounded, tenant, self.store, config=config, suggester=self.suggester, amend=amend)
