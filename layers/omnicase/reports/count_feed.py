"""A batch of the change feed → the report counters: the counted items it carries, counted in one go.

A batch is counted as a whole (its changes to a day's counters become one write): when counting fails after its
retries, every change of the batch is reported failed and comes again — harmless, counting is exactly once.
Messages that carry no change fail alone, so they end in the failure queue for a person to look at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from omnicase.reports.count_changes import ReportCounters, count_sources
from omnicase.reports.count_rules import CountRules
from omnicase.stream_batch import NotAChange, WholeBatchFailed, change_of

logger = logging.getLogger(__name__)


def count_change_batch(
    event: Mapping[str, Any], counters: ReportCounters, rules_of: Callable[[str], CountRules]
) -> dict[str, list[dict[str, str]]]:
    """ReportBatchItemFailures' answer for the batch; WholeBatchFailed when nothing of it could be counted."""
    from omnicase.persistence.report_reader import counted_source_of

    records = list(event.get("Records") or [])
    failed: list[str] = []
    counted: list[str] = []
    sources = []
    for record in records:
        try:
            item_id, change = change_of(record)
        except NotAChange:
            logger.exception("a message without a table change; it goes to the failure queue")
            failed.append(str(record.get("messageId", "")))
            continue
        counted.append(item_id)
        if (source := counted_source_of(change.get("dynamodb", {}).get("NewImage"))) is not None:
            sources.append(source)
    try:
        moved = count_sources(sources, counters, rules_of)
        logger.info("report counters", extra={"changes": len(sources), "moved": moved})
    except Exception:
        logger.exception("counting %d changes failed; the batch is retried", len(sources))
        failed.extend(counted)
    if records and len(failed) == len(records):
        raise WholeBatchFailed(f"none of the {len(records)} changes could be counted")
    return {"batchItemFailures": [{"itemIdentifier": item_id} for item_id in failed]}


REBUILD_BATCH = 500


def rebuild_counters(
    tenant_id: str, counters: ReportCounters, rules_of: Callable[[str], CountRules]
) -> tuple[int, int]:
    """Recount every item of the tenant (`omnicase report rebuild`): (items that moved a counter, items read).

    The backfill after deploying the counters, and the repair after a time-zone or report-threshold change. Safe
    beside the live consumer: both count through the same conditional records, so an item is never counted twice.
    """
    from omnicase.persistence.report_reader import counted_sources

    moved = read = 0
    batch = []
    for source in counted_sources(tenant_id):
        batch.append(source)
        if len(batch) == REBUILD_BATCH:
            moved, read = moved + count_sources(batch, counters, rules_of, recount=True), read + len(batch)
            batch = []
    moved += count_sources(batch, counters, rules_of, recount=True)
    return moved, read + len(batch)
