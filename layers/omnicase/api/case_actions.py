"""Agent actions on one case: read it, apply a domain change, save it with its events — retried on a lost race."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case, CaseStatus, Message, Priority, Tenant
from omnicase.domain.work_case import CaseUpdate, reply_to_case, update_case
from omnicase.persistence.case_reader import get_case
from omnicase.wiring import case_store, tenant_configs

MAX_ATTEMPTS = 3
Change = Callable[[Case, list[Message]], tuple[list[CaseEvent], tuple[Message, ...]]]


def case_update_from(body: object) -> tuple[CaseUpdate, int | None]:
    """A PATCH body: {"status", "priority", "queue", "assignee" (null to unassign), "reason", "version"}."""
    if not isinstance(body, Mapping) or not body:
        raise ValueError('send a JSON object with any of "status", "priority", "queue", "assignee", "reason"')
    unknown = set(body) - {"status", "priority", "queue", "assignee", "reason", "version"}
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    status, priority = body.get("status"), body.get("priority")
    if status is not None and status not in CaseStatus.__members__.values():
        raise ValueError(f"status must be one of {', '.join(s.value for s in CaseStatus)}")
    if priority is not None and priority not in Priority.__members__.values():
        raise ValueError(f"priority must be one of {', '.join(p.value for p in Priority)}")
    version = body.get("version")
    if version is not None and not isinstance(version, int):
        raise ValueError("version must be the case's version number")
    update = CaseUpdate(
        status=CaseStatus(status) if status else None,
        priority=Priority(priority) if priority else None,
        queue=_text(body, "queue"),
        assignee=_text(body, "assignee"),
        unassign="assignee" in body and body["assignee"] is None,
        reason=_text(body, "reason") or "",
    )
    return update, version


def patch_case(tenant: Tenant, case_id: str, update: CaseUpdate, version: int | None, actor: str) -> Case:
    config = tenant_configs().config_for(tenant.tenant_id)

    def change(case: Case, thread: list[Message]) -> tuple[list[CaseEvent], tuple[Message, ...]]:
        return update_case(case, update, config, actor, datetime.now(UTC)), ()

    return _change_case(tenant, case_id, version, change)[0]


def post_reply(tenant: Tenant, case_id: str, body: object, actor: str) -> tuple[Case, Message]:
    if not isinstance(body, Mapping) or not isinstance(body.get("body"), str):
        raise ValueError('send {"body": "<the reply text>"}')
    config = tenant_configs().config_for(tenant.tenant_id)
    text = str(body["body"])

    def change(case: Case, thread: list[Message]) -> tuple[list[CaseEvent], tuple[Message, ...]]:
        message, events = reply_to_case(case, thread, tenant, config, actor, text, datetime.now(UTC))
        return events, (message,)

    case, messages = _change_case(tenant, case_id, None, change)
    return case, messages[0]


def _change_case(tenant: Tenant, case_id: str, version: int | None, change: Change) -> tuple[Case, tuple[Message, ...]]:
    for _ in range(MAX_ATTEMPTS):
        case, thread = get_case(tenant.tenant_id, case_id)
        if version is not None and case.version != version:
            raise ConcurrentUpdate(f"case {case_id} is at version {case.version}, not {version}: reload and retry")
        events, messages = change(case, thread)
        if not events and not messages:
            return case, ()
        try:
            case_store().save(case, events, messages)
        except ConcurrentUpdate:
            if version is not None:
                raise
            continue
        case.version = (case.version or 0) + 1
        return case, messages
    raise ConcurrentUpdate(f"case {case_id} kept changing; try again")


def _text(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    return value.strip()
