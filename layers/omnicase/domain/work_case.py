"""What agents do to a case — change status, priority, queue or assignee, reply — with its SLA effects; pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_token import subject_with_token
from omnicase.domain.model import Case, CaseStatus, Channel, Direction, Message, Priority, Tenant, queued_outbound
from omnicase.domain.outbound_message_id import outbound_message_id
from omnicase.domain.serve_case import serve_agent_reply, serve_assignment, serve_priority_change, serve_status_change
from omnicase.domain.tenant_config import TenantConfig
from omnicase.ids import new_message_id

MAX_REPLY_CHARS = 20_000


@dataclass(frozen=True)
class CaseUpdate:
    status: CaseStatus | None = None
    priority: Priority | None = None
    queue: str | None = None
    assignee: str | None = None
    unassign: bool = False
    reason: str = ""


def update_case(case: Case, update: CaseUpdate, config: TenantConfig, actor: str, now: datetime) -> list[CaseEvent]:
    """Apply an agent's change (the case is changed in place); returns the audit events."""
    if update.status == CaseStatus.NEW and case.status != CaseStatus.NEW:
        raise ValueError("a case cannot go back to new")
    if update.queue is not None and config.queues and update.queue not in config.queues:
        raise ValueError(f"unknown queue {update.queue!r}")
    if update.assignee is not None and config.agents and update.assignee not in config.agents:
        raise ValueError(f"unknown agent {update.assignee!r}")
    log = CaseEventLog(case.tenant_id, case.case_id, now)
    if update.priority is not None:
        serve_priority_change(case, config, update.priority, actor, now, log)
    if update.queue is not None or update.assignee is not None or update.unassign:
        assignee = None if update.unassign else (update.assignee or case.assignee)
        serve_assignment(case, config, assignee, update.queue, actor, now, log)
    if update.status is not None:
        serve_status_change(case, config, update.status, actor, now, log, update.reason)
    if log.events:
        case.updated_at = now
    return log.events


def reply_to_case(
    case: Case, thread: list[Message], tenant: Tenant, config: TenantConfig, agent_id: str, body: str, now: datetime
) -> tuple[Message, list[CaseEvent]]:
    """A public reply through the case's own channel, queued for sending; first / next response clocks stop."""
    body = body.strip()
    if not body:
        raise ValueError("a reply needs a body")
    if len(body) > MAX_REPLY_CHARS:
        raise ValueError(f"a reply holds at most {MAX_REPLY_CHARS} characters")
    if not case.contact_address:
        raise ValueError("the case has no address to answer")
    message = _reply_message(case, thread, tenant, agent_id, body, now)
    log = CaseEventLog(case.tenant_id, case.case_id, now)
    serve_agent_reply(case, config, agent_id, now, log)
    if case.status in (CaseStatus.NEW, CaseStatus.PENDING, CaseStatus.ON_HOLD):
        serve_status_change(case, config, CaseStatus.OPEN, agent_id, now, log, "agent replied")
    case.message_count += 1
    case.updated_at = now
    return message, log.events


def _reply_message(
    case: Case, thread: list[Message], tenant: Tenant, agent_id: str, body: str, now: datetime
) -> Message:
    message_id = new_message_id(now.timestamp())
    message = replace(
        queued_outbound(case, message_id, now, case.contact_address, "human"),
        body_text=body,
        preview=body[:200],
        sender_name=agent_id,
    )
    if case.channel != Channel.EMAIL:
        return replace(message, sender=case.mailbox, conversation_id=case.conversation_id)
    chain = [m.email_message_id for m in thread if m.email_message_id]
    last_inbound = next((m for m in reversed(thread) if m.direction == Direction.INBOUND and m.email_message_id), None)
    return replace(
        message,
        subject=f"Re: {subject_with_token(case.subject, case.case_id)}",
        sender=case.mailbox or tenant.ack_from,
        email_message_id=outbound_message_id(case.case_id, message_id, tenant),
        in_reply_to=last_inbound.email_message_id if last_inbound else None,
        references=tuple(chain[-19:]),
    )
