"""An attachment's id in the API: its message's id and its position among the message's attachments."""

from __future__ import annotations

import re

_ID = re.compile(r"([0-9A-Z]{1,40})-([0-9]{1,3})")


def attachment_id(message_id: str, index: int) -> str:
    """Stable for as long as the message is: messages never change their attachments."""
    return f"{message_id}-{index}"


def parse_attachment_id(text: str) -> tuple[str, int] | None:
    """(message id, position) of an id made by attachment_id; None for anything else."""
    match = _ID.fullmatch(text)
    return (match[1], int(match[2])) if match else None
