"""An AWS End User Messaging (Pinpoint) two-way SMS, the JSON `Message` of its SNS notification → PinpointInbound."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from omnicase.channels.sms.errors import SmsRejected
from omnicase.channels.unicode_text import encodes

MAX_MESSAGE_BYTES = 64 * 1024


@dataclass(frozen=True)
class PinpointInbound:
    """One inbound SMS; `previous_published_message_id` is absent in the legacy Pinpoint shape."""

    origination_number: str
    destination_number: str
    body: str
    keyword: str | None
    inbound_message_id: str
    previous_published_message_id: str | None


def parse_pinpoint_sms(message: str | bytes) -> PinpointInbound:
    """Parse the two-way SMS JSON; numbers and the inbound message id are required."""
    raw = message.encode("utf-8", "surrogatepass") if isinstance(message, str) else message
    if len(raw) > MAX_MESSAGE_BYTES:
        raise SmsRejected("too-large", f"two-way SMS message over {MAX_MESSAGE_BYTES} bytes")
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise SmsRejected("malformed", f"two-way SMS message is not JSON: {error}") from error
    if not isinstance(document, dict):
        raise SmsRejected("malformed", "two-way SMS message is not a JSON object")
    return PinpointInbound(
        origination_number=_text(document, "originationNumber", required=True) or "",
        destination_number=_text(document, "destinationNumber", required=True) or "",
        body=_text(document, "messageBody") or "",
        keyword=_text(document, "messageKeyword") or None,
        inbound_message_id=_text(document, "inboundMessageId", required=True) or "",
        previous_published_message_id=_text(document, "previousPublishedMessageId") or None,
    )


def _text(document: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = document.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise SmsRejected("malformed", f"two-way SMS field {name} is {'missing' if value is None else 'not a string'}")
    if required and not value.strip():
        raise SmsRejected("malformed", f"two-way SMS field {name} is empty")
    if not value.isascii() and not encodes(value):
        # JSON may escape one (\ud800); it cannot be stored or logged as UTF-8 later.
        raise SmsRejected("malformed", f"two-way SMS field {name} is not valid Unicode")
    return value.strip() if required else value
