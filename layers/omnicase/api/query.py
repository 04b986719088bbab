"""Query-string parsing for case listings, with clear errors for bad values."""

from __future__ import annotations

from collections.abc import Mapping

from omnicase.domain.model import CaseStatus, Channel, Priority
from omnicase.persistence.case_reader import CaseFilters

DEFAULT_PAGE = 25
MAX_PAGE = 100


def case_filters(params: Mapping[str, str]) -> CaseFilters:
    """Filters from ?status=&channel=&customer_id=&queue=&assignee=&priority=&breached=; bad values are a 400."""
    status, channel = params.get("status"), params.get("channel")
    if status is not None and status not in CaseStatus.__members__.values():
        raise ValueError(f"status must be one of {', '.join(s.value for s in CaseStatus)}")
    if channel is not None and channel not in Channel.__members__.values():
        raise ValueError(f"channel must be one of {', '.join(c.value for c in Channel)}")
    priority, breached = params.get("priority"), params.get("breached")
    if priority is not None and priority not in Priority.__members__.values():
        raise ValueError(f"priority must be one of {', '.join(p.value for p in Priority)}")
    if breached is not None and breached not in ("true", "false"):
        raise ValueError("breached must be true or false")
    return CaseFilters(
        status=status,
        channel=channel,
        customer_id=params.get("customer_id"),
        queue=params.get("queue"),
        assignee=params.get("assignee"),
        priority=priority,
        breached=None if breached is None else breached == "true",
    )


def page_limit(params: Mapping[str, str]) -> int:
    """?limit=, 1..100, default 25."""
    raw = params.get("limit", str(DEFAULT_PAGE))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise ValueError(f"limit must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def merge_source(body: object) -> str:
    """The customer to merge from a body {"source_customer_id": "CU…"}."""
    source = body.get("source_customer_id") if isinstance(body, dict) else None
    if not isinstance(source, str) or not source.strip():
        raise ValueError('send {"source_customer_id": "<the customer to merge into this one>"}')
    return source.strip()
