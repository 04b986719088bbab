"""Inbox rows: a case as GET /cases shows it, with its customer's badge and its first line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from omnicase.api.views import case_view, customer_badge
from omnicase.domain.first_line import case_first_line
from omnicase.domain.model import Case
from omnicase.persistence.batch_lookups import customers_by_id


def inbox_rows(tenant_id: str, cases: Sequence[Case]) -> list[dict[str, Any]]:
    """One row per case; the page's customers are read in one BatchGet."""
    customers = customers_by_id(tenant_id, [c.customer_id for c in cases if c.customer_id])
    return [
        {
            **case_view(case),
            "customer": customer_badge(customers[case.customer_id]) if case.customer_id in customers else None,
            "first_line": case_first_line(case),
        }
        for case in cases
    ]
