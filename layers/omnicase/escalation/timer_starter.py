"""Starting a case's escalation execution whenever its next deadline comes sooner than its running one wakes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from omnicase.domain.case_timers import FINISHED
from omnicase.domain.model import Case


class Executions(Protocol):
    def start(self, name: str, payload: dict[str, object]) -> None:
        """Start an execution; starting the same name with the same payload again is not an error."""
        ...


class TimerOwnership(Protocol):
    def hand_timers_to(self, case: Case, owner: str, generation: int) -> bool:
        """Record the new owner, conditional on the case being as read; False when it changed."""
        ...


def needs_new_execution(case: Case) -> bool:
    """True when nothing will wake for the case's next deadline in time."""
    service = case.service
    if case.status in FINISHED or service.next_deadline is None:
        return False
    return service.timer_wake_at is None or service.next_deadline < service.timer_wake_at


def execution_name(case: Case, generation: int) -> str:
    """Named after the case, so ops find it in the Step Functions console; unique, so a retried start never
    collides with an execution that already ended."""
    return f"{case.tenant_id}-{case.case_id}-{generation}-{secrets.token_hex(3)}"


@dataclass
class TimerStarter:
    executions: Executions
    ownership: TimerOwnership

    def on_case_changed(self, case: Case) -> str | None:
        """Start the next generation when needed; returns its execution name."""
        if not needs_new_execution(case):
            return None
        generation = case.service.timer_generation + 1
        name = execution_name(case, generation)
        # Started before it is recorded, so a crash in between never leaves a case without a timer. Only the
        # execution recorded as owner acts; one that lost (a retry, a race) ends at its first check.
        payload = {"tenant_id": case.tenant_id, "case_id": case.case_id, "owner": name, "generation": generation}
        self.executions.start(name, payload)
        if not self.ownership.hand_timers_to(case, name, generation):
            return None  # the case changed meanwhile; its own stream record decides again
        return name
