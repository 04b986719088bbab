"""GET /cases/{case_id}/events: a case's audit trail, oldest first."""

from __future__ import annotations

from typing import Any

from omnicase.api.views import event_view
from omnicase.persistence.case_reader import get_case
from omnicase.wiring import case_store


def audit_trail(tenant_id: str, case_id: str) -> dict[str, Any]:
    """{"events"}: NotFound for unknown ids and other tenants' cases (their events are never read)."""
    get_case(tenant_id, case_id)
    return {"events": [event_view(e) for e in case_store().events(tenant_id, case_id)]}
