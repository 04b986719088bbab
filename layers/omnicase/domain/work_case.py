"""What agents do to a case — change status, priority, queue or assignee, reply — with its SLA effects; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_status import ALLOWED_TRANSITIONS, can_transition
from omnicase.domain.case_token import subject_with_token
from omnicase.domain.channel_traits import TextShape, traits_of
from omnicase.domain.errors import RejectedInput, TooLong
from omnicase.domain.model import Case, CaseStatus, Direction, Message, Priority, Tenant, queued_outbound
from omnicase.domain.outbound_message_id import outbound_message_id
from omnicase.domain.serve_case import (
    serve_agent_reply,
    serve_assignment,
    serve_priority_change,
    serve_status_change,
)
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.text_limits import AGENT_LIMITS, check_agent_tags, check_agent_text
from omnicase.ids import new_message_id

MAX_REPLY_CHARS = AGENT_LIMITS["body"]
PROBLEM_KEY = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,63}")


MAX_TAGS = AGENT_LIMITS["tags"]
MAX_NOTE_CHARS = AGENT_LIMITS["body"]


@dataclass(frozen=True)
class CaseUpdate:
    status: CaseStatus | None = None
    priority: Priority | None = None
    queue: str | None = None
    assignee: str | None = None
    unassign: bool = False
    tags: tuple[str, ...] | None = None  # replaces the case's tags
    problem_key: str | None = None  # links the case to a known problem ("" unlinks)
    reason: str = ""


def update_case(case: Case, update: CaseUpdate, config: TenantConfig, actor: str, now: datetime) -> list[CaseEvent]:
    """Apply an agent's change (the case is changed in place); returns the audit events."""
    if update.status is not None and update.status != case.status and not can_transition(case.status, update.status):
        allowed = (
            ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[case.status])) or "none (a reply opens a follow-up)"
        )
        raise RejectedInput(
            "invalid-transition",
            f"{case.status.value} → {update.status.value} is not allowed; from {case.status.value}: {allowed}",
        )
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
    if update.tags is not None:
        _retag(case, update.tags, actor, log)
    if update.problem_key is not None:
        _link_problem(case, update.problem_key, actor, log)
    if update.status is not None:
        serve_status_change(case, config, update.status, actor, now, log, update.reason)
    if log.events:
        case.updated_at = now
    return log.events


def claim_case(case: Case, config: TenantConfig, agent_id: str, now: datetime) -> list[CaseEvent]:
    """The calling agent takes the case; someone else's case is not taken from them (409)."""
    if case.assignee and case.assignee != agent_id:
        raise RejectedInput("already-assigned", f"case {case.case_id} is assigned to {case.assignee}")
    if case.status in (CaseStatus.SOLVED, CaseStatus.CLOSED):
        raise RejectedInput("invalid-transition", f"case {case.case_id} is {case.status.value}")
    log = CaseEventLog(case.tenant_id, case.case_id, now)
    serve_assignment(case, config, agent_id, None, agent_id, now, log)
    if log.events:
        case.updated_at = now
    return log.events


def add_note(case: Case, agent_id: str, body: str, now: datetime) -> tuple[Message, list[CaseEvent]]:
    """An internal note: on the case for agents, never sent to the customer."""
    body = body.strip()
    if not body:
        raise ValueError("a note needs a body")
    check_agent_text("body", body)
    note = Message(
        tenant_id=case.tenant_id,
        case_id=case.case_id,
        message_id=new_message_id(now.timestamp()),
        direction=Direction.NOTE,
        channel=case.channel,
        created_at=now,
        body_text=body,
        preview=body[:200],
        sender_name=agent_id,
        kind="note",
    )
    log = CaseEventLog(case.tenant_id, case.case_id, now)
    log.add("noted", body[:80], actor=agent_id)
    case.message_count += 1
    case.updated_at = now
    return note, log.events


