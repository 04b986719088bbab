"""Backfilling auto-close timers: only solved cases without a running timer get one, a case edited meanwhile is left
for the next run, and nothing happens while the tenant's auto-close is off."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case, CaseStatus, Channel
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.timer_ownership import CaseTimer
from omnicase.escalation.start_close_timers import start_close_timers
from omnicase.escalation.timer_starter import TimerStarter
from tests.unit.escalation.test_timer_check import MemoryTimers

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CONFIG = replace(TenantConfig("acme"), auto_close_after=timedelta(days=4))


class Solved:
    """The listing and the deadline write over MemoryTimers' cases."""

    def __init__(self, timers: MemoryTimers, conflict: bool = False) -> None:
        self.timers, self.conflict, self.saved_events = timers, conflict, []

    def solved_cases(self, tenant_id: str) -> list[Case]:
        return [c for c in self.timers.cases.values() if c.status == CaseStatus.SOLVED]

    def save_deadline(self, case: Case, events: list[CaseEvent]) -> None:
        if self.conflict:
            raise ConcurrentUpdate("edited meanwhile")
        self.timers.put(case)
        self.saved_events += events


class Executions:
    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, name: str, payload: dict[str, object]) -> None:
        self.started.append(name)


def solved(case_id: str, status: CaseStatus = CaseStatus.SOLVED) -> Case:
    return Case("acme", case_id, Channel.EMAIL, "x", status=status, solved_at=NOW - timedelta(days=30), version=1)


def setup(*cases: Case) -> tuple[MemoryTimers, Executions, TimerStarter]:
    timers, executions = MemoryTimers(), Executions()
    for case in cases:
        timers.put(case)
    return timers, executions, TimerStarter(executions, timers, now=lambda: NOW)


def test_each_solved_case_without_a_timer_gets_one_and_a_second_run_starts_nothing():
    timers, executions, starter = setup(solved("OLD1"), solved("OPEN1", CaseStatus.OPEN))
    cases = Solved(timers)

    first = start_close_timers("acme", CONFIG, cases, timers, starter, NOW)
    second = start_close_timers("acme", CONFIG, cases, timers, starter, NOW)

    assert [(o.case_id, o.result) for o in first] == [("OLD1", "started")]
    assert first[0].closes_at == NOW - timedelta(days=26) and len(executions.started) == 1
    assert [(o.case_id, o.result) for o in second] == [("OLD1", "running")] and len(executions.started) == 1
    assert [e.kind for e in cases.saved_events] == ["deadline_set"]


def test_a_case_with_a_running_timer_is_left_alone_and_a_dry_run_writes_nothing():
    timers, executions, _ = setup(solved("OLD1"), solved("OLD2"))
    timers.put_timer(CaseTimer("exec", 1, NOW - timedelta(days=26)), case_id="OLD2")

    outcomes = start_close_timers("acme", CONFIG, Solved(timers), timers, None, NOW)

    assert sorted((o.case_id, o.result) for o in outcomes) == [("OLD1", "would-start"), ("OLD2", "running")]
    assert executions.started == [] and timers.claims == []


def test_a_case_edited_meanwhile_is_left_for_the_next_run():
    timers, executions, starter = setup(solved("OLD1"))

    (outcome,) = start_close_timers("acme", CONFIG, Solved(timers, conflict=True), timers, starter, NOW)

    assert outcome.result == "changed" and executions.started == []


def test_nothing_happens_while_auto_close_is_off():
    timers, executions, starter = setup(solved("OLD1"))
    off = replace(CONFIG, auto_close_after=None)

    assert start_close_timers("acme", off, Solved(timers), timers, starter, NOW) == []
    assert executions.started == []
