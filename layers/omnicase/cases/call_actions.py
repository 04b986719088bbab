"""POST /cases/{case_id}/calls: a call an agent logs on a case (domain/log_call.py), with an optional note."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from omnicase.cases.case_actions import _change_case
from omnicase.channels.unicode_text import clean_text
from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.log_call import DIRECTIONS, MAX_DURATION_S, OUTCOMES, LoggedCall, log_call
from omnicase.domain.model import Case, Message, Tenant
from omnicase.domain.text_limits import check_agent_text
from omnicase.domain.work_case import add_note
from omnicase.wiring import tenant_configs

FIELDS = frozenset({"direction", "outcome", "started_at", "duration_s", "note"})
CLOCK_SKEW = timedelta(minutes=5)  # an agent's clock a little ahead is not a call in the future


def call_from(body: object, agent_id: str | None, now: datetime) -> tuple[LoggedCall, str]:
    """The call and its note from {direction, outcome, started_at, duration_s, note?}; ValueError (400) naming why."""
    if not isinstance(body, Mapping):
        raise ValueError('send {"direction", "outcome", "started_at", "duration_s", "note"?}')
    unknown = set(body) - FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    direction, outcome = body.get("direction"), body.get("outcome")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
    started = _time(body.get("started_at"))
    if started > now + CLOCK_SKEW:
        raise ValueError("started_at is in the future")
    duration = body.get("duration_s")
    if isinstance(duration, bool) or not isinstance(duration, int) or not 0 <= duration <= MAX_DURATION_S:
        raise ValueError(f"duration_s must be whole seconds from 0 to {MAX_DURATION_S}")
    note = body.get("note", "")
    if not isinstance(note, str):
        raise ValueError("note must be a string")
    note = check_agent_text("body", clean_text(note).strip())
    return LoggedCall(str(direction), str(outcome), started, duration, agent_id), note


def post_call(tenant: Tenant, case_id: str, body: object, actor: str) -> tuple[Case, list[CaseEvent], Message | None]:
    """Log the call on the case (and its note, for agents only): saved with the case's version, retried on a race."""
    agent = None if actor == "api" else actor
    call, note = call_from(body, agent, datetime.now(UTC))
    config = tenant_configs().config_for(tenant.tenant_id)
    logged: list[CaseEvent] = []

    def change(case: Case, thread: list[Message]) -> tuple[list[CaseEvent], tuple[Message, ...]]:
        now = datetime.now(UTC)
        log = CaseEventLog(case.tenant_id, case.case_id, now)
        log_call(case, config, call, now, log)
        logged[:] = log.events
        if not note:
            return log.events, ()
        message, noted = add_note(case, actor, note, now)
        return [*log.events, *noted], (message,)

    case, messages = _change_case(tenant, case_id, None, change)
    return case, logged, messages[0] if messages else None


def _time(raw: object) -> datetime:
    if not isinstance(raw, str):
        raise ValueError("started_at must be an ISO 8601 time with its offset (2025-03-03T09:30:00+08:00)")
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"started_at is not an ISO 8601 time: {raw[:40]!r}") from None
    if at.tzinfo is None:
        raise ValueError("started_at needs its offset (Z or +08:00)")
    return at.astimezone(UTC)
