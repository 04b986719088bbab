"""Text that UTF-8 may not carry: JSON escapes (\\ud800) and bytes decoded with surrogateescape leave lone
surrogates in a str, which fail to encode, store or log."""

from __future__ import annotations


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
