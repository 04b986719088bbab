"""Provider-reported SMS delivery statuses on outbound message items (one conditional update per report)."""

from __future__ import annotations

from pynamodb.constants import NULL
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.operand import Path

from omnicase.channels.sms.twilio_status import MessageRef, OutboundSms
from omnicase.domain.model import Channel, DeliveryStatus, Direction
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import MessageItem


class DynamoSmsStatusStore:
    """SmsStatusStore on the single table."""

    def outbound_sms(self, ref: MessageRef) -> OutboundSms | None:
        try:
            item = MessageItem.get(
                *_keys(ref),
                consistent_read=True,
                attributes_to_get=["direction", "channel", "delivery_status", "provider_message_id"],
            )
        except DoesNotExist:
            return None
        if item.direction != Direction.OUTBOUND.value or item.channel != Channel.SMS.value:
            return None
        status = DeliveryStatus(item.delivery_status) if item.delivery_status else None
        return OutboundSms(status, item.provider_message_id)

    def record_status(
        self, ref: MessageRef, expected: OutboundSms, status: DeliveryStatus, detail: str | None, provider_id: str
    ) -> bool:
        same_status = (
            MessageItem.delivery_status == expected.status.value
            if expected.status
            else MessageItem.delivery_status.does_not_exist()
        )
        same_provider_id = (
            MessageItem.provider_message_id == expected.provider_message_id
            if expected.provider_message_id
            else MessageItem.provider_message_id.does_not_exist() | Path(MessageItem.provider_message_id).is_type(NULL)
        )
        actions = [
            MessageItem.delivery_status.set(status.value),
            MessageItem.delivery_detail.set(detail),
            MessageItem.provider_message_id.set(provider_id),
        ]
        try:
            MessageItem(*_keys(ref)).update(
                actions=actions, condition=MessageItem.pk.exists() & same_status & same_provider_id
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True


def _keys(ref: MessageRef) -> tuple[str, str]:
    return keys.case_pk(ref.tenant_id, ref.case_id), keys.message_sk(ref.message_id)
