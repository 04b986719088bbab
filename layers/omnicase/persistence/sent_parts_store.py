"""Which parts of a multi-part send (WeChat's text, then one image message per file) already reached the provider,
recorded on the message so a retry after a partial failure sends only the rest."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, UpdateError

from omnicase.domain.model import DeliveryStatus, Message
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import MessageItem


class DynamoSentParts:
    """SentParts on the cases table: a string set on the message item."""

    def sent_parts(self, message: Message) -> frozenset[str]:
        """The parts an earlier attempt sent (read consistently: the attempt before this one just wrote them)."""
        try:
            item = MessageItem.get(*_keys(message), consistent_read=True, attributes_to_get=["sent_parts"])
        except DoesNotExist:
            return frozenset()
        return frozenset(item.sent_parts or ())

    def mark_sent(self, message: Message, part: str) -> None:
        """Add one part, only while the message is still queued (a recorded result is never reopened)."""
        try:
            MessageItem(*_keys(message)).update(
                actions=[MessageItem.sent_parts.add({part})],
                condition=MessageItem.delivery_status == DeliveryStatus.QUEUED.value,
            )
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":  # gone or recorded: nothing to do
                raise


def _keys(message: Message) -> tuple[str, str]:
    return keys.case_pk(message.tenant_id, message.case_id), keys.message_sk(message.message_id)
