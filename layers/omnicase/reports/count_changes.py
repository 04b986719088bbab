"""Counting changed items into the daily report counters, exactly once whatever the order or number of deliveries.

Each counted item (a case, an answer, a sent survey, an interception) has a record of what the counters hold of it:
the version counted and its tally. A change is counted by comparing the item as it is now to that record: the
counters get the difference, the record the new tally, in one transaction conditional on the record being the one
read. So:
- a redelivered change finds its version already recorded and adds nothing;
- an older change arriving after a newer one finds a newer version recorded and adds nothing (the counters hold
  the newer state already: a change is a state, not a delta);
- two consumers counting the same item race on the record's condition: one wins, the other re-reads and retries;
- a change whose tally equals the recorded one moves no counter (most case writes: a message, a status) and only
  advances the recorded version.
Counting the same items again with `recount` (`omnicase report rebuild`) compares tallies whatever the versions:
what differs (a case never counted, a changed time zone or report threshold) is corrected, the rest is left as it is.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from omnicase.domain.counted_source import CountedRecord, CountedSource, DayCounts, RecordWrite
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.reports.count_rules import CountRules
from omnicase.reports.day_counts import SUBJECT_SLOTS, Counts, Tally, tally_change, tally_of

ATTEMPTS = 6
# A chunk of items is read and counted together; an item touches its record and at most 8 rows (counts and subjects
# of the day and month it left and of those it counts on now), rows the chunk's items share written once. Usually
# one transaction; items spread over many days go in several (TRANSACTION_ITEMS each at most).
ITEMS_PER_TRANSACTION = 20
TRANSACTION_ITEMS = 100

Identity = tuple[str, str, str]  # tenant, case, part
Row = tuple[str, str, str]  # tenant, ISO day or month, "counts" | "subjects"


class ReportCounters(Protocol):
    def counted(self, sources: Sequence[CountedSource]) -> dict[Identity, CountedRecord]:
        """The records of these items (strongly consistent); items never counted are missing."""
        ...

    def subject_names(self, tenant_id: str, day: str) -> set[str]:
        """The subject tally names the day's subjects row holds."""
        ...

    def write(self, writes: Sequence[RecordWrite], moves: Mapping[Row, Counts]) -> None:
        """The records and the counter moves, all or nothing; ConcurrentUpdate when a record changed meanwhile."""
        ...

    def days(self, tenant_id: str, first: date, last: date) -> list[DayCounts]:
        """The counters of the days in [first, last) that have any."""
        ...

    def periods(self, tenant_id: str, first: date, last: date) -> list[DayCounts]:
        """Rows summing to the days in [first, last): whole months' rows where it can, days' rows at the edges."""
        ...


def identity(source: CountedSource) -> Identity:
    return source.tenant_id, source.case_id, source.part


def count_sources(
    sources: Sequence[CountedSource],
    counters: ReportCounters,
    rules_of: Callable[[str], CountRules],
    *,
    recount: bool = False,
    pause: Callable[[int], None] | None = None,
) -> int:
    """Count the items (their latest version each); how many moved a counter. ConcurrentUpdate after ATTEMPTS."""
    latest: dict[Identity, CountedSource] = {}
    for source in sources:
        known = latest.get(identity(source))
        if known is None or source.version > known.version:
            latest[identity(source)] = source
    moved = 0
    pending = list(latest.values())
    for chunk in (pending[n : n + ITEMS_PER_TRANSACTION] for n in range(0, len(pending), ITEMS_PER_TRANSACTION)):
        for attempt in range(ATTEMPTS):
            try:
                moved += _count_chunk(chunk, counters, rules_of, recount)
                break
            except ConcurrentUpdate:
                if attempt == ATTEMPTS - 1:
                    raise
                (pause or _back_off)(attempt)
    return moved


@dataclass(frozen=True)
class _Pending:
    source: CountedSource
    before: CountedRecord | None
    old: Tally | None  # what the counters hold of it
    new: Tally | None  # what they will hold


def _count_chunk(
    chunk: Sequence[CountedSource], counters: ReportCounters, rules_of: Callable[[str], CountRules], recount: bool
) -> int:
    records = counters.counted(chunk)
    pending: list[_Pending] = []
    for source in chunk:
        before = records.get(identity(source))
        if before is not None and source.version <= before.version and not recount:
            continue  # counted already, or older than what is counted
        old = Tally.from_document(before.tally) if before is not None and before.tally is not None else None
        rules = rules_of(source.tenant_id)
        new = tally_of(source, rules.zone, rules.thresholds)
        if before is not None or new is not None:
            pending.append(_Pending(source, before, old, new))
    pending = [
        p
        for p in _with_subject_slots(pending, counters)
        if p.before is None or (p.new, p.source.version) != (p.old, p.before.version)
    ]
    for group in _transactions(pending):
        moves: dict[Row, Counter[str]] = {}
        for p in group:
            for (period, row), counts in tally_change(p.old, p.new).items():
                moves.setdefault((p.source.tenant_id, period, row), Counter()).update(counts)
        writes = [RecordWrite(p.source, p.before, p.new.to_document() if p.new else None) for p in group]
        counters.write(writes, {row: {k: v for k, v in c.items() if v} for row, c in moves.items() if any(c.values())})
    # A later group's lost race retries the chunk: the groups written by then are recorded, so they are skipped.
    return sum(1 for p in pending if p.new != p.old)


def _transactions(pending: list[_Pending]) -> list[list[_Pending]]:
    """The items in groups whose records and rows fit one transaction."""
    groups: list[list[_Pending]] = []
    rows: set[Row] = set()
    for p in pending:
        touched = {(p.source.tenant_id, *key) for key in tally_change(p.old, p.new)}
        if not groups or len(groups[-1]) + 1 + len(rows | touched) > TRANSACTION_ITEMS:
            groups.append([])
            rows = set()
        groups[-1].append(p)
        rows |= touched
    return groups


def _with_subject_slots(pending: list[_Pending], counters: ReportCounters) -> list[_Pending]:
    """A subject keeps the slot it had; a new one takes a free slot of its day, or counts as other subjects."""
    names: dict[tuple[str, str], set[str]] = {}
    placed: list[_Pending] = []
    for p in pending:
        new, old = p.new, p.old
        if new is None or not new.subject:
            placed.append(p)
            continue
        if old is not None and (old.day, old.subject) == (new.day, new.subject):
            placed.append(replace(p, new=replace(new, subject_other=old.subject_other)))
            continue
        day = (p.source.tenant_id, new.day)
        if day not in names:
            names[day] = counters.subject_names(*day)
        taken = names[day]
        if new.subject not in taken and len(taken) >= SUBJECT_SLOTS:
            new = replace(new, subject_other=True)
        else:
            taken.add(new.subject)
        placed.append(replace(p, new=new))
    return placed


def _back_off(attempt: int) -> None:
    time.sleep(random.uniform(0, 0.05 * 2**attempt))
