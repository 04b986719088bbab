"""The SMS channel's sender: each message leaves through the provider of the number it is sent from."""

from __future__ import annotations

from collections.abc import Callable

from omnicase.channels.sms.sms_endpoints import Provider, sms_provider
from omnicase.domain.model import Message, Tenant
from omnicase.domain.ports import OutboundSender


class SmsSenderByProvider:
    """OutboundSender for SMS: a tenant's Twilio number sends through Twilio, any other number through AWS."""

    def __init__(self, build_senders: dict[Provider, Callable[[], OutboundSender]]) -> None:
        self._build = build_senders
        self._senders: dict[Provider, OutboundSender] = {}

    def send(self, message: Message, tenant: Tenant) -> str:
        provider = sms_provider(tenant.endpoints, message.sender)
        return self.sender(provider).send(message, tenant)

    def sender(self, provider: Provider) -> OutboundSender:
        """The provider's sender, built on first use (a container that only sends through AWS builds no Twilio)."""
        if provider not in self._senders:
            self._senders[provider] = self._build[provider]()
        return self._senders[provider]
