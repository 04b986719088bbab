"""Reading for reports: a tenant's cases created in a window, and the survey answers (none stored yet)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from omnicase.domain.model import Case
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import CaseItem, OmnicaseItem
from omnicase.persistence.mapping import case_from_item

PAGE_SIZE = 500


def cases_created_between(tenant_id: str, start: datetime, end: datetime) -> Iterator[Case]:
    """Cases created in [start, end), oldest first: one gsi1 Query, read to its last page.

    gsi1 sorts a tenant's cases by `<created_at iso>#<case id>`, so a BETWEEN on the sort key reads the cases of the
    window only. The bounds are timestamps without offset: "2026-11-08T00:00:00" sorts before every key created at
    that instant ("…:00+00:00#…", "…:00.5+00:00#…") and after every key created before it, so BETWEEN is [start,
    end). Stored times are UTC; the check on created_at below keeps the window exact for anything else.
    """
    lower, upper = _sort_bound(start), _sort_bound(end)
    items = OmnicaseItem.gsi1.query(
        keys.tenant_cases_pk(tenant_id),
        range_key_condition=OmnicaseItem.gsi1sk.between(lower, upper),
        page_size=PAGE_SIZE,
    )
    for item in items:  # PynamoDB follows LastEvaluatedKey to the end
        if isinstance(item, CaseItem):
            case = case_from_item(item)
            if case.created_at is not None and start <= case.created_at < end:
                yield case


def _sort_bound(at: datetime) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).isoformat()
