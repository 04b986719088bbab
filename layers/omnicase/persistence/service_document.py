"""A case's service state (routing, SLA clocks, escalation, timers) as the JSON document stored on the case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from omnicase.domain.model import CaseService
from omnicase.domain.sla_clock import clocks_from_dict, clocks_to_dict

_TIMES = (
    "assigned_at",
    "dedicated_until",
    "first_response_at",
    "last_agent_reply_at",
    "escalated_at",
    "next_deadline",
    "customer_reached_at",
)
_TEXTS = (
    "routed_by",
    "tier",
    "key_account",
    "previous_assignee",
    "merged_into",
    "problem_key",
    "language",
    "customer_time_zone",
    "self_served",
    "callback_kind",
)
_LISTS = ("tags", "breached", "warned", "links", "suggested_articles", "kb_uses")


def service_to_document(service: CaseService) -> dict[str, Any]:
    document: dict[str, Any] = {name: _iso(getattr(service, name)) for name in _TIMES}
    document |= {name: getattr(service, name) for name in _TEXTS}
    document |= {name: list(getattr(service, name)) for name in _LISTS}
    document["escalation_level"] = service.escalation_level
    document["notify_customer"] = service.notify_customer or None
    document["sla"] = clocks_to_dict(service.sla) if service.sla else None
    return {key: value for key, value in document.items() if value not in (None, [])}


def service_from_document(document: dict[str, Any] | None) -> CaseService:
    if not document:
        return CaseService()
    times = {name: _parse(document.get(name)) for name in _TIMES}
    texts = {name: document.get(name) for name in _TEXTS}
    lists = {name: tuple(document.get(name) or ()) for name in _LISTS}
    return CaseService(
        **times,
        **texts,
        **lists,
        sla=clocks_from_dict(document["sla"]) if document.get("sla") else None,
        escalation_level=int(document.get("escalation_level", 0)),
        notify_customer=bool(document.get("notify_customer")),
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
