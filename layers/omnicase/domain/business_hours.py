"""Business-time arithmetic over a BusinessCalendar: when a span of working time has elapsed, how much working time
lies between two instants, and whether the business is open at an instant.

Decisions:
- Intervals are local wall times in `calendar.time_zone`; `weekly[0]` is Monday. An interval belongs to the local
  date it starts on: `end <= start` is a shift running into the next day (22:00–06:00; `end == start` is 24 hours).
  An interval starting on a holiday does not run at all, while a shift that started the evening before a holiday
  runs to its end.
- A make-up working day (调休, `calendar.workdays`) runs its own intervals instead of its weekday's: a Saturday that
  works counts like any working day, and a shift it starts runs to its end on Sunday.
- Open time is half-open, [start, end): the instant an interval ends is closed.
- Overlapping or touching intervals (also across days) are merged, so no second is counted twice.
- DST: wall times are mapped to UTC with zoneinfo. A wall time inside a spring-forward gap maps to the instant the
  gap ends (01:30–02:30 in London on the spring-forward night runs from 02:00 BST to 02:30 BST: 30 real minutes).
  An ambiguous fall-back wall time takes its first occurrence (fold=0) as a start and its second (fold=1) as an
  end, so an interval spanning the repeated hour counts it (00:00–03:00 on the fall-back night is 4 real hours).
- `always_open` calendars are plain wall arithmetic: every real second counts, holidays are ignored.
- `add_business_time` stops at an interval's end when the duration runs out exactly there (not at the next
  opening); a zero duration gives the first open instant at or after the start.
- A calendar without working time raises ValueError; a forward search gives up after 5 years without any.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from omnicase.domain.tenant_config import BusinessCalendar

SEARCH_HORIZON_DAYS = 5 * 366  # give up after this many local days in a row without working time
_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
# An instant may still be covered by a shift that started the day before (or, around odd DST rules, two days before).
_LOOK_BACK = timedelta(days=2)

Span = tuple[datetime, datetime]  # [start, end) in UTC


def add_business_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The UTC instant at which `duration` of business time has elapsed after `start`."""
    start = _utc(start)
    if duration < _ZERO:
        raise ValueError(f"duration must not be negative: {duration}")
    if calendar.always_open:
        return start + duration
    _require_working_time(calendar)
    remaining = duration
    counted_to = start  # spans may overlap: only time after this instant is still uncounted
    for span_start, span_end in _spans(calendar, _local_date(calendar, start) - _LOOK_BACK):
        if span_end <= counted_to:
            continue
        begin = max(span_start, counted_to)
        available = span_end - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
        counted_to = span_end
    raise ValueError(f"calendar {calendar.name!r} has no working time within 5 years after {start.isoformat()}")


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Business time in [start, end); zero when end <= start."""
    start, end = _utc(start), _utc(end)
    if end <= start:
        return _ZERO
    if calendar.always_open:
        return end - start
    if not _has_hours(calendar):
        return _ZERO
    total = _ZERO
    counted_to = start
    for span_start, span_end in _spans(calendar, _local_date(calendar, start) - _LOOK_BACK):
        if span_start >= end:
            break
        if span_end <= counted_to:
            continue
        total += min(span_end, end) - max(span_start, counted_to)
        counted_to = span_end
        if counted_to >= end:
            break
    return total


def is_open(calendar: BusinessCalendar, at: datetime) -> bool:
    """Whether the business clock runs at this instant."""
    at = _utc(at)
    if calendar.always_open:
        return True
    if not _has_hours(calendar):
        return False
    for span_start, span_end in _spans(calendar, _local_date(calendar, at) - _LOOK_BACK):
        if span_start > at:
            return False  # spans come in order of start: none later can cover `at`
        if at < span_end:
            return True
    return False


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got {at!r}")
    return at.astimezone(UTC)


def _check_weekly(calendar: BusinessCalendar) -> None:
    if len(calendar.weekly) != 7:
        raise ValueError(f"calendar {calendar.name!r} must have 7 weekdays of intervals, has {len(calendar.weekly)}")


def _has_hours(calendar: BusinessCalendar) -> bool:
    _check_weekly(calendar)
    return any(calendar.weekly) or any(intervals for _, intervals in calendar.workdays)


def _require_working_time(calendar: BusinessCalendar) -> None:
    if not _has_hours(calendar):
        raise ValueError(f"calendar {calendar.name!r} has no working hours")


def _local_date(calendar: BusinessCalendar, at: datetime) -> date:
    return at.astimezone(ZoneInfo(calendar.time_zone)).date()


def _spans(calendar: BusinessCalendar, first_day: date) -> Iterator[Span]:
    """The calendar's open spans from `first_day` on, ordered by start (they may overlap).

    Starts map to UTC monotonically (fold=0, gaps to their end), so concatenating days keeps the order.
    Stops after SEARCH_HORIZON_DAYS days in a row without any span.
    """
    day = first_day
    empty_days = 0
    while empty_days < SEARCH_HORIZON_DAYS:
        spans = _day_spans(calendar, day)
        empty_days = 0 if spans else empty_days + 1
        yield from spans
        day += _ONE_DAY


@lru_cache(maxsize=8192)
def _day_spans(calendar: BusinessCalendar, day: date) -> tuple[Span, ...]:
    """The UTC spans of the intervals starting on this local date, sorted by start."""
    tz = ZoneInfo(calendar.time_zone)
    spans: list[Span] = []
    for interval in calendar.intervals_on(day):
        start_time, end_time = _naive(interval.start), _naive(interval.end)
        end_day = day if end_time > start_time else day + _ONE_DAY
        start = _wall_to_utc(day, start_time, tz, fold=0)
        end = _wall_to_utc(end_day, end_time, tz, fold=1)
        if end > start:  # an interval lying wholly inside a DST gap has no real time
            spans.append((start, end))
    return tuple(sorted(spans))


def _naive(at: time) -> time:
    return at.replace(tzinfo=None, fold=0)


def _wall_to_utc(day: date, at: time, tz: ZoneInfo, *, fold: int) -> datetime:
    """The instant of a local wall time; a wall time that does not exist (DST gap) becomes the gap's end."""
    wall = datetime.combine(day, at, tzinfo=tz).replace(fold=fold)
    utc = wall.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return utc
    return _gap_end(wall, tz)


def _gap_end(wall: datetime, tz: ZoneInfo) -> datetime:
    """The transition instant of the gap `wall` falls in, found by bisection over whole seconds."""
    # The two folds of a missing wall time read it with the offsets before and after the gap: they bracket it.
    early, late = sorted(wall.replace(fold=fold).astimezone(UTC) for fold in (0, 1))
    offset_after = late.astimezone(tz).utcoffset()
    low, high = math.floor(early.timestamp()), math.ceil(late.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)
