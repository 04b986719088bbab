"""Address headers to (display name, lower-cased addr-spec) pairs, tolerating real-world junk."""

from __future__ import annotations

import re
from email.utils import getaddresses

from omnicase.email.decode_header import decode_header_value, to_bytes, unfold
from omnicase.email.decode_text import decode_unlabelled

_ADDR_SPEC = re.compile(r"^[^\s@<>(),;:\"]+@[^\s@<>(),;:\"]+$")
_BRACKETED = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_MAX_ADDRESSES = 500


def parse_addresses(value: str | None, problems: list[str]) -> tuple[tuple[str | None, str], ...]:
    """The mailboxes of an address header; entries without a usable addr-spec are left out."""
    text = unfold(value)
    if not text.strip():
        return ()
    found: list[tuple[str | None, str]] = []
    for raw_name, raw_address in getaddresses([text])[:_MAX_ADDRESSES]:
        address = _clean_address(raw_address)
        if address is None:
            continue
        name = decode_header_value(raw_name, problems) or None
        found.append((name, address))
    if not found:
        # getaddresses gives up on some broken headers that still carry one obvious <addr>.
        found = [(None, a) for a in (_clean_address(m) for m in _BRACKETED.findall(text)) if a]
    return tuple(dict.fromkeys(found))


def addresses_only(mailboxes: tuple[tuple[str | None, str], ...]) -> tuple[str, ...]:
    """Just the addr-specs, deduplicated in order."""
    return tuple(dict.fromkeys(address for _, address in mailboxes))


def _clean_address(raw: str) -> str | None:
    text = raw if raw.isascii() else decode_unlabelled(to_bytes(raw))
    text = text.strip().strip("<>").strip().strip("\"'").strip().lower()
    return text if _ADDR_SPEC.match(text) else None
