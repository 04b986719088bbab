"""Delivery feedback on message items: the new status and its audit events in one conditional transaction."""

from __future__ import annotations

from pynamodb.constants import NULL
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.operand import Path
from pynamodb.transactions import TransactWrite

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import DeliveryStatus
from omnicase.domain.record_feedback import DeliveryState, MessageKey
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import CaseEventItem, MessageItem, transaction_connection
from omnicase.persistence.mapping import case_event_to_item


class DynamoFeedbackStore:
    """FeedbackStore on the single table."""

    def delivery_state(self, key: MessageKey) -> DeliveryState | None:
        try:
            item = MessageItem.get(
                keys.case_pk(key.tenant_id, key.case_id),
                keys.message_sk(key.message_id),
                consistent_read=True,
                attributes_to_get=["delivery_status", "delivery_detail"],
            )
        except DoesNotExist:
            return None
        status = DeliveryStatus(item.delivery_status) if item.delivery_status else None
        return DeliveryState(status, item.delivery_detail)

    def record_feedback(
        self, key: MessageKey, expected: DeliveryState, new: DeliveryState, events: list[CaseEvent]
    ) -> bool:
        """False when the message is gone or no longer in `expected` (a concurrent or earlier feedback won)."""
        item = MessageItem(keys.case_pk(key.tenant_id, key.case_id), keys.message_sk(key.message_id))
        actions = [
            MessageItem.delivery_status.set(new.status.value if new.status else None),
            MessageItem.delivery_detail.set(new.detail),
        ]
        try:
            with TransactWrite(connection=transaction_connection()) as tx:
                tx.update(item, actions=actions, condition=_in_state(expected))
                for event in events:
                    tx.save(case_event_to_item(event), condition=CaseEventItem.pk.does_not_exist())
        except TransactWriteError as error:
            reasons = error.cancellation_reasons or []
            if reasons and reasons[0] is not None and reasons[0].code == "ConditionalCheckFailed":
                return False
            if error.cause_response_code == "TransactionConflict" or any(
                r is not None and r.code == "TransactionConflict" for r in reasons
            ):
                raise ConcurrentUpdate(str(error)) from error
            raise
        return True


def _in_state(expected: DeliveryState) -> Condition:
    """The message exists and its status and detail are still what was read (no detail: absent or NULL, as
    record_delivery writes it)."""
    status = (
        MessageItem.delivery_status == expected.status.value
        if expected.status
        else MessageItem.delivery_status.does_not_exist()
    )
    detail = (
        MessageItem.delivery_detail == expected.detail
        if expected.detail is not None
        else MessageItem.delivery_detail.does_not_exist() | Path(MessageItem.delivery_detail).is_type(NULL)
    )
    return MessageItem.pk.exists() & status & detail
