"""Auto-close timers for solved cases that have none: those solved before `auto_close_after` was set (or before
omnicase had it). A one-off for ops (`omnicase cases start-close-timers`); a second run starts nothing.

A solved case gets its auto-close as its next deadline (what solving it today would have set, with a
`deadline_set` event saying why), then the usual starter starts its escalation execution. A case whose auto-close is
already due closes at the execution's first wake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_timers import next_deadline
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.timer_ownership import TimerStore
from omnicase.escalation.timer_starter import TimerStarter, needs_new_execution

COMMAND = "omnicase cases start-close-timers"


class SolvedCases(Protocol):
    def solved_cases(self, tenant_id: str) -> Iterable[Case]:
        """The tenant's cases whose status is solved."""
        ...

    def save_deadline(self, case: Case, events: list[CaseEvent]) -> None:
        """Save the case as changed, with its events; ConcurrentUpdate when it changed since it was read."""
        ...


@dataclass(frozen=True)
class CloseTimerOutcome:
    case_id: str
    result: str  # started / would-start / running (it has a timer) / changed (edited meanwhile: run again)
    closes_at: datetime
    execution: str | None = None


def start_close_timers(
    tenant_id: str,
    config: TenantConfig,
    cases: SolvedCases,
    timers: TimerStore,
    starter: TimerStarter | None,
    now: datetime,
) -> list[CloseTimerOutcome]:
    """Give every solved case of the tenant without a running timer its auto-close (nothing when it is off);
    without a starter, a dry run: only what would start."""
    if config.auto_close_after is None:
        return []
    outcomes = []
    for listed in cases.solved_cases(tenant_id):
        case, timer = timers.read(tenant_id, listed.case_id)  # consistent, with the case's timer item
        closes_at = next_deadline(case, config) if case and case.status == CaseStatus.SOLVED else None
        if case is None or closes_at is None:
            continue  # reopened or closed since it was listed
        if not needs_new_execution(replace(case, service=replace(case.service, next_deadline=closes_at)), timer):
            outcomes.append(CloseTimerOutcome(case.case_id, "running", closes_at))
        elif starter is None:
            outcomes.append(CloseTimerOutcome(case.case_id, "would-start", closes_at))
        else:
            outcomes.append(_start(case, closes_at, cases, timers, starter, now))
    return outcomes


def _start(
    case: Case, closes_at: datetime, cases: SolvedCases, timers: TimerStore, starter: TimerStarter, now: datetime
) -> CloseTimerOutcome:
    saved = case.service.next_deadline != closes_at
    if saved:
        log = CaseEventLog(case.tenant_id, case.case_id, now)
        reason = f"auto-close at {closes_at.isoformat(timespec='seconds')}: timer started by `{COMMAND}`"
        log.add("deadline_set", reason, due={"auto_close": closes_at.isoformat()})
        case.service.next_deadline = closes_at
        try:
            cases.save_deadline(case, log.events)
        except ConcurrentUpdate:
            return CloseTimerOutcome(case.case_id, "changed", closes_at)
    execution = starter.on_case_changed(case.tenant_id, case.case_id)
    if execution is None and saved:
        # The change stream's starter reacted to the save first (it sees the same case): its execution runs it.
        execution = timers.read(case.tenant_id, case.case_id)[1].owner
    return CloseTimerOutcome(case.case_id, "started" if execution else "running", closes_at, execution)
