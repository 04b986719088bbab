"""Outbound delivery status on message items (conditional, so a late retry cannot overwrite a result)."""

from __future__ import annotations

import time

from pynamodb.exceptions import DoesNotExist, UpdateError

from omnicase.domain.model import DeliveryStatus, Message
from omnicase.domain.ports import SendClaim
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import MessageItem

# Longer than any one send takes (a provider call times out well within it), shorter than the queue's retry delay.
SEND_CLAIM_SECONDS = 120


class DynamoDeliveryRecorder:
    """DeliveryRecorder on the single table."""

    def claim_send(self, message: Message) -> SendClaim:
        item = self._item(message)
        now = int(time.time())
        try:
            item.update(
                actions=[MessageItem.send_claimed_until.set(now + SEND_CLAIM_SECONDS)],
                condition=(MessageItem.delivery_status == DeliveryStatus.QUEUED.value)
                & (MessageItem.send_claimed_until.does_not_exist() | (MessageItem.send_claimed_until < now)),
            )
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            return self._why_not_claimed(message)
        return SendClaim.CLAIMED

    def _why_not_claimed(self, message: Message) -> SendClaim:
        try:
            stored = MessageItem.get(*self._keys(message), consistent_read=True, attributes_to_get=["delivery_status"])
        except DoesNotExist:
            return SendClaim.DONE
        return SendClaim.BUSY if stored.delivery_status == DeliveryStatus.QUEUED.value else SendClaim.DONE

    def release_claim(self, message: Message) -> None:
        try:
            self._item(message).update(
                actions=[MessageItem.send_claimed_until.remove()], condition=MessageItem.send_claimed_until.exists()
            )
        except UpdateError as error:
            if (
                error.cause_response_code != "ConditionalCheckFailedException"
            ):  # no claim (or no message): nothing to do
                raise

    @staticmethod
    def _keys(message: Message) -> tuple[str, str]:
        return keys.case_pk(message.tenant_id, message.case_id), keys.message_sk(message.message_id)

    def _item(self, message: Message) -> MessageItem:
        return MessageItem(*self._keys(message))

    def note_retry(self, message: Message, detail: str) -> None:
        item = self._item(message)
        try:
            item.update(
                actions=[
                    MessageItem.delivery_detail.set(f"retrying: {detail}"[:500]),
                    MessageItem.send_claimed_until.remove(),  # the retry needn't wait for the lease
                ],
                condition=MessageItem.delivery_status == DeliveryStatus.QUEUED.value,
            )
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":  # delivered meanwhile: nothing to say
                raise

    def record_delivery(
        self, message: Message, status: DeliveryStatus, detail: str | None, provider_message_id: str | None
    ) -> bool:
        item = self._item(message)
        actions = [MessageItem.delivery_status.set(status.value), MessageItem.delivery_detail.set(detail)]
        if provider_message_id:
            actions.append(MessageItem.provider_message_id.set(provider_message_id))
        try:
            item.update(actions=actions, condition=MessageItem.delivery_status == DeliveryStatus.QUEUED.value)
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True
