"""Where the customer is: the time zone we tell them times in."""

from __future__ import annotations

from functools import lru_cache

from omnicase.domain.channel_traits import AddressKind, traits_of
from omnicase.domain.inbound import InboundMessage


def customer_time_zone(inbound: InboundMessage, tenant_time_zone: str) -> str:
    """A phone number's zone when its number plan has only one (+86 → Asia/Shanghai); the tenant's otherwise
    (+1 spans many zones, and an email address or openid says nothing about where someone is)."""
    if traits_of(inbound.channel).address_kind == AddressKind.PHONE and inbound.sender_address:
        zone = _zone_of_number(inbound.sender_address)
        if zone:
            return zone
    return tenant_time_zone


@lru_cache(maxsize=1024)
def _zone_of_number(e164: str) -> str | None:
    import phonenumbers  # only SMS needs it; its zone table loads on first use
    from phonenumbers import timezone

    try:
        zones = timezone.time_zones_for_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return None
    return zones[0] if len(zones) == 1 and zones[0] != "Etc/Unknown" else None
