"""Read-modify-write of one case with its audit events, all-or-nothing and conditional on the case's version."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, Message
from omnicase.persistence import keys
from omnicase.persistence.callback_threads import take_threads, threads_to_take
from omnicase.persistence.dynamo_models import (
    CaseEventItem,
    CaseItem,
    MessageItem,
    OmnicaseItem,
    ProblemLinkItem,
    transaction_connection,
)
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import (
    case_event_from_item,
    case_event_to_item,
    case_from_item,
    case_to_item,
    message_to_item,
)


class DynamoCaseStore:
    def get(self, tenant_id: str, case_id: str) -> Case | None:
        try:
            return case_from_item(CaseItem.get(keys.case_pk(tenant_id, case_id), keys.CASE_SK, consistent_read=True))
        except DoesNotExist:
            return None

    def save(self, case: Case, events: list[CaseEvent], messages: tuple[Message, ...] = ()) -> None:
        """ConcurrentUpdate when the case changed since it was read."""
        self.save_all([(case, events)], messages)

    def save_all(
        self,
        changes: list[tuple[Case, list[CaseEvent]]],
        messages: tuple[Message, ...] = (),
        unlinked_problem: str | None = None,
    ) -> None:
        """Several cases with their events (a merge), all or nothing; ConcurrentUpdate when any changed.
        A case's problem key gets its link item (found by the fix announcement); `unlinked_problem` loses it.
        A callback case opened here (a solved key complaint's) takes its customer's threads."""
        threads = {case.case_id: threads_to_take(case) for case, _ in changes}
        with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
            for case, events in changes:
                tx.save(case_to_item(case))
                take_threads(tx, case, threads[case.case_id])
                for event in events:
                    tx.save(case_event_to_item(event))
                if case.service.problem_key and any(e.kind == "problem_linked" for e in events):
                    tx.save(problem_link_item(case, case.service.problem_key))
                if unlinked_problem and any(e.kind in ("problem_linked", "problem_unlinked") for e in events):
                    pk = keys.problem_pk(case.tenant_id, unlinked_problem)
                    tx.delete(ProblemLinkItem(pk, keys.problem_case_sk(case.case_id)))
            for message in messages:
                tx.save(message_to_item(message), condition=MessageItem.pk.does_not_exist())

    def save_fixed(self, case: Case, events: list[CaseEvent], notice: Message | None, problem_key: str) -> None:
        """The customer told of the fix, once: the link item's `notified_at` is the guard."""
        link = ProblemLinkItem(keys.problem_pk(case.tenant_id, problem_key), keys.problem_case_sk(case.case_id))
        with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
            tx.save(case_to_item(case))
            for event in events:
                tx.save(case_event_to_item(event))
            if notice is not None:
                tx.save(message_to_item(notice), condition=MessageItem.pk.does_not_exist())
            tx.update(
                link,
                actions=[ProblemLinkItem.notified_at.set(events[0].at if events else None)],
                condition=ProblemLinkItem.pk.exists() & ProblemLinkItem.notified_at.does_not_exist(),
            )

    def problem_cases(self, tenant_id: str, problem_key: str) -> list[tuple[str, bool]]:
        """The cases linked to a problem, and whether their customer was already told of the fix."""
        items = ProblemLinkItem.query(keys.problem_pk(tenant_id, problem_key))
        return [(i.case_id, i.notified_at is not None) for i in items if i.tenant_id == tenant_id]

    def events(self, tenant_id: str, case_id: str, limit: int = 200) -> list[CaseEvent]:
        """The case's audit trail, oldest first."""
        items = OmnicaseItem.query(
            keys.case_pk(tenant_id, case_id),
            OmnicaseItem.sk.startswith(keys.CASE_EVENT_PREFIX),
            limit=limit,
        )
        return [case_event_from_item(i) for i in items if isinstance(i, CaseEventItem)]


def problem_link_item(case: Case, problem_key: str) -> ProblemLinkItem:
    return ProblemLinkItem(
        keys.problem_pk(case.tenant_id, problem_key),
        keys.problem_case_sk(case.case_id),
        tenant_id=case.tenant_id,
        case_id=case.case_id,
        problem_key=problem_key,
    )
