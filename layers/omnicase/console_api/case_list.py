"""GET /cases and GET /queues/{queue}: a page of cases — newest first, filtered; or a queue's open cases, soonest
deadline first — with the cursor of the next page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from omnicase.api.query import case_filters, page_limit
from omnicase.api.views import case_view
from omnicase.persistence.case_reader import list_cases, list_queue


def case_list(tenant_id: str, params: Mapping[str, str]) -> dict[str, Any]:
    """{"cases", "next"} for ?status=&channel=&customer_id=&queue=&assignee=&priority=&breached=&limit=&next=."""
    page = list_cases(tenant_id, case_filters(params), page_limit(params), params.get("next"))
    return {"cases": [case_view(c) for c in page.cases], "next": page.next_cursor}


def queue_cases(tenant_id: str, queue: str, params: Mapping[str, str]) -> dict[str, Any]:
    """{"queue", "cases", "next"}: the queue's open cases for ?limit=&next=."""
    page = list_queue(tenant_id, queue, page_limit(params), params.get("next"))
    return {"queue": queue, "cases": [case_view(c) for c in page.cases], "next": page.next_cursor}
