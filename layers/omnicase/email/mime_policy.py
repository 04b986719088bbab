"""The stdlib parser configured for broken real-world mail: compat32 that hands back raw header text."""

from __future__ import annotations

from email.message import Message
from email.parser import BytesParser, Parser
from email.policy import Compat32


class RawHeaderPolicy(Compat32):
    """compat32, but header reads return the raw (surrogate-escaped) text instead of lossy Header objects.

    compat32 turns 8-bit header bytes into U+FFFD on read; we need the bytes to try GBK, UTF-8, ...
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        """The stored value as is."""
        return value


RAW_HEADERS = RawHeaderPolicy()


def parse_message_bytes(raw: bytes) -> Message:
    """A Message tree that never raises on broken headers or MIME structure (defects are recorded on parts)."""
    return BytesParser(policy=RAW_HEADERS).parsebytes(raw)


def parse_header_text(text: str) -> Message:
    """Only the header block of some text, e.g. a text/rfc822-headers part."""
    return Parser(policy=RAW_HEADERS).parsestr(text, headersonly=True)


def first_headers(message: Message) -> dict[str, str]:
    """Lower-case header name → first raw value, for the headers of one part."""
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        found.setdefault(str(name).strip().lower(), str(value))
    return found


def parts_outside_attached_messages(message: Message, limit: int) -> list[Message]:
    """The message and its MIME parts in order, not descending into attached message/* parts."""
    found: list[Message] = []
    stack = [message]
    while stack and len(found) < limit:
        part = stack.pop()
        found.append(part)
        if part.get_content_maintype() == "multipart":
            stack.extend(reversed(sub_messages(part)))
    return found


def sub_messages(part: Message) -> list[Message]:
    """The child parts of a multipart, or the message inside a message/* part; [] for a leaf.

    get_payload() on a leaf decodes 8-bit text with the declared charset and can raise on junk labels, so it is
    only called once is_multipart() says the payload is a list.
    """
    if not part.is_multipart():
        return []
    return [p for p in part.get_payload() if isinstance(p, Message)]
