"""Cases as sorted streams, read page by page only as far as the caller iterates.

- open cases (gsi3): each queue's open cases soonest deadline first; several queues are merged on that sort key,
  so the first rows of a big inbox cost about a page per queue, not the whole backlog.
- an agent's open cases (gsi5): the same order and keys as gsi3, in one partition per agent, so "my cases" reads
  only the agent's cases whichever queues they are in.
- changes (gsi4): a tenant's cases by when they last changed (the console's changes feed, "recently solved"), and
  all cases (gsi1) newest first: each over the tenant's shards (keys.shards), merged on the sort key.

Each case comes with its index sort key. Keys are unique (they end with the case id), so a cursor is simply the
last key handed out: the next page starts right after it, in every merged queue at once.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.expressions.condition import Condition

from omnicase.domain.model import Case
from omnicase.persistence import keys
from omnicase.persistence.case_filters import CaseFilters, filter_condition
from omnicase.persistence.dynamo_models import CaseItem, OmnicaseItem
from omnicase.persistence.mapping import case_from_item

Keyed = tuple[str, Case]  # (index sort key, case)
MIN_SHARD_PAGE = 10


@dataclass
class Reads:
    """What a listing cost: the items DynamoDB read for it so far (ScannedCount, filtered-out items included)."""

    queries: list[Any] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(query.page_iter.total_scanned_count for query in self.queries)


@dataclass(frozen=True)
class KeyRange:
    """Sort keys from `low` to `high` (inclusive, None: open), minus the cursor's own key `skip`."""

    low: str | None = None
    high: str | None = None
    skip: str | None = None
    ascending: bool = True


def open_cases(
    tenant_id: str,
    queues: Iterable[str],
    filters: CaseFilters,
    *,
    after: str | None = None,
    due_by: datetime | None = None,
    page_size: int = 100,
    reads: Reads | None = None,
) -> Iterator[Keyed]:
    """Open cases of the queues soonest deadline first (none last), after the key `after`, and with `due_by` only
    those whose next deadline comes by then; each queue's Query starts when the merge first needs it."""
    span = KeyRange(low=after, high=keys.deadline_bound(due_by) if due_by else None, skip=after)
    streams = [
        _stream(OmnicaseItem.gsi3, keys.queue_pk(tenant_id, queue), tenant_id, span, filters, page_size, reads)
        for queue in dict.fromkeys(queues)
    ]
    return heapq.merge(*streams, key=lambda keyed: keyed[0])


def assigned_cases(
    tenant_id: str,
    agent_id: str,
    filters: CaseFilters,
    *,
    after: str | None = None,
    page_size: int = 100,
    reads: Reads | None = None,
) -> Iterator[Keyed]:
    """The agent's open cases soonest deadline first (none last), after the key `after`."""
    span = KeyRange(low=after, skip=after)
    return _stream(OmnicaseItem.gsi5, keys.assignee_pk(tenant_id, agent_id), tenant_id, span, filters, page_size, reads)


def changed_cases(
    tenant_id: str, span: KeyRange, filters: CaseFilters, *, page_size: int, reads: Reads | None = None
) -> Iterator[Keyed]:
    """The tenant's cases whose change key (gsi4) is in `span`, in its direction, merged from every shard."""
    return _sharded(OmnicaseItem.gsi4, keys.tenant_changes_pk, tenant_id, span, filters, page_size, reads)


def created_cases(
    tenant_id: str, span: KeyRange, filters: CaseFilters, *, page_size: int, reads: Reads | None = None
) -> Iterator[Keyed]:
    """The tenant's cases whose creation key (gsi1) is in `span`, in its direction, merged from every shard."""
    return _sharded(OmnicaseItem.gsi1, keys.tenant_cases_pk, tenant_id, span, filters, page_size, reads)


def _sharded(
    index: Any,
    partition: Callable[[str, int | None], str],
    tenant_id: str,
    span: KeyRange,
    filters: CaseFilters,
    page_size: int,
    reads: Reads | None,
) -> Iterator[Keyed]:
    """One stream per shard, merged on the sort key. Each shard reads a share of the page at a time (the merge pages
    on lazily where the cases are), and a case met twice (moving from the legacy partition) is handed out once."""
    shard_page = max(MIN_SHARD_PAGE, 2 * math.ceil(page_size / keys.TENANT_SHARDS))
    streams = [
        _stream(index, partition(tenant_id, shard), tenant_id, span, filters, shard_page, reads)
        for shard in keys.shards()
    ]
    last = None
    for keyed in heapq.merge(*streams, key=lambda keyed: keyed[0], reverse=not span.ascending):
        if keyed[0] != last:
            last = keyed[0]
            yield keyed


def _stream(
    index: Any,
    hash_key: str,
    tenant_id: str,
    span: KeyRange,
    filters: CaseFilters,
    page_size: int,
    reads: Reads | None,
) -> Iterator[Keyed]:
    if span.low is not None and span.high is not None and span.low > span.high:
        return  # an empty range (DynamoDB refuses a BETWEEN whose bounds are reversed)
    sort_name = f"{index.Meta.index_name}sk"
    results = index.query(
        hash_key,
        range_key_condition=_key_condition(getattr(OmnicaseItem, sort_name), span),
        filter_condition=filter_condition(filters),
        scan_index_forward=span.ascending,
        page_size=page_size,
    )
    if reads is not None:
        reads.queries.append(results)
    for item in results:
        position = getattr(item, sort_name)
        if isinstance(item, CaseItem) and item.tenant_id == tenant_id and position != span.skip:
            yield position, case_from_item(item)


def _key_condition(sort_key: Any, span: KeyRange) -> Condition | None:
    if span.low is not None and span.high is not None:
        return sort_key.between(span.low, span.high)  # type: ignore[no-any-return]
    if span.low is not None:
        return sort_key >= span.low  # type: ignore[no-any-return]
    if span.high is not None:
        return sort_key <= span.high  # type: ignore[no-any-return]
    return None
