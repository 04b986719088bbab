"""Items from DynamoDB stream images (the raw attribute-value maps the stream carries)."""

from __future__ import annotations

from typing import Any

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case, Message
from omnicase.persistence.dynamo_models import CaseEventItem, CaseItem, MessageItem
from omnicase.persistence.mapping import case_event_from_item, case_from_item, message_from_item


def message_from_stream_image(image: dict[str, Any] | None) -> Message | None:
    """The message in a NewImage, or None when the item is something else."""
    if not image or image.get("item_type", {}).get("S") != "message":
        return None
    return message_from_item(MessageItem.from_raw_data(image))


def case_from_stream_image(image: dict[str, Any] | None) -> Case | None:
    """The case in a NewImage, or None when the item is something else."""
    if not image or image.get("item_type", {}).get("S") != "case":
        return None
    return case_from_item(CaseItem.from_raw_data(image))


def case_event_from_stream_image(image: dict[str, Any] | None) -> CaseEvent | None:
    """The case event in a NewImage, or None when the item is something else."""
    if not image or image.get("item_type", {}).get("S") != "case_event":
        return None
    return case_event_from_item(CaseEventItem.from_raw_data(image))
