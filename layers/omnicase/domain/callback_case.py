"""The callback case: after a low survey score or a solved key complaint, somebody calls the customer — pure.

The callback case is a new case linked to the original: high priority, the tenant's callback queue, the key
account's dedicated agent or the original assignee, first response and resolution due `callback_within` later on a
24x7 clock. The customer gets no acknowledgement (we call them).

While it is open, the customer's answer on any channel lands on it and counts as reached: its opening points every
identity of the customer at it (persistence/callback_threads.py, in the transaction that opens it), and threading
follows that pointer (domain/thread_message.py). Once it is solved, the usual rules apply again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_timers import next_deadline
from omnicase.domain.model import Case, CaseService, CaseStatus, Priority
from omnicase.domain.routing import available_agent
from omnicase.domain.sla_clock import start_clocks
from omnicase.domain.tenant_config import BusinessCalendar, SlaTargets, TenantConfig
from omnicase.ids import new_case_id

CALLBACK_TAG = "callback"
ALWAYS = BusinessCalendar("always", "UTC", always_open=True)
CALLBACK_LINK = "callback:"  # on the original: its callback case
CALLBACK_OF_LINK = "callback-of:"  # on the callback case: the case it calls back about
LOW_SCORE = "low_score"  # callback kinds: after a low survey score (the default of cases without a kind) …
KEY_COMPLAINT = "key_complaint"  # … after a key complaint (the tenant's key_complaint_tag) was solved …
MISSED_CALL = "missed_call"  # … or after the customer hung up waiting in a phone queue


def callback_case(
    original: Case, config: TenantConfig, reason: str, now: datetime, kind: str = LOW_SCORE
) -> tuple[Case, list[CaseEvent]]:
    """A new callback case for `original`, with a "callback_opened" event on each case (the original is unchanged)."""
    policy = config.surveys
    case_id = new_case_id(now.timestamp())
    assignee = _callback_assignee(original, config)
    within = policy.callback_within
    service = CaseService(
        tags=(CALLBACK_TAG,),
        routed_by=CALLBACK_TAG,
        tier=original.service.tier,
        key_account=original.service.key_account,
        assigned_at=now if assignee else None,
        sla=start_clocks(ALWAYS, SlaTargets(first_response=within, resolution=within), now),
        links=(f"{CALLBACK_OF_LINK}{original.case_id}",),
        language=original.service.language,
        customer_time_zone=original.service.customer_time_zone,
        notify_customer=False,
        callback_kind=kind,
    )
    callback = Case(
        tenant_id=original.tenant_id,
        case_id=case_id,
        channel=original.channel,
        subject=f"Callback: {original.subject}",
        status=CaseStatus.OPEN if assignee else CaseStatus.NEW,
        customer_id=original.customer_id,
        contact_address=original.contact_address,
        mailbox=original.mailbox,
        priority=Priority.HIGH,
        queue=policy.callback_queue,
        assignee=assignee,
        created_at=now,
        updated_at=now,
        follow_up_of=original.case_id,
        conversation_id=original.conversation_id,
        service=service,
    )
    callback.service.next_deadline = next_deadline(callback, config)
    new_log = CaseEventLog(original.tenant_id, case_id, now)
    new_log.add("callback_opened", reason, callback_of=original.case_id, queue=callback.queue, assignee=assignee)
    original_log = CaseEventLog(original.tenant_id, original.case_id, now)
    original_log.add("callback_opened", reason, callback_case_id=case_id)
    return callback, [*new_log.events, *original_log.events]


def callback_of(case: Case) -> str | None:
    """The case a callback case calls back about; None for other cases."""
    return next(
        (link.removeprefix(CALLBACK_OF_LINK) for link in case.service.links if link.startswith(CALLBACK_OF_LINK)), None
    )


def is_open_callback(case: Case) -> bool:
    """A callback case not solved or closed yet: the customer's next message belongs on it."""
    return CALLBACK_TAG in case.service.tags and case.status not in (CaseStatus.SOLVED, CaseStatus.CLOSED)


def opens_callback(case: Case) -> bool:
    """A callback case about to be stored for the first time: its opening takes its customer's threads."""
    return CALLBACK_TAG in case.service.tags and case.version is None and case.customer_id is not None


def note_customer_reached(case: Case, at: datetime) -> None:
    """A callback case reached its customer (a reached call, or their written answer): the first time counts for the
    report's callback rate (reports/day_counts.py); other cases are left as they are."""
    if CALLBACK_TAG in case.service.tags and case.service.customer_reached_at is None:
        case.service = replace(case.service, customer_reached_at=at)


def has_callback(case: Case) -> bool:
    """Whether a callback case was opened for this case already."""
    return any(link.startswith(CALLBACK_LINK) for link in case.service.links)


def callbacks_on_solve(case: Case, config: TenantConfig, now: datetime) -> tuple[Case, list[CaseEvent]] | None:
    """A solved case tagged as a key complaint gets its callback case, whatever the survey will say; once.

    The solved case gains the link "callback:<id>" (in place, like the other service changes of a solve): saved with
    the solve, it stops a second callback on a later solve and the low-score callback of its survey.
    """
    if case.status != CaseStatus.SOLVED or config.surveys.key_complaint_tag not in case.service.tags:
        return None
    if has_callback(case):
        return None
    reason = f"key complaint ({config.surveys.key_complaint_tag}) solved"
    opened = callback_case(case, config, reason, now, KEY_COMPLAINT)
    case.service = replace(case.service, links=(*case.service.links, f"{CALLBACK_LINK}{opened[0].case_id}"))
    return opened


def _callback_assignee(original: Case, config: TenantConfig) -> str | None:
    """The key account's dedicated agent when available, else the original assignee unless they are away."""
    account = next((a for a in config.key_accounts if a.account_id == original.service.key_account), None)
    if account and account.dedicated_agent and available_agent(config, account.dedicated_agent):
        return account.dedicated_agent
    previous = original.assignee or original.service.previous_assignee
    agent = config.agents.get(previous or "")
    if previous and (agent is None or agent.available):
        return previous
    return None
