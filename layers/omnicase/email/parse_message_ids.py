"""Message-ID, In-Reply-To and References values to bare ids, tolerating junk, comments and folding."""

from __future__ import annotations

import re

from omnicase.email.decode_header import to_bytes, unfold
from omnicase.email.decode_text import decode_unlabelled

_BRACKETED = re.compile(r"<\s*([^<>\s]{1,900})\s*>")
_BARE = re.compile(r"[^\s<>,;\"'()]{1,900}@[^\s<>,;\"'()]{1,900}")
_MAX_IDS = 100


def parse_message_ids(value: str | None) -> tuple[str, ...]:
    """All message ids in a header, without angle brackets, deduplicated, oldest first."""
    text = unfold(value)
    if not text.isascii():
        text = decode_unlabelled(to_bytes(text))
    ids = _BRACKETED.findall(text) or _BARE.findall(text)
    unique = tuple(dict.fromkeys(i.strip() for i in ids if i.strip()))
    if len(unique) > _MAX_IDS:
        # Keep the thread root and the most recent ancestors: those are what threading needs.
        unique = (unique[0], *unique[-(_MAX_IDS - 1) :])
    return unique


def first_message_id(value: str | None) -> str | None:
    """The first message id of a header, or None."""
    ids = parse_message_ids(value)
    return ids[0] if ids else None
