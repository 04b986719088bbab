"""Serving a case as it moves through its life: routing on arrival, SLA clocks on every turn — pure, no I/O.

Each function changes the case in place, records what it did on the event log and leaves
`service.next_deadline` pointing at the next timer, for the escalation flow.
"""

from __future__ import annotations

from datetime import datetime

from omnicase.domain import sla_clock
from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.case_timers import FINISHED, PAUSED, next_deadline
from omnicase.domain.model import Case, CaseStatus, Priority
from omnicase.domain.routing import RoutingContext, route, route_reopened
from omnicase.domain.tenant_config import BusinessCalendar, SlaTargets, TenantConfig


def serve_new_case(
    case: Case, config: TenantConfig, context: RoutingContext, log: CaseEventLog, *, start_sla: bool = True
) -> None:
    """Route a new case and start its SLA clocks (not for machine mail: nobody waits for an answer)."""
    decision = route(config, context)
    case.queue, case.priority, case.assignee = decision.queue, decision.priority, decision.assignee
    service = case.service
    service.tags, service.routed_by = decision.tags, decision.rule
    service.tier, service.key_account, service.dedicated_until = (
        decision.tier,
        decision.key_account,
        decision.dedicated_until,
    )
    service.assigned_at = context.received_at if decision.assignee else None
    log.add(
        "routed",
        "; ".join(decision.reasons) or "no rule matched: tenant defaults",
        rule=decision.rule,
        queue=case.queue,
        priority=case.priority.value,
        assignee=case.assignee,
        tags=list(decision.tags),
    )
    if start_sla and (sla := _sla(config, case.priority)) is not None:
        calendar, targets = sla
        service.sla = sla_clock.start_clocks(calendar, targets, context.received_at)
        _deadlines_set(case, log, f"SLA of {case.priority.value} priority started")
    _refresh(case, config)


def serve_customer_message(
    case: Case, config: TenantConfig, at: datetime, log: CaseEventLog, *, previous_status: CaseStatus
) -> None:
    """The customer wrote again: the next-response clock runs; a solved case comes back to its last agent."""
    service = case.service
    sla = _sla(config, case.priority)
    if previous_status in FINISHED:
        assignee = route_reopened(config, service.previous_assignee)
        case.assignee, service.assigned_at = assignee, (at if assignee else None)
        log.add("reopened", "customer wrote after solve", assignee=assignee)
        if sla and service.sla:
            service.sla = sla_clock.reopen(service.sla, sla[0], sla[1], at)
            service.breached = service.warned = ()
            service.escalation_level, service.escalated_at = 0, None  # a new round of service, a new escalation
            _deadlines_set(case, log, "clocks restarted on reopen")
    elif sla and service.sla:
        before = sla_clock.next_due(service.sla)
        service.sla = sla_clock.customer_replied(service.sla, sla[0], sla[1], at)
        if sla_clock.next_due(service.sla) != before:
            _deadlines_set(case, log, "customer replied: next response due")
    _refresh(case, config)


def serve_agent_reply(case: Case, config: TenantConfig, agent_id: str, at: datetime, log: CaseEventLog) -> None:
    """A public reply by an agent: first / next response met."""
    service = case.service
    if service.first_response_at is None:
        service.first_response_at = at
    service.last_agent_reply_at = at
    if service.sla:
        service.sla = sla_clock.agent_replied(service.sla, at)
    log.add("responded", "public reply", actor=agent_id)
    _refresh(case, config)


def serve_status_change(
    case: Case, config: TenantConfig, status: CaseStatus, actor: str, at: datetime, log: CaseEventLog, reason: str = ""
) -> None:
    """pending / on_hold pause the clocks, back to open resumes them, solved / closed stops them."""
    before = case.status
    if status == before:
        return
    case.status = status
    service = case.service
    log.add("status_changed", reason or f"{before.value} → {status.value}", actor=actor, before=before, after=status)
    calendar = _calendar(config)
    if service.sla and status in FINISHED:
        service.sla = sla_clock.stop_all(service.sla, at)
    elif service.sla and status in PAUSED and before not in PAUSED:
        service.sla = sla_clock.pause(service.sla, at)
        log.add("paused", f"clocks paused while {status.value}", actor=actor)
    elif service.sla and calendar and before in PAUSED and status not in PAUSED:
        service.sla = sla_clock.resume(service.sla, calendar, at)
        _deadlines_set(case, log, "clocks resumed", actor=actor)
    if status in FINISHED and before not in FINISHED:  # solved → closed keeps the solve time (reports count it)
        case.solved_at = at
        service.previous_assignee = case.assignee or service.previous_assignee
    _refresh(case, config)


def serve_priority_change(
    case: Case, config: TenantConfig, priority: Priority, actor: str, at: datetime, log: CaseEventLog
) -> None:
    """A new priority takes the new priority's targets: deadlines move."""
    if priority == case.priority:
        return
    log.add("priority_changed", f"{case.priority.value} → {priority.value}", actor=actor)
    case.priority = priority
    sla = _sla(config, priority)
    if sla and case.service.sla:
        case.service.sla = sla_clock.retarget(case.service.sla, sla[0], sla[1], at)
        _deadlines_set(case, log, f"targets of {priority.value} priority", actor=actor)
    _refresh(case, config)


def serve_assignment(
    case: Case,
    config: TenantConfig,
    assignee: str | None,
    queue: str | None,
    actor: str,
    at: datetime,
    log: CaseEventLog,
) -> None:
    """A person (or nobody) takes the case, possibly in another queue."""
    if queue and queue != case.queue:
        log.add("queue_changed", f"{case.queue} → {queue}", actor=actor)
        case.queue = queue
    if assignee != case.assignee:
        log.add("assigned", f"{case.assignee or 'nobody'} → {assignee or 'nobody'}", actor=actor, assignee=assignee)
        case.service.previous_assignee = case.assignee or case.service.previous_assignee
        case.assignee, case.service.assigned_at = assignee, (at if assignee else None)
        case.service.dedicated_until = None  # a person chose: the key-account window no longer applies
    _refresh(case, config)


def _sla(config: TenantConfig, priority: Priority) -> tuple[BusinessCalendar, SlaTargets] | None:
    calendar = _calendar(config)
    if calendar is None or config.sla is None:
        return None
    return calendar, config.sla.targets.get(priority, SlaTargets())


def _calendar(config: TenantConfig) -> BusinessCalendar | None:
    return config.calendars.get(config.sla.calendar) if config.sla else None


def _deadlines_set(case: Case, log: CaseEventLog, reason: str, actor: str = "system") -> None:
    clocks = case.service.sla.clocks if case.service.sla else ()
    due = {c.name.value: c.due_at.isoformat() for c in clocks if c.running and c.due_at}
    log.add("deadline_set", reason, actor=actor, due=due)


def _refresh(case: Case, config: TenantConfig) -> None:
    case.service.next_deadline = next_deadline(case, config)
