"""One MIME leaf part's payload to bytes (transfer encodings, leniently) and to text (charsets)."""

from __future__ import annotations

import binascii
import quopri
import re
from email.message import Message
from email.utils import collapse_rfc2231_value

from omnicase.email.decode_header import decode_base64_lenient, to_bytes
from omnicase.email.decode_text import decode_bytes

_IDENTITY = frozenset({"", "7bit", "8bit", "binary", "7-bit", "8-bit", "none"})
_UUENCODE = frozenset({"x-uuencode", "uuencode", "uue", "x-uue"})
_UU_BEGIN = re.compile(rb"^begin\s+[0-7]{3,4}\s", re.MULTILINE)


def part_bytes(part: Message, problems: list[str]) -> bytes:
    """The decoded payload bytes of a leaf part; a broken transfer encoding yields what can be saved."""
    # get_payload() would decode 8-bit text with the declared charset and errors="replace": lossy. The raw
    # payload keeps the bytes, so the charset fallbacks still get a chance.
    payload = part._payload
    if isinstance(payload, list) or payload is None:
        return b""
    data = to_bytes(payload) if isinstance(payload, str) else bytes(payload)
    encoding = str(part.get("content-transfer-encoding", "")).strip().strip("\"'").lower()
    if encoding == "base64":
        decoded, damaged = decode_base64_lenient(data)
        if damaged:
            problems.append("bad-base64")
        return decoded
    if encoding == "quoted-printable":
        return quopri.decodestring(data)
    if encoding in _UUENCODE:
        return _uudecode(data, problems)
    if encoding not in _IDENTITY:
        problems.append(f"unknown-transfer-encoding:{re.sub(r'[^!-~]', '?', encoding[:40])}")
    return data


def part_charset(part: Message) -> str | None:
    """The charset parameter of a part (RFC 2231 forms collapsed), or None."""
    try:
        value = part.get_param("charset")
    except (ValueError, TypeError, IndexError):
        return None
    if value is None:
        return None
    return collapse_rfc2231_value(value) if isinstance(value, tuple) else str(value)


def part_text(part: Message, problems: list[str]) -> str:
    """The decoded text of a text/* leaf, newlines normalized."""
    text = decode_bytes(part_bytes(part, problems), part_charset(part), problems, sniff_utf8=True)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _uudecode(data: bytes, problems: list[str]) -> bytes:
    begin = _UU_BEGIN.search(data)
    if begin is None:
        problems.append("bad-uuencode")
        return data
    out = bytearray()
    for line in data[begin.end() :].splitlines()[1:]:
        if line.strip() in (b"end", b"`", b""):
            if line.strip() == b"end":
                break
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            # Some encoders write garbage padding; the line length byte says how much is real.
            try:
                out += binascii.a2b_uu(line[: (((line[0] - 32) & 63) * 4 + 5) // 3])
            except (binascii.Error, IndexError):
                problems.append("bad-uuencode")
                break
    return bytes(out)
