"""Which provider a tenant's SMS number belongs to: `sms:+1…` is AWS End User Messaging, `sms:twilio:+1…` Twilio.

The provider is part of the endpoint as the tenant is set up (`omnicase tenant add --endpoint sms:twilio:+1…`), so
replies, acknowledgements and surveys leave through the provider that owns the number they are sent from: AWS
cannot send from a Twilio number, nor Twilio from an AWS one. The provider is never part of the lookup address:
inbound SMS find their tenant by the number alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Provider = Literal["aws", "twilio"]
PROVIDERS: tuple[Provider, ...] = ("aws", "twilio")
DEFAULT_PROVIDER: Provider = "aws"


def endpoint_parts(endpoint: str) -> tuple[str, str]:
    """`channel:address` of an endpoint as inbound messages look it up (an SMS provider qualifier removed)."""
    channel, _, address = endpoint.partition(":")
    if channel == "sms":
        provider, sep, number = address.partition(":")
        if sep and provider in PROVIDERS:
            return channel, number
    return channel, address


def sms_provider(endpoints: Iterable[str], number: str | None) -> Provider:
    """The provider of the tenant's SMS number `number`; AWS for a number without one or not among the endpoints."""
    if not number:
        return DEFAULT_PROVIDER
    for endpoint in endpoints:
        channel, _, address = endpoint.partition(":")
        provider, sep, rest = address.partition(":")
        if channel == "sms" and sep and provider in PROVIDERS and rest == number:
            return provider  # type: ignore[return-value]  # checked against PROVIDERS
    return DEFAULT_PROVIDER
