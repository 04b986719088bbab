"""Is this an RFC 5322 message at all? A header block with at least one field every mail carries."""

from __future__ import annotations

import re

_FIELD = re.compile(rb"^[!-9;-~]{1,200}[ \t]*:")
_KNOWN_FIELD = re.compile(rb"^(from|to|subject|date|message-id|content-type|received)[ \t]*:", re.IGNORECASE)
_SNIFF_BYTES = 256 * 1024
_BOM = b"\xef\xbb\xbf"


def strip_preamble(raw: bytes) -> bytes:
    """Without a UTF-8 byte-order mark and blank lines some stores put before the headers."""
    text = raw[len(_BOM) :] if raw.startswith(_BOM) else raw
    return text.lstrip(b"\r\n")


def looks_like_email(raw: bytes) -> bool:
    """True when the bytes open with a header block naming From/To/Subject/Date/Message-ID/Content-Type/Received."""
    lines = raw[:_SNIFF_BYTES].splitlines()
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]  # mbox separator line
    if not lines or not _FIELD.match(lines[0]):
        return False
    for line in lines:
        if not line.strip():
            return False
        if line[:1] in (b" ", b"\t"):
            continue
        if not _FIELD.match(line):
            return False
        if _KNOWN_FIELD.match(line):
            return True
    return False
