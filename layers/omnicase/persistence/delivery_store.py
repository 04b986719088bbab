"""Outbound delivery status on message items (conditional, so a late retry cannot overwrite a result)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, UpdateError

from omnicase.domain.model import DeliveryStatus, Message
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import MessageItem


class DynamoDeliveryRecorder:
    """DeliveryRecorder on the single table."""

    def current_status(self, message: Message) -> DeliveryStatus | None:
        try:
            item = MessageItem.get(
                keys.case_pk(message.tenant_id, message.case_id),
                keys.message_sk(message.message_id),
                consistent_read=True,
                attributes_to_get=["delivery_status"],
            )
        except DoesNotExist:
            return None
        return DeliveryStatus(item.delivery_status) if item.delivery_status else None

    def note_retry(self, message: Message, detail: str) -> None:
        item = MessageItem(keys.case_pk(message.tenant_id, message.case_id), keys.message_sk(message.message_id))
        try:
            item.update(
                actions=[MessageItem.delivery_detail.set(f"retrying: {detail}"[:500])],
                condition=MessageItem.delivery_status == DeliveryStatus.QUEUED.value,
            )
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":  # delivered meanwhile: nothing to say
                raise

    def record_delivery(
        self, message: Message, status: DeliveryStatus, detail: str | None, provider_message_id: str | None
    ) -> bool:
        item = MessageItem(keys.case_pk(message.tenant_id, message.case_id), keys.message_sk(message.message_id))
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
