"""Consent per address: whether a customer opted out (SMS STOP) of messages on a channel."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import CaseItem, IdentityItem

_CONDITION_FAILED = "ConditionalCheckFailedException"


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

    def record_opt_out(self, tenant_id: str, channel: str, address: str, case_id: str) -> bool:
        """Mark the address opted out, as an inbound STOP does (a later START undoes it); idempotent.

        An address without an identity item gets one under the case's customer, so the next send finds it; with no
        customer to hang it on nothing is recorded (False), and the provider keeps refusing on its own.
        """
        if self._mark_existing(tenant_id, channel, address):
            return True
        customer_id = self._customer_of(tenant_id, case_id)
        if customer_id is None:
            return False
        # Intake may create the identity between the two writes: then it is marked after all.
        return self._create(tenant_id, channel, address, customer_id) or self._mark_existing(
            tenant_id, channel, address
        )

    @staticmethod
    def _mark_existing(tenant_id: str, channel: str, address: str) -> bool:
        item = IdentityItem(keys.identity_pk(tenant_id, channel, address), keys.SINGLETON_SK)
        try:
            item.update(actions=[IdentityItem.opted_out.set(True)], condition=IdentityItem.pk.exists())
        except UpdateError as error:
            if error.cause_response_code != _CONDITION_FAILED:
                raise
            return False
        return True

    @staticmethod
    def _create(tenant_id: str, channel: str, address: str, customer_id: str) -> bool:
        from omnicase.persistence.intake_store import new_identity  # only here: keeps the senders' imports small

        item = new_identity(tenant_id, channel, address, customer_id)
        item.opted_out = True
        try:
            item.save(condition=IdentityItem.pk.does_not_exist())  # intake may create it at the same moment
        except PutError as error:
            if error.cause_response_code != _CONDITION_FAILED:
                raise
            return False
        return True

    @staticmethod
    def _customer_of(tenant_id: str, case_id: str) -> str | None:
        try:
            case = CaseItem.get(keys.case_pk(tenant_id, case_id), keys.CASE_SK, attributes_to_get=["customer_id"])
        except DoesNotExist:
            return None
        return case.customer_id
