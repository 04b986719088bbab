"""What a case's timers say at a given instant: SLA warnings and breaches, escalation levels, assignment
timeouts, the end of a key account's dedicated window and a solved case's auto-close — pure, no I/O.

The escalation flow wakes at `next_deadline`, applies whatever is due with `apply_due_timers` and sleeps
until the new `next_deadline`; running it twice at the same instant changes nothing the second time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.case_lifecycle import auto_close_at, close_silent_case
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.sla_clock import SlaClock, retarget
from omnicase.domain.tenant_config import TenantConfig, raise_priority

PAUSED = (CaseStatus.PENDING, CaseStatus.ON_HOLD)
FINISHED = (CaseStatus.SOLVED, CaseStatus.CLOSED)
MAX_ROUNDS = 10  # one escalation step can make the next one due at once; never loop for ever


@dataclass(frozen=True)
class Notice:
    """Somebody must hear about a case: the assignee, a supervisor, the managers."""

    kind: str  # sla_warning / escalation / assignment_timeout / dedicated_window_ended
    case_id: str
    recipients: tuple[str, ...]  # agent ids
    text: str
    level: int = 0


@dataclass(frozen=True)
class Timer:
    at: datetime
    kind: str  # warning / breach / escalate / assignment_timeout / dedicated_window / auto_close
    clock: str = ""


def pending_timers(case: Case, config: TenantConfig) -> list[Timer]:
    """Every timer still to fire, soonest first; a solved case's only timer is its auto-close."""
    if case.status in FINISHED:
        closes_at = auto_close_at(case, config)
        return [Timer(closes_at, "auto_close")] if closes_at else []
    service = case.service
    timers: list[Timer] = []
    sla_running = service.sla is not None and service.sla.paused_at is None
    for clock in _running_clocks(case) if sla_running else ():
        assert clock.due_at is not None
        if clock.name in service.breached:
            continue
        warn_at = clock.due_at - config.sla.warning_before if config.sla else clock.due_at
        if clock.name not in service.warned and warn_at > clock.started_at:
            timers.append(Timer(warn_at, "warning", clock.name))
        timers.append(Timer(clock.due_at, "breach", clock.name))
    escalating = 0 < service.escalation_level < config.escalation.max_level
    if sla_running and escalating and service.escalated_at and _still_breached(case):
        timers.append(Timer(service.escalated_at + config.escalation.level_interval, "escalate"))
    if case.status not in PAUSED and (silent_since := _assignee_silent_since(case)) and config.assignment_timeout:
        timers.append(Timer(silent_since + config.assignment_timeout, "assignment_timeout"))
    if service.dedicated_until and case.assignee and service.last_agent_reply_at is None:
        timers.append(Timer(service.dedicated_until, "dedicated_window"))
    return sorted(timers, key=lambda t: t.at)


def next_deadline(case: Case, config: TenantConfig) -> datetime | None:
    timers = pending_timers(case, config)
    return timers[0].at if timers else None


def seconds_until(wake: datetime, now: datetime) -> int:
    """How long the flow sleeps: at least one second, rounded up so it never wakes before its deadline."""
    return max(1, math.ceil((wake - now).total_seconds()))


def apply_due_timers(case: Case, config: TenantConfig, now: datetime, log: CaseEventLog) -> list[Notice]:
    """Fire every timer due at `now` on the case (changed in place); returns who must be told."""
    notices: list[Notice] = []
    for _ in range(MAX_ROUNDS):
        due = [t for t in pending_timers(case, config) if t.at <= now]
        if not due:
            break
        notices += _fire(case, config, due[0], now, log)
    case.service.next_deadline = next_deadline(case, config)
    if log.events:
        case.updated_at = now  # a warning, breach or escalation is a change people following the case must see
    return notices


def _fire(case: Case, config: TenantConfig, timer: Timer, now: datetime, log: CaseEventLog) -> list[Notice]:
    service = case.service
    if timer.kind == "warning":
        service.warned = (*service.warned, timer.clock)
        log.add("sla_warning", f"{timer.clock} due at {_hhmm(timer.at, config)}", clock=timer.clock)
        people = _responsible(case, config)
        return [Notice("sla_warning", case.case_id, people, f"{timer.clock} deadline approaching")] if people else []
    if timer.kind == "breach":
        service.breached = (*service.breached, timer.clock)
        log.add("sla_breached", f"{timer.clock} target missed", clock=timer.clock, queue=case.queue)
        return _escalate(case, config, now, log) if service.escalation_level == 0 else []
    if timer.kind == "escalate":
        return _escalate(case, config, now, log)
    if timer.kind == "auto_close":
        close_silent_case(case, config, log)
        return []
    if timer.kind == "assignment_timeout":
        why = f"{case.assignee} silent past the assignment timeout"
        return _take_back(case, config, log, "assignment_timeout", why)
    # dedicated_window: the key account's agent did not take it up in time; the account's queue does
    service.dedicated_until = None
    return _take_back(case, config, log, "dedicated_window_ended", f"{case.assignee}'s dedicated window over")


