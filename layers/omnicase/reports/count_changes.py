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
what differs (a case never counted, a changed time zone) is corrected, the rest is left as it is.
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
from omnicase.reports.day_counts import SUBJECT_SLOTS, Counts, Tally, tally_change, tally_of

ATTEMPTS = 6
# A transaction takes 100 items; an item touches its record and at most 4 rows (counts and subjects of the day it
# left and of the day it counts on now): 20 items always fit, and the rows they share are written once.
ITEMS_PER_TRANSACTION = 20

Identity = tuple[str, str, str]  # tenant, case, part
Row = tuple[str, str, str]  # tenant, ISO day, "counts" | "subjects"


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


def identity(source: CountedSource) -> Identity:
    return source.tenant_id, source.case_id, source.part


def count_sources(
    sources: Sequence[CountedSource],
    counters: ReportCounters,
    zone_of: Callable[[str], str],
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
                moved += _count_chunk(chunk, counters, zone_of, recount)
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
    chunk: Sequence[CountedSource], counters: ReportCounters, zone_of: Callable[[str], str], recount: bool
) -> int:
    records = counters.counted(chunk)
    pending: list[_Pending] = []
    for source in chunk:
        before = records.get(identity(source))
        if before is not None and source.version <= before.version and not recount:
            continue  # counted already, or older than what is counted
        old = Tally.from_document(before.tally) if before is not None and before.tally is not None else None
        new = tally_of(source, zone_of(source.tenant_id))
        if before is not None or new is not None:
            pending.append(_Pending(source, before, old, new))
    pending = [
        p
        for p in _with_subject_slots(pending, counters)
        if p.before is None or (p.new, p.source.version) != (p.old, p.before.version)
    ]
    if not pending:
        return 0
    moves: dict[Row, Counter[str]] = {}
    for p in pending:
        for (day, row), counts in tally_change(p.old, p.new).items():
            moves.setdefault((p.source.tenant_id, day, row), Counter()).update(counts)
    writes = [RecordWrite(p.source, p.before, p.new.to_document() if p.new else None) for p in pending]
    counters.write(writes, {row: {k: v for k, v in c.items() if v} for row, c in moves.items() if any(c.values())})
    return sum(1 for p in pending if p.new != p.old)


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