def link_cases(
    case: Case, other: Case, kind: str, config: TenantConfig, actor: str, now: datetime
) -> tuple[list[CaseEvent], list[CaseEvent]]:
    """Relate two cases, or merge `other` into `case` (it is closed, pointing here); events of both."""
    if case.case_id == other.case_id:
        raise ValueError("a case cannot be linked to itself")
    if kind not in ("related", "merge"):
        raise ValueError('kind must be "related" or "merge"')
    here = CaseEventLog(case.tenant_id, case.case_id, now)
    there = CaseEventLog(other.tenant_id, other.case_id, now)
    if kind == "related":
        case.service.links = _with(case.service.links, f"related:{other.case_id}")
        other.service.links = _with(other.service.links, f"related:{case.case_id}")
        here.add("linked", f"related to {other.case_id}", actor=actor, case_id=other.case_id)
        there.add("linked", f"related to {case.case_id}", actor=actor, case_id=case.case_id)
    else:
        if other.service.merged_into:
            raise RejectedInput(
                "invalid-transition", f"case {other.case_id} was merged into {other.service.merged_into}"
            )
        case.service.links = _with(case.service.links, f"merged-from:{other.case_id}")
        case.service.tags = tuple(dict.fromkeys((*case.service.tags, *other.service.tags)))
        other.service.merged_into = case.case_id
        here.add("merged", f"{other.case_id} merged into this case", actor=actor, case_id=other.case_id)
        there.add("merged", f"merged into {case.case_id}", actor=actor, case_id=case.case_id)
        if other.status != CaseStatus.CLOSED:
            serve_status_change(other, config, CaseStatus.CLOSED, actor, now, there, f"merged into {case.case_id}")
    case.updated_at = other.updated_at = now
    return here.events, there.events


def _retag(case: Case, tags: tuple[str, ...], actor: str, log: CaseEventLog) -> None:
    cleaned = tuple(dict.fromkeys(t.strip().lower() for t in tags if t.strip()))
    check_agent_tags(cleaned)
    if cleaned != case.service.tags:
        log.add("tags_changed", ", ".join(cleaned) or "no tags", actor=actor, before=list(case.service.tags))
        case.service.tags = cleaned


def _link_problem(case: Case, problem_key: str, actor: str, log: CaseEventLog) -> None:
    key = problem_key.strip().upper() or None
    if key and not PROBLEM_KEY.fullmatch(key):
        raise ValueError("a problem key is letters, digits, '-', '_' or '.' (e.g. BUG-1234), at most 64")
    if key != case.service.problem_key:
        log.add("problem_linked" if key else "problem_unlinked", key or case.service.problem_key or "", actor=actor)
        case.service.problem_key = key


def _with(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return values if value in values else (*values, value)


def reply_to_case(
    case: Case, thread: list[Message], tenant: Tenant, config: TenantConfig, agent_id: str, body: str, now: datetime
) -> tuple[Message, list[CaseEvent]]:
    """A public reply through the case's own channel, queued for sending; first / next response clocks stop."""
    body = body.strip()
    if not body:
        raise ValueError("a reply needs a body")
    check_agent_text("body", body)
    channel_limit = traits_of(case.channel).max_text_chars  # what one message on the case's channel carries
    if len(body) > channel_limit:
        raise TooLong("body", len(body), channel_limit)
    if not case.contact_address:
        raise ValueError("the case has no address to answer")
    _check_text_route(case, tenant)
    message = threaded_outbound(case, thread, tenant, agent_id, body, now)
    log = CaseEventLog(case.tenant_id, case.case_id, now)
    serve_agent_reply(case, config, agent_id, now, log)
    if case.status in (CaseStatus.NEW, CaseStatus.PENDING, CaseStatus.ON_HOLD):
        serve_status_change(case, config, CaseStatus.OPEN, agent_id, now, log, "agent replied")
    case.message_count += 1
    case.updated_at = now
    return message, log.events


def _check_text_route(case: Case, tenant: Tenant) -> None:
    """A channel that texts through another one (a phone case: by SMS) needs the tenant's number there."""
    via = traits_of(case.channel).text_by
    if via and not any(endpoint.split(":", 1)[0] == via for endpoint in tenant.endpoints):
        raise RejectedInput(
            "text-not-carried",
            f"a text to a {case.channel} case goes out by {via}, and this tenant has no {via} number: "
            "call the customer back and log the call (POST /cases/{case_id}/calls)",
            {"channel": str(case.channel), "needs": via},
        )


def threaded_outbound(
    case: Case, thread: list[Message], tenant: Tenant, sender_name: str, body: str, now: datetime, kind: str = "human"
) -> Message:
    """A queued message to the customer on the case's channel; email continues the thread (In-Reply-To,
    References, the case token in the subject)."""
    message_id = new_message_id(now.timestamp())
    message = replace(
        queued_outbound(case, message_id, now, case.contact_address, kind),
        body_text=body,
        preview=body[:200],
        sender_name=sender_name,
    )
    if traits_of(case.channel).text_shape != TextShape.MAIL:
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
