"""Consent per address: whether a customer opted out (SMS STOP) of messages on a channel."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import IdentityItem


class DynamoConsent:
    def opted_out(self, tenant_id: str, channel: str, address: str) -> bool:
        """True when the address sent STOP and not START since (a strongly consistent read)."""
        try:
            item = IdentityItem.get(
                keys.identity_pk(tenant_id, channel, address),
                keys.SINGLETON_SK,
                consistent_read=True,
                attributes_to_get=["opted_out"],
            )
        except DoesNotExist:
            return False
        return bool(item.opted_out)
