"""How a solved case ends, by the tenant's rules — pure, no I/O.

A customer's reply within `reopen_window` of the solve reopens the case. A case solved `auto_close_after` ago with no
reply since closes; closed is final: a reply to it (or to a case solved longer ago than the window) opens a follow-up
case linked to it (`follow_up_of`), with a `follow_up_opened` event on both; the old case names it (`followed_up_by`,
written with it) and later late replies join it while it takes replies (thread_message.py). The close is a timer of
the case's own escalation execution (`case_timers.py`), so closing costs O(cases due) and nothing scans for solved
cases.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.tenant_config import TenantConfig

FOLLOW_UP_OPENED = "follow_up_opened"


def reopens(case: Case, now: datetime, reopen_window: timedelta) -> bool:
    """Whether a customer's reply at `now` goes onto this case; False: a follow-up case continues it."""
    if case.status == CaseStatus.CLOSED:
        return False
    if case.status != CaseStatus.SOLVED or case.solved_at is None:
        return True
    return now - case.solved_at <= reopen_window


def auto_close_at(case: Case, config: TenantConfig) -> datetime | None:
    """When a solved case closes if the customer stays silent; None when it never does."""
    if case.status != CaseStatus.SOLVED or case.solved_at is None or config.auto_close_after is None:
        return None
    return case.solved_at + config.auto_close_after


def close_silent_case(case: Case, config: TenantConfig, log: CaseEventLog) -> None:
    """The customer did not write back after the solve: the case closes (in place). Its clocks stopped at the solve
    and its solve time stays (reports count from it)."""
    after = config.auto_close_after
    assert case.status == CaseStatus.SOLVED and after is not None
    case.status = CaseStatus.CLOSED
    reason = f"solved → closed: no reply from the customer for {span(after)} after the solve"
    log.add("status_changed", reason, before=CaseStatus.SOLVED, after=CaseStatus.CLOSED, auto_close=True)


def follow_up_events(follow_up: Case, previous: Case, at: datetime) -> list[CaseEvent]:
    """`follow_up_opened` on the new case and on the one it continues (which only comes to name it: intake_store)."""
    why = "closed" if previous.status == CaseStatus.CLOSED else "solved longer ago than the reopen window"
    new_log = CaseEventLog(follow_up.tenant_id, follow_up.case_id, at)
    new_log.add(
        FOLLOW_UP_OPENED, f"the customer wrote again; case {previous.case_id} is {why}", follow_up_of=previous.case_id
    )
    old_log = CaseEventLog(previous.tenant_id, previous.case_id, at)
    old_log.add(
        FOLLOW_UP_OPENED, f"the customer wrote again, on case {follow_up.case_id}", follow_up_case_id=follow_up.case_id
    )
    return [*new_log.events, *old_log.events]


def span(duration: timedelta) -> str:
    """A duration the way the configuration writes it: "4d", "36h", "90m", "45s"."""
    seconds = int(duration.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
