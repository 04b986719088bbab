"""Header values to readable text: unfolding, RFC 2047 encoded words, raw 8-bit bytes."""

from __future__ import annotations

import binascii
import re

from omnicase.email.decode_text import decode_bytes, decode_unlabelled

# Lenient on purpose: real mail puts spaces in Q text and RFC 2231 language tags in the charset.
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,60})\?([bBqQ])\?([^?]*)\?=")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_BASE64_JUNK = re.compile(rb"[^A-Za-z0-9+/=]")
_BASE64_CHUNK = re.compile(rb"[A-Za-z0-9+/]+=*")
_WHITESPACE = re.compile(rb"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLD = re.compile(r"\r?\n|\r")
MAX_HEADER_CHARS = 64 * 1024


def to_bytes(value: str) -> bytes:
    """The original bytes of a str the parser built with surrogateescape."""
    return value.encode("utf-8", "surrogateescape")


def unfold(value: str | None) -> str:
    """Join folded lines and cap absurd lengths so later parsing stays cheap."""
    if not value:
        return ""
    return _FOLD.sub("", str(value)[:MAX_HEADER_CHARS])


def decode_header_value(value: str | None, problems: list[str]) -> str:
    """An unfolded, RFC 2047-decoded header value with whitespace collapsed."""
    text = unfold(value)
    if not text:
        return ""
    out: list[str] = []
    pending: tuple[str, bytearray] | None = None  # adjacent words in one charset, joined before decoding
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        if gap and (pending is None or gap.strip()):
            if pending is not None:
                out.append(decode_bytes(bytes(pending[1]), pending[0], problems))
                pending = None
            out.append(_plain(gap))
        charset = match.group(1).split("*", 1)[0]
        data = _decode_word(match.group(2), match.group(3))
        if pending is not None and pending[0].lower() == charset.lower():
            pending[1].extend(data)
        else:
            if pending is not None:
                out.append(decode_bytes(bytes(pending[1]), pending[0], problems))
            pending = (charset, bytearray(data))
        position = match.end()
    if pending is not None:
        out.append(decode_bytes(bytes(pending[1]), pending[0], problems))
    out.append(_plain(text[position:]))
    return collapse_whitespace("".join(out))


def collapse_whitespace(text: str) -> str:
    """Control characters dropped, whitespace runs made one space, ends trimmed."""
    return " ".join(_CONTROL.sub("", text).split())


def _plain(text: str) -> str:
    if text.isascii():
        return text
    return decode_unlabelled(to_bytes(text))


def _decode_word(encoding: str, text: str) -> bytes:
    raw = to_bytes(text)
    if encoding in "qQ":
        return _QP_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw.replace(b"_", b" "))
    return decode_base64_lenient(raw)[0]


def decode_base64_lenient(data: bytes) -> tuple[bytes, bool]:
    """Base64 that tolerates junk, bad padding and padded chunks glued together; the flag says it was damaged."""
    compact = _WHITESPACE.sub(b"", data)
    chunks = _BASE64_CHUNK.findall(compact)
    if sum(map(len, chunks)) == len(compact) and all(len(c) % 4 == 0 for c in chunks):
        return b"".join(binascii.a2b_base64(c) for c in chunks), False
    # Damaged: decode line by line, so one bad line does not shift the bits of every line after it.
    return b"".join(_decode_base64_piece(line) for line in data.splitlines()), True


def _decode_base64_piece(piece: bytes) -> bytes:
    body = _BASE64_JUNK.sub(b"", piece).split(b"=", 1)[0]
    if len(body) % 4 == 1:
        body = body[:-1]
    return binascii.a2b_base64(body + b"=" * (-len(body) % 4))
