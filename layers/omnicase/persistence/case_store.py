"""Read-modify-write of one case with its audit events, all-or-nothing and conditional on the case's version."""

from __future__ import annotations

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, Message
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import CaseEventItem, CaseItem, MessageItem, OmnicaseItem
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import (
    case_event_from_item,
    case_event_to_item,
    case_from_item,
    case_to_item,
    message_to_item,
)


class DynamoCaseStore:
    def __init__(self) -> None:
        self._connection: Connection | None = None

    def get(self, tenant_id: str, case_id: str) -> Case | None:
        try:
            return case_from_item(CaseItem.get(keys.case_pk(tenant_id, case_id), keys.CASE_SK, consistent_read=True))
        except DoesNotExist:
            return None

    def save(self, case: Case, events: list[CaseEvent], messages: tuple[Message, ...] = ()) -> None:
        """ConcurrentUpdate when the case changed since it was read."""
        with transaction_errors(set()), TransactWrite(connection=self._conn()) as tx:
            tx.save(case_to_item(case))
            for message in messages:
                tx.save(message_to_item(message), condition=MessageItem.pk.does_not_exist())
            for event in events:
                tx.save(case_event_to_item(event))

    def events(self, tenant_id: str, case_id: str, limit: int = 200) -> list[CaseEvent]:
        """The case's audit trail, oldest first."""
        items = OmnicaseItem.query(
            keys.case_pk(tenant_id, case_id),
            OmnicaseItem.sk.startswith(keys.CASE_EVENT_PREFIX),
            limit=limit,
        )
        return [case_event_from_item(i) for i in items if isinstance(i, CaseEventItem)]

    def _conn(self) -> Connection:
        if self._connection is None:
            meta = OmnicaseItem.Meta
            self._connection = Connection(region=meta.region, host=getattr(meta, "host", None))
        return self._connection
