"""Where a Connect call was stored, by its contact id: the intake's redelivery marker names the case, no scan."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import CaseItem, DeliveryItem


class DynamoStoredCalls:
    """StoredCalls on the single table: two consistent reads."""

    def call_case(self, tenant_id: str, provider_message_id: str) -> tuple[str, str | None] | None:
        """(case id, the caller's number on it) of the stored call; None before the call is stored."""
        try:
            marker = DeliveryItem.get(
                keys.delivery_pk(tenant_id, "phone", provider_message_id), keys.SINGLETON_SK, consistent_read=True
            )
            case = CaseItem.get(keys.case_pk(tenant_id, marker.case_id), keys.CASE_SK, consistent_read=True)
        except DoesNotExist:
            return None
        return case.case_id, case.contact_address
