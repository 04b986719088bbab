"""The report counters in DynamoDB (reports/count_changes.py decides what they hold).

- a record per counted item (`keys.counted_key`, in a partition of its case): the version counted, its tally;
- per tenant and local day two rows in the tenant's counters partition (`keys.report_counts_pk`): `<day>#counts`,
  every figure as a top-level number attribute named as reports/day_counts.py says, and `<day>#subjects`, the
  subject tallies. Top-level attributes because ADD creates them where they are missing (a nested map path must
  exist first) and a row is created by its first ADD. A window of days is one Query of one partition.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.transactions import TransactWrite

from omnicase.domain.counted_source import CountedRecord, CountedSource, DayCounts, RecordWrite
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import OmnicaseItem, transaction_connection
from omnicase.persistence.errors import transaction_errors

ROW_TYPE = "day_counts"
NOT_COUNTERS = frozenset({"pk", "sk", "item_type", "tenant_id", "day", "expires_at"})


class CountedItem(OmnicaseItem, discriminator="counted"):
    """What the report counters hold of one item: its version and tally; `writes` guards the next write."""

    case_id = UnicodeAttribute()
    part = UnicodeAttribute()
    counted_version = NumberAttribute()
    writes = NumberAttribute()
    tally = JSONAttribute(null=True)


class DayCountsItem(OmnicaseItem, discriminator=ROW_TYPE):
    """A counters row; its counters are attributes this model does not declare (read raw, see `days`)."""

    day = UnicodeAttribute()


def _counted_key(source: CountedSource) -> tuple[str, str]:
    return keys.counted_key(source.tenant_id, source.case_id, source.part)


def _row_key(tenant_id: str, day: str, row: str) -> tuple[str, str]:
    at = date.fromisoformat(day)
    sort_key = keys.day_counts_sk(at) if row == "counts" else keys.day_subjects_sk(at)
    return keys.report_counts_pk(tenant_id), sort_key


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
        pk, sk = _row_key(tenant_id, day, "subjects")
        found = OmnicaseItem._get_connection().get_item(pk, sk, consistent_read=True).get("Item") or {}
        return {name for name in found if name not in NOT_COUNTERS}

    def write(self, writes: Sequence[RecordWrite], moves: Mapping[tuple[str, str, str], Mapping[str, int]]) -> None:
        """One transaction: each record conditional on the one read, each row's counters added to (ConcurrentUpdate
        when a record changed meanwhile or another transaction held an item)."""
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
            for (tenant_id, day, row), counts in moves.items():
                pk, sk = _row_key(tenant_id, day, row)
                actions = [
                    UnicodeAttribute(attr_name="item_type").set(ROW_TYPE),
                    UnicodeAttribute(attr_name="tenant_id").set(tenant_id),
                    UnicodeAttribute(attr_name="day").set(day),
                    *(NumberAttribute(attr_name=name).add(n) for name, n in counts.items()),
                ]
                tx.update(DayCountsItem(pk, sk), actions=actions)

    def days(self, tenant_id: str, first: date, last: date) -> list[DayCounts]:
        """Rows of the days in [first, last): one Query (days sort as ISO dates; `last` itself sorts after)."""
        rows: dict[str, DayCounts] = {}
        for raw in _query_raw(keys.report_counts_pk(tenant_id), first.isoformat(), last.isoformat()):
            day = raw["day"]["S"]
            numbers = {
                name: int(value["N"]) for name, value in raw.items() if "N" in value and name not in NOT_COUNTERS
            }
            row = rows.setdefault(day, DayCounts(date.fromisoformat(day)))
            (row.subjects if raw["sk"]["S"].endswith("#subjects") else row.counts).update(numbers)
        return [rows[day] for day in sorted(rows)]


def _query_raw(pk: str, low: str, high: str) -> Iterator[dict[str, Any]]:
    """Raw items of pk with low ≤ sk ≤ high, every page (raw: a row's counters are not model attributes)."""
    connection = OmnicaseItem._get_connection()
    start: dict[str, Any] | None = None
    while True:
        page = connection.query(pk, range_key_condition=OmnicaseItem.sk.between(low, high), exclusive_start_key=start)
        yield from page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return
