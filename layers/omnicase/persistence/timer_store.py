"""The timer item of a case: read with the case in one batch, claimed and advanced with conditions."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import PutError
from pynamodb.transactions import TransactWrite

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.errors import ConcurrentUpdate, DuplicateDelivery
from omnicase.domain.model import Case
from omnicase.domain.timer_ownership import CaseTimer
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import (
    CaseEventItem,
    CaseItem,
    CaseTimerItem,
    OmnicaseItem,
    transaction_connection,
)
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import case_event_to_item, case_from_item, case_to_item


class DynamoTimerStore:
    def read(self, tenant_id: str, case_id: str) -> tuple[Case | None, CaseTimer]:
        pk = keys.case_pk(tenant_id, case_id)
        case, timer = None, CaseTimer()
        for item in OmnicaseItem.batch_get([(pk, keys.CASE_SK), (pk, keys.CASE_TIMER_SK)], consistent_read=True):
            if isinstance(item, CaseItem) and item.tenant_id == tenant_id:
                case = case_from_item(item)
            elif isinstance(item, CaseTimerItem):
                timer = CaseTimer(item.owner, int(item.generation or 0), item.wake_at)
        return case, timer

    def claim(self, case: Case, timer: CaseTimer, read_generation: int) -> bool:
        item = CaseTimerItem(
            keys.case_pk(case.tenant_id, case.case_id),
            keys.CASE_TIMER_SK,
            tenant_id=case.tenant_id,
            case_id=case.case_id,
            owner=timer.owner,
            generation=timer.generation,
            wake_at=timer.wake_at,
        )
        try:
            item.save(condition=CaseTimerItem.pk.does_not_exist() | (CaseTimerItem.generation == read_generation))
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def set_wake(self, case: Case, owner: str, wake_at: datetime | None, events: list[CaseEvent]) -> None:
        wake = CaseTimerItem.wake_at.set(wake_at) if wake_at else CaseTimerItem.wake_at.remove()
        pk = keys.case_pk(case.tenant_id, case.case_id)
        with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
            if events:
                tx.save(case_to_item(case))
                for event in events:
                    tx.save(case_event_to_item(event))
            else:
                # The wake was computed from this version of the case: an edit since may have moved a deadline.
                tx.condition_check(CaseItem, pk, keys.CASE_SK, condition=CaseItem.version == case.version)
            timer = CaseTimerItem(pk, keys.CASE_TIMER_SK)
            tx.update(timer, actions=[wake], condition=CaseTimerItem.owner == owner)

    def record_failed_check(self, event: CaseEvent, owner: str) -> bool:
        pk = keys.case_pk(event.tenant_id, event.case_id)
        try:
            with transaction_errors({0}), TransactWrite(connection=transaction_connection()) as tx:
                tx.save(case_event_to_item(event), condition=CaseEventItem.pk.does_not_exist())
                timer = CaseTimerItem(pk, keys.CASE_TIMER_SK)
                tx.update(timer, actions=[CaseTimerItem.wake_at.remove()], condition=CaseTimerItem.owner == owner)
        except DuplicateDelivery:
            return True  # an earlier attempt of this record stored it
        except ConcurrentUpdate:
            return False  # a newer execution owns the case's timers
        return True
