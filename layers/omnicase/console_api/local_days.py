"""?from=&to= as days in the tenant's time zone: [from, to), both ISO dates, at most a given number of days."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DAYS = 7


def local_days(params: Mapping[str, str], zone: str, now: datetime, max_days: int) -> tuple[date, date]:
    """[from, to) local dates; defaults: to = tomorrow (today included), from = 7 days before. ValueError (400)."""
    today = now.astimezone(ZoneInfo(zone)).date()
    end = _date(params, "to") or today + timedelta(days=1)
    start = _date(params, "from") or end - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise ValueError(f"from ({start}) must be before to ({end}); to is exclusive")
    if (end - start).days > max_days:
        raise ValueError(f"from {start} to {end} is longer than {max_days} days")
    return start, end


def day_start(day: date, zone: str) -> datetime:
    """The instant a local day begins (DST days are 23 or 25 hours long)."""
    return datetime.combine(day, time(), ZoneInfo(zone))


def each_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days)]


def _date(params: Mapping[str, str], name: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        if len(raw) != len("2026-12-04"):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be an ISO date such as 2026-12-04 (a day in the tenant's time zone)") from error
