"""The SLA clocks of one case: when each is due, pauses, stops and breaches, as immutable values.

Every function returns new SlaClocks. Targets and due dates are business time over the tenant's calendar.
Decisions:
- Clocks have one-second resolution: instants are stored in UTC truncated to the second, durations as whole seconds.
- A pause (pending / on hold) freezes running clocks: their due_at is None until resume, which adds the business
  time of the pause (only the part after the clock's own start) to paused_for and recomputes
  due_at = add_business_time(started_at, target + paused_for).
- A clock already breached when a pause begins keeps its due_at: pausing cannot undo a breach, and that pause is
  not counted for it.
- A clock stopped while paused keeps due_at None: it did not run out before the pause, so it was met.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from omnicase.domain.sla_clock_state import ClockName, SlaClock, SlaClocks

if TYPE_CHECKING:
    from omnicase.domain.tenant_config import BusinessCalendar, SlaTargets

MAX_CLOCKS = 10  # history kept on the case item: the latest clock of each name plus the most recent older ones
_ZERO = timedelta(0)


def start_clocks(calendar: BusinessCalendar, targets: SlaTargets, opened_at: datetime) -> SlaClocks:
    """The clocks of a new case: first response and resolution, for the targets that exist."""
    opened_at = _instant(opened_at)
    clocks = SlaClocks()
    for name in (ClockName.FIRST_RESPONSE, ClockName.RESOLUTION):
        clocks = _started(clocks, calendar, targets, name, opened_at)
    return clocks


def agent_replied(clocks: SlaClocks, at: datetime) -> SlaClocks:
    """An agent's reply meets the running first- and next-response clocks."""
    return _stop(clocks, _instant(at), (ClockName.FIRST_RESPONSE, ClockName.NEXT_RESPONSE))


def customer_replied(clocks: SlaClocks, calendar: BusinessCalendar, targets: SlaTargets, at: datetime) -> SlaClocks:
    """A customer's message starts a next-response clock unless a response clock already runs for them."""
    at = _instant(at)
    if _running(clocks, ClockName.FIRST_RESPONSE) or _running(clocks, ClockName.NEXT_RESPONSE):
        return clocks  # a running clock keeps its earlier start: the customer waits since their first message
    return _started(clocks, calendar, targets, ClockName.NEXT_RESPONSE, at)


def pause(clocks: SlaClocks, at: datetime) -> SlaClocks:
    """The case waits (pending / on hold): running clocks freeze. Pausing again keeps the first pause."""
    if clocks.paused_at is not None:
        return clocks
    at = _instant(at)
    frozen = tuple(_frozen(clock, at) if clock.running else clock for clock in clocks.clocks)
    return SlaClocks(frozen, paused_at=at)


def resume(clocks: SlaClocks, calendar: BusinessCalendar, at: datetime) -> SlaClocks:
    """The case is worked on again: frozen clocks add the pause to paused_for and get a new due_at."""
    if clocks.paused_at is None:
        return clocks
    at = _instant(at)
    paused_at = clocks.paused_at
    resumed = tuple(
        _resumed(clock, calendar, paused_at, at) if clock.running and clock.due_at is None else clock
        for clock in clocks.clocks
    )
    return SlaClocks(resumed, paused_at=None)


def stop_all(clocks: SlaClocks, at: datetime) -> SlaClocks:
    """The case is solved or closed: every running clock stops."""
    stopped = _stop(clocks, _instant(at), tuple(ClockName))
    return SlaClocks(stopped.clocks, paused_at=None)


def reopen(clocks: SlaClocks, calendar: BusinessCalendar, targets: SlaTargets, at: datetime) -> SlaClocks:
    """A solved case comes back: fresh next-response and resolution clocks; the old ones stay as history.

    Nothing happens while a clock still runs (the case is not solved, or was reopened already).
    """
    if any(clock.running for clock in clocks.clocks):
        return clocks
    at = _instant(at)
    reopened = SlaClocks(clocks.clocks, paused_at=None)
    for name in (ClockName.NEXT_RESPONSE, ClockName.RESOLUTION):
        reopened = _started(reopened, calendar, targets, name, at)
    return SlaClocks(_capped(reopened.clocks), paused_at=None)


def retarget(clocks: SlaClocks, calendar: BusinessCalendar, targets: SlaTargets, at: datetime) -> SlaClocks:
    """The priority changed: running clocks take the new targets, due from their own start; no target stops them."""
    at = _instant(at)
    updated: list[SlaClock] = []
    for clock in clocks.clocks:
        target = _target(targets, clock.name)
        if not clock.running:
            updated.append(clock)
        elif target is None:
            updated.append(replace(clock, stopped_at=at))
        else:
            updated.append(_scheduled(replace(clock, target=target), calendar, clocks.paused_at))
    return SlaClocks(tuple(updated), paused_at=clocks.paused_at)


def next_due(clocks: SlaClocks) -> datetime | None:
    """The earliest due_at of the running clocks (frozen clocks have none)."""
    due = [clock.due_at for clock in clocks.clocks if clock.running and clock.due_at is not None]
    return min(due, default=None)


def breached_clocks(clocks: SlaClocks, now: datetime) -> tuple[ClockName, ...]:
    """Names of the clocks breached as of `now` (running past due, or stopped late), each name once."""
    names = [clock.name for clock in clocks.clocks if clock.breached(now)]
    return tuple(dict.fromkeys(names))


