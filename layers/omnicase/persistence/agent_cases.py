"""An agent's open cases for handing them back: found on the assignee index (gsi5), never by scanning the tenant."""

from __future__ import annotations

from collections.abc import Iterator

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case
from omnicase.persistence.case_filters import CaseFilters
from omnicase.persistence.case_store import DynamoCaseStore
from omnicase.persistence.case_streams import assigned_cases

PAGE_SIZE = 100


class DynamoAgentCases:
    def __init__(self, store: DynamoCaseStore) -> None:
        self._store = store

    def assigned(self, tenant_id: str, agent_id: str) -> Iterator[Case]:
        return (case for _, case in assigned_cases(tenant_id, agent_id, CaseFilters(), page_size=PAGE_SIZE))

    def get(self, tenant_id: str, case_id: str) -> Case | None:
        return self._store.get(tenant_id, case_id)

    def save(self, case: Case, events: list[CaseEvent]) -> None:
        self._store.save(case, events)
