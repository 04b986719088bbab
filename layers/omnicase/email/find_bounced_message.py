"""For a bounce: which of our messages bounced (their Message-IDs) and which recipients failed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from omnicase.email.decode_header import decode_header_value
from omnicase.email.decode_part import part_text
from omnicase.email.mime_policy import parse_header_text, parts_outside_attached_messages, sub_messages
from omnicase.email.parse_addresses import addresses_only, parse_addresses
from omnicase.email.parse_message_ids import first_message_id, parse_message_ids

_ORIGINAL_TYPES = frozenset({"message/rfc822", "message/global"})
_HEADER_TYPES = frozenset({"text/rfc822-headers", "message/rfc822-headers", "message/global-headers"})
_DSN_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status"})
_QUOTED_MESSAGE_ID = re.compile(
    r"^[ \t>]*message-id:[ \t]*(<[^<>\s]+>|[^<>\s]+@[^<>\s]+)", re.IGNORECASE | re.MULTILINE
)
_RECIPIENT_FIELDS = ("final-recipient", "original-recipient")
_MAX_PARTS = 500


@dataclass(frozen=True)
class BounceDetails:
    """What a bounce says about the mail that bounced."""

    bounced_message_ids: tuple[str, ...] = ()
    failed_recipients: tuple[str, ...] = ()


def find_bounced_message(message: Message, body_text: str, problems: list[str]) -> BounceDetails:
    """Ids from the returned original (attached, headers-only, or quoted in the text) and failed recipients."""
    ids: list[str] = []
    recipients: list[str] = []
    for part in parts_outside_attached_messages(message, _MAX_PARTS):
        content_type = part.get_content_type()
        if content_type in _DSN_TYPES:
            recipients.extend(_dsn_recipients(part, problems))
        elif content_type in _ORIGINAL_TYPES:
            inner = sub_messages(part)
            if inner:
                ids.extend(filter(None, [first_message_id(inner[0].get("message-id"))]))
        elif content_type in _HEADER_TYPES:
            headers = parse_header_text(part_text(part, problems))
            ids.extend(filter(None, [first_message_id(headers.get("message-id"))]))
    if not ids:
        # Non-DSN bounces (Gmail, qmail) quote the original's headers in the text.
        ids.extend(i for raw in _QUOTED_MESSAGE_ID.findall(body_text) for i in parse_message_ids(raw))
    failed = message.get_all("x-failed-recipients") or []
    for value in failed:
        recipients.extend(addresses_only(parse_addresses(value, problems)))
    own_id = first_message_id(message.get("message-id"))
    return BounceDetails(
        bounced_message_ids=tuple(dict.fromkeys(i for i in ids if i != own_id)),
        failed_recipients=tuple(dict.fromkeys(recipients)),
    )


def _dsn_recipients(part: Message, problems: list[str]) -> list[str]:
    """Final-Recipient of every per-recipient block whose Action is failed (or not given)."""
    recipients: list[str] = []
    for block in sub_messages(part):
        action = str(block.get("action", "")).strip().lower()
        if action and not action.startswith("failed"):
            continue
        for field in _RECIPIENT_FIELDS:
            value = decode_header_value(block.get(field), problems)
            address = value.split(";", 1)[-1].strip().strip("<>").strip().lower()
            if "@" in address and " " not in address:
                recipients.append(address)
                break
    return recipients
