"""Which escalation execution owns a case's timers, and when it wakes — kept beside the case, not in it, so this
bookkeeping never changes the case's version under an agent's edit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case


@dataclass(frozen=True)
class CaseTimer:
    owner: str | None = None  # the execution's name
    generation: int = 0  # how many executions the case has had
    wake_at: datetime | None = None  # when the owner wakes next; None when none is running


class TimerStore(Protocol):
    def read(self, tenant_id: str, case_id: str) -> tuple[Case | None, CaseTimer]:
        """The case and its timer (an empty CaseTimer when it never had one)."""
        ...

    def claim(self, case: Case, timer: CaseTimer, read_generation: int) -> bool:
        """Store the new owner; False when another claimed the case's timers since `read_generation`."""
        ...

    def set_wake(self, case: Case, owner: str, wake_at: datetime | None, events: list[CaseEvent]) -> None:
        """Save the case (when events say it changed) and the owner's next wake, all or nothing.
        ConcurrentUpdate when the case changed since it was read, or the owner is no longer the owner."""
        ...

    def record_failed_check(self, event: CaseEvent, owner: str) -> bool:
        """Store the event (once) and clear the owner's wake, all or nothing; False when `owner` no longer owns the
        case's timers. Storing an event already stored is no error."""
        ...
