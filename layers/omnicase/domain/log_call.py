"""A phone call on a case — logged by an agent or reported by Amazon Connect — and what it meets; pure.

The call is a "call_logged" event {direction, outcome, started_at, duration_s, agent_id}: the SLA report counts a
callback case done when a call reached the customer. A reached outbound call is the case's first response, as an
agent's reply is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from omnicase.domain.callback_case import note_customer_reached
from omnicase.domain.case_events import SYSTEM, CaseEventLog
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.serve_case import serve_agent_reply, serve_status_change
from omnicase.domain.tenant_config import TenantConfig

CALL_LOGGED = "call_logged"
DIRECTIONS = ("inbound", "outbound")
OUTCOMES = ("reached", "no_answer", "voicemail")
MAX_DURATION_S = 24 * 3600


@dataclass(frozen=True)
class LoggedCall:
    direction: str  # inbound | outbound
    outcome: str  # reached | no_answer | voicemail
    started_at: datetime
    duration_s: int
    agent_id: str | None

    @property
    def reached_customer(self) -> bool:
        return self.direction == "outbound" and self.outcome == "reached"


def log_call(case: Case, config: TenantConfig, call: LoggedCall, now: datetime, log: CaseEventLog) -> None:
    """Record the call on the case (changed in place); a reached outbound call meets the first response."""
    actor = call.agent_id or SYSTEM
    minutes, seconds = divmod(call.duration_s, 60)
    summary = f"{call.direction} call, {call.outcome.replace('_', ' ')}, {minutes} min {seconds} s"
    log.add(
        CALL_LOGGED,
        summary,
        actor=actor,
        direction=call.direction,
        outcome=call.outcome,
        started_at=call.started_at.isoformat(),
        duration_s=call.duration_s,
        agent_id=call.agent_id,
    )
    if call.reached_customer:
        # Never before the case existed, never in the future: a call logged late still answered the case.
        at = min(now, max(call.started_at, case.created_at or call.started_at))
        serve_agent_reply(case, config, actor, at, log)
        if case.status == CaseStatus.NEW:
            serve_status_change(case, config, CaseStatus.OPEN, actor, now, log, "customer reached by phone")
    if call.outcome == "reached":  # either way the customer was spoken to: a callback case is done
        note_customer_reached(case, min(now, max(call.started_at, case.created_at or call.started_at)))
    case.updated_at = now
