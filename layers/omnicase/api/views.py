"""JSON shapes of cases and messages as the API returns them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from omnicase.domain.attachment_ref import attachment_id
from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, CaseStatus, CustomerProfile, Message


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def case_view(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "status": case.status.value,
        "channel": case.channel.value,
        "subject": case.subject,
        "customer_id": case.customer_id,
        "contact_address": case.contact_address,
        "priority": case.priority.value,
        "queue": case.queue,
        "assignee": case.assignee,
        "created_at": _time(case.created_at),
        "updated_at": _time(case.updated_at),
        "message_count": case.message_count,
        "follow_up_of": case.follow_up_of,
        "tags": list(case.service.tags),
        "service": service_view(case),
        "version": case.version,
    }


def service_view(case: Case) -> dict[str, Any]:
    """Routing outcome, deadlines, breaches and escalation: what ops need to see at a glance."""
    service = case.service
    clocks = service.sla.clocks if service.sla else ()
    now = datetime.now(UTC)
    solved = case.status == CaseStatus.SOLVED
    return {
        "routed_by": service.routed_by,
        "tier": service.tier,
        "key_account": service.key_account,
        "deadlines": [
            {
                "clock": c.name.value,
                "started_at": _time(c.started_at),
                "due_at": _time(c.due_at),
                "stopped_at": _time(c.stopped_at),
                "breached": c.breached(now),
            }
            for c in clocks
        ],
        "paused": bool(service.sla and service.sla.paused_at),
        "breached": list(service.breached),
        "escalation_level": service.escalation_level,
        "escalated_at": _time(service.escalated_at),
        "first_response_at": _time(service.first_response_at),
        # A solved case's one timer is its auto-close: not an SLA deadline, so it has its own field.
        "next_deadline": None if solved else _time(service.next_deadline),
        "closes_at": _time(service.next_deadline) if solved else None,
        "dedicated_until": _time(service.dedicated_until),
        "links": list(service.links),
        "merged_into": service.merged_into,
        "problem_key": service.problem_key,
    }


def event_view(event: CaseEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "at": _time(event.at),
        "kind": event.kind,
        "actor": event.actor,
        "reason": event.reason,
        "detail": event.detail,
    }


def message_view(message: Message) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "direction": message.direction.value,
        "channel": message.channel.value,
        "kind": message.kind,
        "subject": message.subject,
        "body_text": message.body_text,
        "preview": message.preview,
        "sender": message.sender,
        "sender_name": message.sender_name,
        "recipients": list(message.recipients),
        "created_at": _time(message.created_at),
        "attachments": [
            {
                "attachment_id": attachment_id(message.message_id, index),
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "virus_verdict": a.virus_verdict,  # SES's scan of the mail (PASS, GRAY, ...); null: not scanned
                "stored": bool(a.s3_key),  # in our bucket (else only at the provider's url)
                **({"url": a.url} if a.url else {}),
            }
            for index, a in enumerate(message.attachments)
        ],
        "delivery_status": message.delivery_status.value if message.delivery_status else None,
        "delivery_detail": message.delivery_detail,
        "problems": list(message.problems),
    }


def customer_view(customer: CustomerProfile) -> dict[str, Any]:
    return {
        "customer_id": customer.customer_id,
        "display_name": customer.display_name,
        "identities": customer.identities,
        "merged_into": customer.merged_into,
        "tier": customer.tier,
        "tags": list(customer.tags),
        "key_account": customer.key_account,
        "dedicated_agent": customer.dedicated_agent,
    }


def customer_badge(customer: CustomerProfile) -> dict[str, Any]:
    """What an inbox row shows of its customer."""
    view = customer_view(customer)
    return {name: view[name] for name in ("customer_id", "display_name", "tier", "key_account", "dedicated_agent")}
