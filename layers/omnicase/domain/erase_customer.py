"""Erasing a customer on request, in an order that is safe to interrupt, repeat, and race with new messages.

1. The erasure record (who, when) is written first: a second request answers it, a crashed run resumes it.
2. The customer's identities are noted on the customer item, then deleted: from then on a message from one of their
   addresses finds no customer and opens a new case for a new one. A message already past that lookup commits on a
   case whose version the erasure bumps, so it either landed before (and is erased with the case) or is retried.
3. Each case (and its messages, files, audit trail and survey) is erased; the customer's cases are listed again
   until a pass finds none new, so a case opened meanwhile is not left behind.
4. Blocked drafts on those cases, then the customer item (a tombstone) and the record's counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Protocol

from omnicase.domain.customer_erasure import CaseErasure, ErasureRecord, needles

MAX_PASSES = 3  # a case opened during the erasure by a message that had already found the customer


class ErasureStore(Protocol):
    def read_record(self, tenant_id: str, customer_id: str) -> ErasureRecord | None: ...

    def start_record(self, record: ErasureRecord) -> ErasureRecord:
        """Store the record unless one exists; the stored one (ours, or the one that won a race)."""
        ...

    def customer_identities(self, tenant_id: str, customer_id: str) -> tuple[list[str], str | None]:
        """Every identity ("email:ann@x") and the display name; NotFound for an unknown customer. Notes the
        identities on the customer item so a resumed run still knows them after step 2."""
        ...

    def delete_identities(self, tenant_id: str, customer_id: str) -> int: ...

    def customer_case_ids(self, tenant_id: str, customer_id: str) -> list[str]: ...

    def erase_case(self, record: ErasureRecord, case_id: str, customer: frozenset[str]) -> CaseErasure: ...

    def erase_interceptions(self, tenant_id: str, case_ids: set[str]) -> int: ...

    def finish(self, record: ErasureRecord) -> ErasureRecord:
        """The customer item as a tombstone and the record completed with its counts."""
        ...


class CustomerErasure:
    """The one service the CLI (`omnicase customer erase`) and the API (POST /customers/{id}/erasure) call."""

    def __init__(self, store: ErasureStore, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._store, self._clock = store, clock

    def erase(self, tenant_id: str, customer_id: str, actor: str) -> tuple[ErasureRecord, bool]:
        """The completed record, and whether this call erased (False: it was erased before, nothing changed)."""
        store = self._store
        record = store.read_record(tenant_id, customer_id)
        if record is not None and record.completed:
            return record, False
        identities, display_name = store.customer_identities(tenant_id, customer_id)  # NotFound before any write
        if record is None:
            record = store.start_record(ErasureRecord(tenant_id, customer_id, actor, self._clock()))
            if record.completed:
                return record, False
        customer = needles(identities, display_name)
        store.delete_identities(tenant_id, customer_id)
        erased: set[str] = set()
        messages = mail_objects = 0
        for _ in range(MAX_PASSES):
            new = [c for c in store.customer_case_ids(tenant_id, customer_id) if c not in erased]
            if not new:
                break
            for case_id in new:
                done = store.erase_case(record, case_id, customer)
                messages, mail_objects = messages + done.messages, mail_objects + done.mail_objects
                erased.add(case_id)
        store.erase_interceptions(tenant_id, erased)
        counts = {"cases": len(erased), "messages": messages, "identities": len(set(identities))}
        completed = replace(record, completed_at=self._clock(), mail_objects=mail_objects, **counts)
        return store.finish(completed), True
