"""The check task of the escalation flow: wake at a case's deadline, fire what is due, say when to wake next."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from omnicase.domain.case_events import SYSTEM, CaseEvent, CaseEventLog
from omnicase.domain.case_timers import Notice, apply_due_timers, seconds_until
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case
from omnicase.domain.ports import TenantConfigs
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.timer_ownership import TimerStore

# Each loop adds about ten events to the execution's history (limit 25,000): hand over long before.
MAX_LOOPS_PER_EXECUTION = 500
MAX_ATTEMPTS = 3
MAX_UNRECORDED_LOOPS = 30  # an execution its starter never recorded (it lost a race) gives up after this


class Notifier(Protocol):
    def notify(self, notice: Notice, case: Case, config: TenantConfig) -> None: ...


@dataclass(frozen=True)
class TimerRequest:
    """What the state machine passes to each check."""

    tenant_id: str
    case_id: str
    owner: str  # the execution's name: only the case's current owner acts
    generation: int
    loops: int = 0

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TimerRequest:
        previous = state.get("timer") or {}
        owner, generation = str(state["owner"]), int(state["generation"])
        return cls(state["tenant_id"], state["case_id"], owner, generation, int(previous.get("loops", 0)))


@dataclass(frozen=True)
class FailedCheck:
    """What the state machine's Catch passes when a check kept failing: the error's name (never its cause, which
    can quote customer data) and when the failure was caught."""

    request: TimerRequest
    error: str
    at: datetime

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> FailedCheck | None:
        failed = state.get("failed_check")
        if failed is None:
            return None
        at = datetime.fromisoformat(str(failed["at"]).replace("Z", "+00:00"))
        return cls(TimerRequest.from_state(state), str(failed.get("error") or "unknown")[:100], at)

    def event(self) -> CaseEvent:
        """timer_check_failed, keyed by the execution: a retried record writes the same event, not a second one."""
        owner = self.request.owner
        event_id = f"000{hashlib.sha256(owner.encode()).hexdigest()[:8]}"
        detail = {"execution": owner, "error": self.error}
        reason = "the SLA timer check kept failing; the case's next change restarts its timers"
        return CaseEvent(
            self.request.tenant_id,
            self.request.case_id,
            event_id,
            self.at,
            "timer_check_failed",
            SYSTEM,
            reason,
            detail,
        )


@dataclass
class TimerCheck:
    timers: TimerStore
    configs: TenantConfigs
    notifier: Notifier
    on_events: Callable[[Case, list[CaseEvent]], None] = lambda case, events: None  # metrics

    def check(self, request: TimerRequest, now: datetime) -> dict[str, Any]:
        """{"action": "wait", "seconds": …} to sleep until the next deadline, {"action": "done"} to end."""
        for _ in range(MAX_ATTEMPTS):
            case, timer = self.timers.read(request.tenant_id, request.case_id)
            if case is None:
                return {"action": "done", "why": "no such case"}
            if timer.owner != request.owner:
                if timer.generation < request.generation and request.loops < MAX_UNRECORDED_LOOPS:
                    # Started a moment before its starter claims the case: look again shortly.
                    return {"action": "wait", "seconds": 1, "loops": request.loops + 1}
                return {"action": "done", "why": "superseded"}  # another execution owns the case's timers
            config = self.configs.config_for(request.tenant_id)
            log = CaseEventLog(case.tenant_id, case.case_id, now)
            notices = apply_due_timers(case, config, now, log)
            wake = case.service.next_deadline
            if request.loops >= MAX_LOOPS_PER_EXECUTION:
                wake = None  # a long-lived case: the starter begins a fresh execution
            if log.events or timer.wake_at != wake:
                try:
                    self.timers.set_wake(case, request.owner, wake, log.events)
                except ConcurrentUpdate:
                    continue  # the case changed, or a newer execution took over: look again
            for notice in notices:
                self.notifier.notify(notice, case, config)
            self.on_events(case, log.events)
            if wake is None:
                return {"action": "done", "why": case.status.value}
            seconds = seconds_until(wake, now)
            return {"action": "wait", "seconds": seconds, "wake_at": wake.isoformat(), "loops": request.loops + 1}
        raise ConcurrentUpdate(f"case {request.case_id} kept changing during its timer check")

    def record_failure(self, failed: FailedCheck) -> dict[str, Any]:
        """Put timer_check_failed on the case and free its timer (nothing waits for its deadline any more, so the
        case's next change starts a new execution); nothing when a newer execution owns the case's timers."""
        recorded = self.timers.record_failed_check(failed.event(), failed.request.owner)
        return {"recorded": recorded, "error": failed.error}
