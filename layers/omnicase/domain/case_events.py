"""The append-only audit trail of a case: who changed what, when and why."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SYSTEM = "system"  # the actor of routing, SLA and escalation decisions


@dataclass(frozen=True)
class CaseEvent:
    tenant_id: str
    case_id: str
    event_id: str
    at: datetime
    kind: str  # routed / deadline_set / paused / resumed / sla_warning / sla_breached / escalated / assigned / ...
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
        # Stored under time + id: the sequence keeps this change's events in order, the random part apart
        # from another change at the same instant.
        event_id = f"{len(self.events):03d}{secrets.token_hex(4)}"
        self.events.append(CaseEvent(self.tenant_id, self.case_id, event_id, self.at, kind, actor, reason, detail))
