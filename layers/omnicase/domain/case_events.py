"""The append-only audit trail of a case: who changed what, when and why."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

SYSTEM = "system"  # the actor of routing, SLA and escalation decisions


class CaseEventKind(StrEnum):
    """Every kind of audit event, declared once: the console labels each ("event.<kind>" in en.ts and zh.ts, checked
    by tests/unit/test_case_event_kinds.py) and CaseEventLog.add refuses any other."""

    ROUTED = "routed"
    DEADLINE_SET = "deadline_set"
    PAUSED = "paused"
    RESUMED = "resumed"  # no longer written (a resume is a deadline_set); kept for the events stored before
    SLA_WARNING = "sla_warning"
    SLA_BREACHED = "sla_breached"
    ESCALATED = "escalated"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    HANDED_BACK = "handed_back"
    STATUS_CHANGED = "status_changed"
    PRIORITY_CHANGED = "priority_changed"
    QUEUE_CHANGED = "queue_changed"
    TAGS_CHANGED = "tags_changed"
    RESPONDED = "responded"
    REPLY_BLOCKED = "reply_blocked"
    CANNED_REPLY_USED = "canned_reply_used"
    ARTICLE_LINKED = "article_linked"
    SELF_SERVED = "self_served"
    NOTED = "noted"
    LINKED = "linked"
    MERGED = "merged"
    REOPENED = "reopened"
    FOLLOW_UP_OPENED = "follow_up_opened"
    CASE_OPENED = "case_opened"
    CALL_LOGGED = "call_logged"
    CALLBACK_OPENED = "callback_opened"
    SURVEY_ANSWERED = "survey_answered"
    PROBLEM_LINKED = "problem_linked"
    PROBLEM_UNLINKED = "problem_unlinked"
    PROBLEM_FIXED = "problem_fixed"
    DELIVERY_BOUNCED = "delivery_bounced"
    DELIVERY_COMPLAINED = "delivery_complained"
    TIMER_CHECK_FAILED = "timer_check_failed"
    CUSTOMER_ERASED = "customer_erased"


EVENT_KINDS = frozenset(CaseEventKind)


@dataclass(frozen=True)
class CaseEvent:
    tenant_id: str
    case_id: str
    event_id: str
    at: datetime
    kind: str  # a CaseEventKind (stored events keep whatever kind they were written with)
    actor: str
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


class CaseEventLog:
    """Events collected while one change of a case is planned, committed with it."""

    def __init__(self, tenant_id: str, case_id: str, at: datetime) -> None:
        self.tenant_id = tenant_id
        self.case_id = case_id
        self.at = at
        self.events: list[CaseEvent] = []

    def add(self, kind: str, reason: str = "", *, actor: str = SYSTEM, **detail: Any) -> None:
        if kind not in EVENT_KINDS:  # a kind nobody declared has no label in the console: caught in tests
            raise ValueError(f"unknown case event kind {kind!r}: declare it in CaseEventKind")
        # Stored under time + id: the sequence keeps this change's events in order, the random part apart
        # from another change at the same instant.
        event_id = f"{len(self.events):03d}{secrets.token_hex(4)}"
        self.events.append(CaseEvent(self.tenant_id, self.case_id, event_id, self.at, kind, actor, reason, detail))
