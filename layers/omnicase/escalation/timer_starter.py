"""Starting a case's escalation execution whenever its next deadline comes sooner than its running one wakes."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from omnicase.domain.case_timers import seconds_until
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.timer_ownership import CaseTimer, TimerStore


class Executions(Protocol):
    def start(self, name: str, payload: dict[str, object]) -> None:
        """Start an execution; starting the same name with the same payload again is not an error."""
        ...


def needs_new_execution(case: Case, timer: CaseTimer) -> bool:
    """True when nothing will wake for the case's next deadline in time (a solved case's is its auto-close)."""
    deadline = case.service.next_deadline
    if case.status == CaseStatus.CLOSED or deadline is None:
        return False
    return timer.wake_at is None or deadline < timer.wake_at


def execution_name(case: Case, generation: int) -> str:
    """Named after the case, so ops find it in the Step Functions console; unique, so a retried start never
    collides with an execution that already ended."""
    return f"{case.tenant_id}-{case.case_id}-{generation}-{secrets.token_hex(3)}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TimerStarter:
    executions: Executions
    timers: TimerStore
    now: Callable[[], datetime] = field(default=_utc_now)

    def on_case_changed(self, tenant_id: str, case_id: str) -> str | None:
        """Start the next generation when needed; returns its execution name."""
        case, timer = self.timers.read(tenant_id, case_id)
        if case is None or not needs_new_execution(case, timer):
            return None
        generation = timer.generation + 1
        name = execution_name(case, generation)
        # Started before it is claimed, so a crash in between never leaves a case without a timer. Only the
        # claimed owner acts; an execution that lost (a retry, a race) ends at its first checks.
        deadline = case.service.next_deadline
        assert deadline is not None  # needs_new_execution said so
        # The first wake is known here, so the execution starts asleep: no check task (a Lambda call and a state
        # transition per case) just to learn when to sleep until.
        first_wake = {"action": "wait", "seconds": seconds_until(deadline, self.now()), "loops": 0}
        payload = {
            "tenant_id": case.tenant_id,
            "case_id": case.case_id,
            "owner": name,
            "generation": generation,
            "timer": first_wake,
        }
        self.executions.start(name, payload)
        claimed = CaseTimer(owner=name, generation=generation, wake_at=deadline)
        if not self.timers.claim(case, claimed, timer.generation):
            return None  # another start won; it covers this deadline
        return name