def clocks_to_dict(clocks: SlaClocks) -> dict[str, Any]:
    """JSON-safe form for the case item: ISO-8601 UTC strings, durations as whole seconds."""
    return {
        "paused_at": _iso(clocks.paused_at),
        "clocks": [
            {
                "name": clock.name.value,
                "started_at": _iso(clock.started_at),
                "target_seconds": _whole_seconds(clock.target),
                "paused_seconds": _whole_seconds(clock.paused_for),
                "due_at": _iso(clock.due_at),
                "stopped_at": _iso(clock.stopped_at),
            }
            for clock in clocks.clocks
        ],
    }


def clocks_from_dict(data: dict[str, Any]) -> SlaClocks:
    """The inverse of clocks_to_dict; numbers may come back as Decimal (DynamoDB)."""
    clocks = tuple(
        SlaClock(
            name=ClockName(item["name"]),
            started_at=_parse(item["started_at"]),
            target=timedelta(seconds=int(item["target_seconds"])),
            paused_for=timedelta(seconds=int(item.get("paused_seconds", 0))),
            due_at=_parse_optional(item.get("due_at")),
            stopped_at=_parse_optional(item.get("stopped_at")),
        )
        for item in data.get("clocks", ())
    )
    return SlaClocks(clocks, paused_at=_parse_optional(data.get("paused_at")))


def _instant(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got {at!r}")
    return at.astimezone(UTC).replace(microsecond=0)


def _seconds(duration: timedelta) -> timedelta:
    return timedelta(seconds=_whole_seconds(duration))


def _whole_seconds(duration: timedelta) -> int:
    return duration.days * 86_400 + duration.seconds  # truncates the microseconds (one-second resolution)


def _target(targets: SlaTargets, name: ClockName) -> timedelta | None:
    target: timedelta | None = getattr(targets, name.value)
    return None if target is None else _seconds(target)


def _latest(clocks: SlaClocks, name: ClockName) -> SlaClock | None:
    return next((clock for clock in reversed(clocks.clocks) if clock.name == name), None)


def _running(clocks: SlaClocks, name: ClockName) -> bool:
    latest = _latest(clocks, name)
    return latest is not None and latest.running


def _started(
    clocks: SlaClocks, calendar: BusinessCalendar, targets: SlaTargets, name: ClockName, at: datetime
) -> SlaClocks:
    """A new running clock of this name from `at`, unless it has no target or one runs already."""
    target = _target(targets, name)
    if target is None or _running(clocks, name):
        return clocks
    clock = _scheduled(SlaClock(name=name, started_at=at, target=target), calendar, clocks.paused_at)
    return SlaClocks((*clocks.clocks, clock), paused_at=clocks.paused_at)


def _scheduled(clock: SlaClock, calendar: BusinessCalendar, paused_at: datetime | None) -> SlaClock:
    from omnicase.domain.business_hours import add_business_time  # readers of stored clocks never need it

    """The clock with due_at from its own start, target and counted pauses; frozen if it is due after a pause began."""
    due_at = add_business_time(calendar, clock.started_at, clock.target + clock.paused_for)
    if paused_at is not None and due_at > paused_at:
        return replace(clock, due_at=None)
    return replace(clock, due_at=due_at)


def _frozen(clock: SlaClock, paused_at: datetime) -> SlaClock:
    if clock.due_at is not None and clock.due_at <= paused_at:
        return clock  # already breached: the pause does not move a deadline that has passed
    return replace(clock, due_at=None)


def _resumed(clock: SlaClock, calendar: BusinessCalendar, paused_at: datetime, at: datetime) -> SlaClock:
    from omnicase.domain.business_hours import add_business_time, business_time_between

    # A clock started during the pause was only paused since its own start.
    paused = _seconds(business_time_between(calendar, max(paused_at, clock.started_at), at))
    resumed = replace(clock, paused_for=clock.paused_for + paused)
    return replace(resumed, due_at=add_business_time(calendar, resumed.started_at, resumed.target + resumed.paused_for))


def _stop(clocks: SlaClocks, at: datetime, names: tuple[ClockName, ...]) -> SlaClocks:
    stopped = tuple(
        replace(clock, stopped_at=at) if clock.running and clock.name in names else clock for clock in clocks.clocks
    )
    return SlaClocks(stopped, paused_at=clocks.paused_at)


def _capped(clocks: tuple[SlaClock, ...]) -> tuple[SlaClock, ...]:
    """Drop the oldest clocks beyond MAX_CLOCKS, always keeping the latest clock of each name."""
    latest = {clock.name: index for index, clock in enumerate(clocks)}
    keep = set(latest.values())
    older = [index for index in range(len(clocks)) if index not in keep]
    spare = max(MAX_CLOCKS - len(keep), 0)
    keep.update(older[max(len(older) - spare, 0) :] if spare else ())
    return tuple(clock for index, clock in enumerate(clocks) if index in keep)


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat()


def _parse(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"an ISO-8601 instant with a UTC offset is required, got {text!r}")
    return parsed.astimezone(UTC)


def _parse_optional(text: str | None) -> datetime | None:
    return None if text is None else _parse(text)
