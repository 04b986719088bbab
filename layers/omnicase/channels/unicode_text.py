"""Text every channel hands on: UTF-8-safe (JSON escapes like \\ud800 and bytes decoded with surrogateescape leave
lone surrogates, which fail to encode, store or log) and free of control characters."""

from __future__ import annotations

import re


def encodes(text: str, errors: str = "strict") -> bool:
    """Whether `text` encodes as UTF-8 with `errors` ("strict": it holds no lone surrogate)."""
    try:
        text.encode("utf-8", errors)
    except UnicodeEncodeError:
        return False
    return True


def utf8_safe(text: str) -> str:
    """The text with lone surrogates as U+FFFD: UTF-8 can carry it."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


# C0 controls but tab and newline, DEL and C1: invisible, they break terminals, CSV exports and XML replies, and
# NUL ends strings in C libraries. What remains of a line break is a newline (CR LF and lone CR become LF).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n?")
_LINE_SPACE = re.compile("[\t\n]+")


def clean_text(text: str) -> str:
    """Every channel's text without NUL and the other control characters; newlines and tabs stay."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def clean_line(text: str) -> str:
    """A one-line value (a name, a subject, a file name): clean_text, then newlines and tabs as one space."""
    return _LINE_SPACE.sub(" ", clean_text(text)).strip()