def _take_back(case: Case, config: TenantConfig, log: CaseEventLog, kind: str, why: str) -> list[Notice]:
    """The assignee loses the case to its queue; they and whoever supervises the queue are told, and the audit
    trail says who was (nobody is left wondering where the case went)."""
    service, agent = case.service, case.assignee or ""
    people = tuple(dict.fromkeys(p for p in (agent, *_queue_supervisor(case, config, agent)) if p))
    service.previous_assignee, case.assignee, service.assigned_at = agent or None, None, None
    told = f"; notified {', '.join(people)}" if people else ""
    log.add("unassigned", f"{why}; back to queue {case.queue}{told}", timer=kind, agent_id=agent, notified=list(people))
    return [Notice(kind, case.case_id, people, f"{why}; case back to queue {case.queue}")] if people else []


def _escalate(case: Case, config: TenantConfig, now: datetime, log: CaseEventLog) -> list[Notice]:
    service = case.service
    service.escalation_level += 1
    service.escalated_at = now
    level = service.escalation_level
    if level == 1:
        people = _responsible(case, config)
        log.add("escalated", "level 1: assignee notified", level=1, notified=list(people))
        return [Notice("escalation", case.case_id, people, "SLA breached", level)] if people else []
    if level == 2:
        supervisor = _supervisor(case, config)
        old_queue, old_priority = case.queue, case.priority
        case.priority = raise_priority(case.priority)
        case.queue = config.escalation.queue
        if service.sla and config.sla and config.sla.calendar in config.calendars:
            targets = config.sla.targets.get(case.priority)
            if targets is not None:
                calendar = config.calendars[config.sla.calendar]
                service.sla = retarget(service.sla, calendar, targets, now)
        log.add(
            "escalated",
            f"level 2: priority {old_priority} → {case.priority}, queue {old_queue} → {case.queue}",
            level=2,
            notified=list(supervisor),
        )
        return [Notice("escalation", case.case_id, supervisor, "SLA breached, escalated", level)] if supervisor else []
    managers = tuple(config.managers)
    log.add("escalated", f"level {level}: managers notified", level=level, notified=list(managers))
    return [Notice("escalation", case.case_id, managers, "SLA breached, escalated to management", level)]


def _running_clocks(case: Case) -> list[SlaClock]:
    sla = case.service.sla
    return [c for c in sla.clocks if c.running and c.due_at is not None] if sla else []


def _still_breached(case: Case) -> bool:
    """A breached clock still runs: the customer still waits, so escalation goes on."""
    return any(c.name in case.service.breached for c in _running_clocks(case))


def _assignee_silent_since(case: Case) -> datetime | None:
    """Since when the assignee owes the customer an answer; None when they do not."""
    service = case.service
    if not case.assignee or not service.assigned_at:
        return None
    waiting_since = max(service.assigned_at, case.last_inbound_at or service.assigned_at)
    if service.last_agent_reply_at and service.last_agent_reply_at >= waiting_since:
        return None
    return waiting_since


def _responsible(case: Case, config: TenantConfig) -> tuple[str, ...]:
    """The assignee, else whoever supervises the queue."""
    return (case.assignee,) if case.assignee else _supervisor(case, config)


def _queue_supervisor(case: Case, config: TenantConfig, agent_id: str) -> tuple[str, ...]:
    """Whoever supervises the case's queue, else the agent's own supervisor."""
    queue, agent = config.queues.get(case.queue), config.agents.get(agent_id)
    supervisor = (queue.supervisor if queue else None) or (agent.supervisor if agent else None)
    return (supervisor,) if supervisor else ()


def _supervisor(case: Case, config: TenantConfig) -> tuple[str, ...]:
    agent = config.agents.get(case.assignee or "")
    queue = config.queues.get(case.queue)
    supervisor = (agent.supervisor if agent else None) or (queue.supervisor if queue else None)
    return (supervisor,) if supervisor else ()


def _hhmm(at: datetime, config: TenantConfig) -> str:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(config.time_zone)).strftime("%Y-%m-%d %H:%M %Z")


__all__ = ["Notice", "Timer", "apply_due_timers", "next_deadline", "pending_timers"]
