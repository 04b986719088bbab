"""The SLA clocks of a case as stored on it: plain values (the arithmetic on them is sla_clock.py).

Kept apart so the case model can hold its clocks without importing the calendar and configuration the arithmetic
needs (that import ran in a circle: model → sla_clock → tenant_config → model).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

_ZERO = timedelta(0)


class ClockName(enum.StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


@dataclass(frozen=True)
class SlaClock:
    name: ClockName
    started_at: datetime
    target: timedelta  # business time
    paused_for: timedelta = _ZERO  # business time spent paused so far (pauses that began before a breach)
    due_at: datetime | None = None  # None while paused
    stopped_at: datetime | None = None  # None while running; set when met or cancelled

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    def breached(self, now: datetime) -> bool:
        """Whether the target was missed as of `now`: running at or past due_at, or stopped after it."""
        if self.due_at is None:
            return False
        if self.stopped_at is None:
            return now >= self.due_at
        return self.stopped_at > self.due_at


@dataclass(frozen=True)
class SlaClocks:
    clocks: tuple[SlaClock, ...] = ()
    paused_at: datetime | None = None  # set while the case waits (pending / on hold)
