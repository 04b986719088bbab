"""What a Connect call changes on its case beside the message, planned into the same intake; pure.

Answered: the first response (a person spoke to the customer). Outbound: a "call_logged" event (the callback
report's proof). Missed in a queue: a callback case with the tenant's callback SLA, and the number's later calls
continue on it. All of it is committed with the call's message or not at all, and a redelivered event finds the
message stored and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from omnicase.channels.phone.connect_call import ConnectCall
from omnicase.domain.callback_case import CALLBACK_LINK, CALLBACK_TAG, MISSED_CALL, callback_case, has_callback
from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.ingest_message import Amend
from omnicase.domain.intake_plan import IntakePlan
from omnicase.domain.log_call import LoggedCall, log_call
from omnicase.domain.model import Case
from omnicase.domain.serve_case import serve_agent_reply
from omnicase.domain.tenant_config import TenantConfig


def call_effects(call: ConnectCall) -> Amend:
    """The amendment MessageIntake.receive applies to the call's intake plan."""

    def amend(plan: IntakePlan, config: TenantConfig, now: datetime) -> None:
        case = plan.case
        log = CaseEventLog(case.tenant_id, case.case_id, now)
        if call.direction == "outbound":
            outcome = "reached" if call.reached else "no_answer"
            logged = LoggedCall("outbound", outcome, call.started_at, call.duration_s, call.agent_id)
            log_call(case, config, logged, now, log)
        elif call.reached and case.service.first_response_at is None:
            at = min(now, max(call.connected_at or now, case.created_at or now))
            serve_agent_reply(case, config, call.agent_id or "connect", at, log)
        elif call.wants_callback and case.contact_address and not _called_back(case):
            callback, events = callback_case(case, config, f"missed call {call.contact_id}", now, MISSED_CALL)
            case.service = replace(case.service, links=(*case.service.links, f"{CALLBACK_LINK}{callback.case_id}"))
            plan.new_cases.append(callback)
            plan.events += events
            if plan.sender_identity is not None:  # the number's next call lands on the callback case
                plan.sender_identity.thread_case_id = callback.case_id
        plan.events += log.events

    return amend


def _called_back(case: Case) -> bool:
    """Called back already, or itself the callback case."""
    return has_callback(case) or CALLBACK_TAG in case.service.tags
