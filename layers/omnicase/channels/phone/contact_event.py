"""Amazon Connect contact events (EventBridge, detail-type "Amazon Connect Contact Event") → ContactEvent; pure.

AWS's own samples spell the same fields in camelCase and PascalCase ("agentInfo" / "AgentInfo") and the channel
as "VOICE" or "Voice" (docs: connect/latest/adminguide/contact-events.html; events/phone/README.md), so keys and
values are read case-insensitively. The event carries the number the customer dialled (tag
"aws:connect:systemEndpoint") but not the caller's: that comes from DescribeContact (Contact.CustomerEndpoint),
unless the event carries a `customerEndpoint` itself (the local feed does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from omnicase.domain.errors import RejectedInput

DETAIL_TYPE = "Amazon Connect Contact Event"
SOURCE = "aws.connect"
MAX_ID = 256  # contactId: 1-256 characters (the contact events data model)


@dataclass(frozen=True)
class ContactEvent:
    event_id: str
    event_type: str  # INITIATED, QUEUED, CONNECTED_TO_AGENT, DISCONNECTED, ... (upper case)
    contact_id: str
    instance_arn: str
    channel: str  # VOICE, CHAT, TASK, EMAIL (upper case)
    initiation_method: str  # INBOUND, OUTBOUND, CALLBACK, TRANSFER, API, ...
    initiated_at: datetime | None
    connected_to_system_at: datetime | None
    disconnected_at: datetime | None
    queue_arn: str | None
    enqueued_at: datetime | None
    agent_arn: str | None
    connected_to_agent_at: datetime | None
    customer_address: str | None  # only when the event carries it; else DescribeContact
    system_address: str | None  # the number the customer dialled (or our caller id, outbound)

    @property
    def instance_id(self) -> str:
        return self.instance_arn.rsplit("/", 1)[-1]


def parse_contact_event(event: object) -> ContactEvent:
    """A contact event; RejectedInput("malformed") naming what is missing or wrong."""
    if not isinstance(event, dict):
        raise RejectedInput("malformed", "a contact event is a JSON object")
    envelope = _lower(event)
    if envelope.get("detail-type") != DETAIL_TYPE or envelope.get("source") != SOURCE:
        raise RejectedInput("malformed", f"not an {DETAIL_TYPE!r} from {SOURCE}")
    detail = envelope.get("detail")
    if not isinstance(detail, dict):
        raise RejectedInput("malformed", "the event has no detail")
    contact_id, instance_arn = _text(detail, "contactid"), _text(detail, "instancearn")
    if not contact_id or len(contact_id) > MAX_ID:
        raise RejectedInput("malformed", "detail.contactId is missing or longer than 256 characters")
    if not instance_arn or ":instance/" not in instance_arn:
        raise RejectedInput("malformed", "detail.instanceArn is missing or not an instance ARN")
    queue, agent = _object(detail, "queueinfo"), _object(detail, "agentinfo")
    tags = _object(detail, "tags")
    system = _object(detail, "systemendpoint").get("address") or tags.get("aws:connect:systemendpoint")
    return ContactEvent(
        event_id=str(envelope.get("id") or ""),
        event_type=(_text(detail, "eventtype") or "").upper(),
        contact_id=contact_id,
        instance_arn=instance_arn,
        channel=(_text(detail, "channel") or "").upper(),
        initiation_method=(_text(detail, "initiationmethod") or "").upper(),
        initiated_at=_time(detail, "initiationtimestamp"),
        connected_to_system_at=_time(detail, "connectedtosystemtimestamp"),
        disconnected_at=_time(detail, "disconnecttimestamp"),
        queue_arn=_text(queue, "queuearn"),
        enqueued_at=_time(queue, "enqueuetimestamp"),
        agent_arn=_text(agent, "agentarn"),
        connected_to_agent_at=_time(agent, "connectedtoagenttimestamp"),
        customer_address=_text(_object(detail, "customerendpoint"), "address"),
        system_address=str(system) if system else None,
    )


def _lower(value: Any) -> Any:
    """Keys lower-cased all the way down (tag keys too: "aws:connect:systemEndpoint")."""
    if isinstance(value, dict):
        return {str(k).lower(): _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _object(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def _text(parent: dict[str, Any], key: str) -> str | None:
    value = parent.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _time(parent: dict[str, Any], key: str) -> datetime | None:
    raw = _text(parent, key)
    if raw is None:
        return None
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise RejectedInput("malformed", f"{key} is not an ISO 8601 time: {raw[:40]!r}") from None
    if at.tzinfo is None or at.year < 2000:  # Connect writes 1970-01-01T00:00:00.001Z for "not yet"
        return None
    return at
