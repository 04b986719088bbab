"""The report counters in DynamoDB (reports/count_changes.py decides what they hold).

- a record per counted item (`keys.counted_key`, in a partition of its case): the version counted, its tally;
- per tenant and local day two rows in the tenant's counters partition (`keys.report_counts_pk`): `<day>#counts`,
  every figure named as reports/day_counts.py says, and `<day>#subjects`, the subject tallies;
- per tenant and local month the same two rows, the sums of its days (`keys.report_months_pk`, its own partition:
  its writes do not share the days' 1,000 WCU/s), moved in the same transaction as the days. A window reads the
  months it covers whole and the days at its edges: a year is 12–13 months and up to 60 days, not 365 days.

A row holds its counters packed in one JSON attribute (`counts`, zeros left out) with a revision (`rev`), and is
rewritten whole, conditional on the revision read, in the transaction that moves it. Not one number attribute per
counter with ADD: reading a row then costs one attribute, not one per queue, agent, tag and subject it names — the
year's report read ~57,000 attributes at 200,000 cases, ~5,000 at 1,000, and its time followed them (docs/scale.md).
A lost race on a row cancels the transaction like one on a record (ConcurrentUpdate: the caller re-reads, retries).
Rows written before (a number attribute per counter, no `counts`) are read as they are and packed at their next write.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.transactions import TransactWrite

from omnicase.domain.counted_source import (
    MONTH_SUBJECT_SLOTS,
    CountedRecord,
    CountedSource,
    DayCounts,
    RecordWrite,
    merge_counts,
)
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import OmnicaseItem, transaction_connection
from omnicase.persistence.errors import transaction_errors

ROW_TYPE = "day_counts"
NOT_COUNTERS = frozenset({"pk", "sk", "item_type", "tenant_id", "day", "expires_at", "rev", "counts"})
RowKey = tuple[str, str, str]  # tenant, ISO day or month ("2026-11-05", "2026-11"), "counts" | "subjects"


class CountedItem(OmnicaseItem, discriminator="counted"):
    """What the report counters hold of one item: its version and tally; `writes` guards the next write."""

    case_id = UnicodeAttribute()
    part = UnicodeAttribute()
    counted_version = NumberAttribute()
    writes = NumberAttribute()
    tally = JSONAttribute(null=True)


class DayCountsItem(OmnicaseItem, discriminator=ROW_TYPE):
    """A counters row: its counters packed as {name: n}; `rev` guards the next write (absent on old rows)."""

    day = UnicodeAttribute()
    rev = NumberAttribute(null=True)
    counts = JSONAttribute(null=True)


def _counted_key(source: CountedSource) -> tuple[str, str]:
    return keys.counted_key(source.tenant_id, source.case_id, source.part)


BATCH_GET_MAX_KEYS = 100  # BatchGetItem's limit per request


def _row_key(tenant_id: str, period: str, row: str) -> tuple[str, str]:
    if _is_month(period):
        first = date.fromisoformat(f"{period}-01")
        sort_key = keys.month_counts_sk(first) if row == "counts" else keys.month_subjects_sk(first)
        return keys.report_months_pk(tenant_id), sort_key
    at = date.fromisoformat(period)
    sort_key = keys.day_counts_sk(at) if row == "counts" else keys.day_subjects_sk(at)
    return keys.report_counts_pk(tenant_id), sort_key


def _is_month(period: str) -> bool:
    return len(period) == len("2026-11")


def _counters_of(raw: Mapping[str, Any]) -> dict[str, int]:
    """A raw row's counters: the packed ones, or an old row's number attributes."""
    if "counts" in raw:
        return {name: int(n) for name, n in json.loads(raw["counts"]["S"]).items()}
    return {name: int(value["N"]) for name, value in raw.items() if "N" in value and name not in NOT_COUNTERS}


def read_rows(rows: Sequence[RowKey]) -> dict[RowKey, tuple[int | None, dict[str, int]]]:
    """The rows' revisions (None: no row yet, 0: an old row) and counters, strongly consistent, in one BatchGetItem
    (a chunk touches a handful of rows: its items' days and months, counts and subjects)."""
    by_key = {_row_key(*row): row for row in rows}
    raw_rows = {(raw["pk"]["S"], raw["sk"]["S"]): raw for raw in _batch_get_raw(list(by_key))}
    found: dict[RowKey, tuple[int | None, dict[str, int]]] = {}
    for key, row in by_key.items():
        raw = raw_rows.get(key)
        found[row] = (None, {}) if raw is None else (int(raw.get("rev", {}).get("N", 0)), _counters_of(raw))
    return found


def _batch_get_raw(item_keys: list[tuple[str, str]]) -> Iterator[dict[str, Any]]:
    """The raw items of these keys (strongly consistent, 100 a request), unprocessed keys asked again. Raw, not
    models: a row written before packing keeps its counters in attributes no model declares."""
    table = OmnicaseItem._get_connection()
    for start in range(0, len(item_keys), BATCH_GET_MAX_KEYS):
        wanted: list[dict[str, Any]] = [
            {"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in item_keys[start : start + BATCH_GET_MAX_KEYS]
        ]
        for attempt in itertools.count():
            request = {table.table_name: {"Keys": wanted, "ConsistentRead": True}}
            answer = table.connection.dispatch("BatchGetItem", {"RequestItems": request})
            yield from answer.get("Responses", {}).get(table.table_name, [])
            wanted = answer.get("UnprocessedKeys", {}).get(table.table_name, {}).get("Keys", [])
            if not wanted:
                break
            time.sleep(min(1.0, 0.05 * 2**attempt))  # unprocessed: the table is throttling, back off


def stage_row_moves(tx: TransactWrite, moves: Mapping[RowKey, Mapping[str, int]]) -> None:
    """Add to `tx` each row rewritten with its moves, conditional on the revision read now."""
    for row, (rev, counts) in read_rows(list(moves)).items():
        tenant_id, period, kind = row
        slots = MONTH_SUBJECT_SLOTS if kind == "subjects" and _is_month(period) else None
        item = DayCountsItem(*_row_key(*row), tenant_id=tenant_id, day=period, rev=(rev or 0) + 1)
        item.counts = merge_counts(counts, moves[row], slots)
        if rev is None:
            condition = DayCountsItem.pk.does_not_exist()
        elif rev == 0:
            condition = DayCountsItem.rev.does_not_exist()
        else:
            condition = DayCountsItem.rev == rev
        tx.save(item, condition=condition)


class DynamoReportCounters:
    def counted(self, sources: Sequence[CountedSource]) -> dict[tuple[str, str, str], CountedRecord]:
        wanted = {_counted_key(s) for s in sources}
        if not wanted:
            return {}
        return {
            (item.tenant_id, item.case_id, item.part): CountedRecord(
                int(item.counted_version), item.tally, int(item.writes)
            )
            for item in CountedItem.batch_get(wanted, consistent_read=True)
            if isinstance(item, CountedItem)
        }

    def subject_names(self, tenant_id: str, day: str) -> set[str]:
        return set(read_rows([(tenant_id, day, "subjects")])[(tenant_id, day, "subjects")][1])

    def write(self, writes: Sequence[RecordWrite], moves: Mapping[RowKey, Mapping[str, int]]) -> None:
        """One transaction: each record conditional on the one read, each row on its revision (ConcurrentUpdate
        when either changed meanwhile or another transaction held an item)."""
        with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
            for write in writes:
                pk, sk = _counted_key(write.source)
                before = write.before
                tx.save(
                    CountedItem(
                        pk,
                        sk,
                        tenant_id=write.source.tenant_id,
                        case_id=write.source.case_id,
                        part=write.source.part,
                        counted_version=write.source.version,
                        writes=(before.writes if before else 0) + 1,
                        tally=dict(write.tally) if write.tally is not None else None,
                    ),
                    condition=CountedItem.pk.does_not_exist()
                    if before is None
                    else CountedItem.writes == before.writes,
                )
            stage_row_moves(tx, moves)

    def days(self, tenant_id: str, first: date, last: date) -> list[DayCounts]:
        """Rows of the days in [first, last): one Query (days sort as ISO dates; `last` itself sorts after)."""
        return _rows(keys.report_counts_pk(tenant_id), first.isoformat(), last.isoformat())

    def periods(self, tenant_id: str, first: date, last: date) -> list[DayCounts]:
        """The rows that sum to [first, last): its whole months' rows, the days' rows before and after them."""
        months, (head, tail) = whole_months(first, last)
        if not months:
            return self.days(tenant_id, first, last)
        rows = _rows(keys.report_months_pk(tenant_id), months[0], months[-1] + "#~")
        return [*self.days(tenant_id, *head), *rows, *self.days(tenant_id, *tail)]


def whole_months(first: date, last: date) -> tuple[list[str], tuple[tuple[date, date], tuple[date, date]]]:
    """The local months wholly in [first, last) ("2026-11") and the day ranges before and after them."""
    start = first if first.day == 1 else _next_month(first)
    months: list[str] = []
    end = start
    while _next_month(end) <= last:
        months.append(end.isoformat()[:7])
        end = _next_month(end)
    if not months:
        return [], ((first, last), (last, last))
    return months, ((first, start), (end, last))


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _rows(pk: str, low: str, high: str) -> list[DayCounts]:
    """The rows of pk with low ≤ sk ≤ high, a day's (or month's) counts and subjects as one DayCounts."""
    rows: dict[str, DayCounts] = {}
    if low >= high:
        return []
    for raw in _query_raw(pk, low, high):
        period = raw["day"]["S"]
        month = _is_month(period)
        row = rows.setdefault(
            period, DayCounts(date.fromisoformat(f"{period}-01" if month else period), whole_month=month)
        )
        (row.subjects if raw["sk"]["S"].endswith("#subjects") else row.counts).update(_counters_of(raw))
    return [rows[period] for period in sorted(rows)]


def _query_raw(pk: str, low: str, high: str) -> Iterator[dict[str, Any]]:
    """Raw items of pk with low ≤ sk ≤ high, every page (raw: skips building models for what is only summed)."""
    connection = OmnicaseItem._get_connection()
    start: dict[str, Any] | None = None
    while True:
        page = connection.query(pk, range_key_condition=OmnicaseItem.sk.between(low, high), exclusive_start_key=start)
        yield from page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return
