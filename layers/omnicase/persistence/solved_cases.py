"""Solved cases of a tenant, for one-off maintenance: read through the tenant's case index (gsi1), not a scan."""

from __future__ import annotations

from collections.abc import Iterator

from pynamodb.transactions import TransactWrite

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, CaseStatus
from omnicase.persistence.case_filters import CaseFilters
from omnicase.persistence.case_streams import KeyRange, created_cases
from omnicase.persistence.dynamo_models import transaction_connection
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import case_event_to_item, case_to_item

PAGE = 100


class DynamoSolvedCases:
    def solved_cases(self, tenant_id: str) -> Iterator[Case]:
        """No index holds cases by status: this queries the tenant's partitions of gsi1 (every case it has, 9
        shards) with a status filter, which reads — and pays for — all of them. Fine for a one-off; a recurring
        job would want its own index."""
        for _, case in created_cases(
            tenant_id, KeyRange(), CaseFilters(status=CaseStatus.SOLVED.value), page_size=PAGE
        ):
            yield case

    def save_deadline(self, case: Case, events: list[CaseEvent]) -> None:
        """The case (conditional on the version read) with its events; ConcurrentUpdate when it changed meanwhile."""
        with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
            tx.save(case_to_item(case))
            for event in events:
                tx.save(case_event_to_item(event))
