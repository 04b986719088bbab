"""A web-chat message (JSON from the chat widget's backend) → ChatInbound, validated with pydantic."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from omnicase.channels.chat.errors import ChatRejected
from omnicase.channels.chat.traits import MAX_TEXT

MAX_ATTACHMENTS = 20
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _no_control(value: str) -> str:
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise ValueError("must not contain control characters")
    return value


def _https(value: str) -> str:
    if not re.fullmatch(r"https://[^/?#\s@]+(?:[/?#]\S*)?", value, re.IGNORECASE):
        raise ValueError("must be an https URL")
    return value


def _email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not _EMAIL.match(value.strip()):
        raise ValueError("is not an email address")
    return value.strip().lower()


def _empty_to_none(value: str | None) -> str | None:
    return value or None


def _aware(value: datetime | None) -> datetime | None:
    # A widget clock without an offset is taken as UTC rather than the Lambda's local time.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


Identifier = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_no_control)
]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_no_control)]
# What the visitor typed (their name, a file's name): kept, then cleaned and cut to its limit at intake
# (channels/inbound_text.py), where a cut is a problem on the message rather than a refused message.
CustomerLabel = Annotated[str, StringConstraints(strip_whitespace=True)]


class ChatAttachment(BaseModel):
    """A file the visitor shared, by https URL; omnicase stores the link, not the bytes."""

    model_config = ConfigDict(frozen=True)

    url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2048), AfterValidator(_https)]
    name: Annotated[CustomerLabel | None, AfterValidator(_empty_to_none)] = None
    content_type: Annotated[Label | None, AfterValidator(_empty_to_none)] = None
    size: int | None = Field(default=None, ge=0)


class ChatInbound(BaseModel):
    """One visitor message in one conversation; unknown fields are ignored for forward compatibility."""

    model_config = ConfigDict(frozen=True)

    conversation_id: Identifier
    message_id: Identifier
    user_id: Identifier
    display_name: Annotated[CustomerLabel | None, AfterValidator(_empty_to_none)] = None
    email: Annotated[str | None, StringConstraints(max_length=254), AfterValidator(_email)] = None
    phone: Annotated[Label | None, AfterValidator(_empty_to_none)] = None
    text: Annotated[str, StringConstraints(max_length=MAX_TEXT)] = ""
    attachments: list[ChatAttachment] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    sent_at: Annotated[datetime | None, AfterValidator(_aware)] = None

    @model_validator(mode="after")
    def _has_content(self) -> ChatInbound:
        if not self.text.strip() and not self.attachments:
            raise ValueError("text is empty and there are no attachments")
        return self


def parse_chat_message(body: bytes, *, max_bytes: int = 256 * 1024) -> ChatInbound:
    """Parse and validate a chat message body; every failure is a ChatRejected naming the field."""
    if len(body) > max_bytes:
        raise ChatRejected("too-large", f"chat message over {max_bytes} bytes")
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ChatRejected("malformed", f"chat message is not UTF-8 (byte {error.start})") from error
    except (ValueError, RecursionError) as error:
        raise ChatRejected("malformed", f"chat message is not JSON: {error}") from error
    if not isinstance(document, dict):
        raise ChatRejected("malformed", "chat message is not a JSON object")
    try:
        return ChatInbound.model_validate(document)
    except ValidationError as error:
        raise ChatRejected("malformed", _one_line(error)) from error


def _one_line(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"]) or "message"
    reason = first["msg"].removeprefix("Value error, ")
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{field}: {reason}{more}"
