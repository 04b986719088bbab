"""Carrier opt-out / opt-in / help keywords: the whole message must be the keyword."""

from __future__ import annotations

import unicodedata
from typing import Literal

Keyword = Literal["stop", "start", "help"]

_KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "退订", "取消订阅", "TD", "T"), "stop"
    ),
    **dict.fromkeys(("START", "YES", "UNSTOP", "SUBSCRIBE", "订阅"), "start"),
    **dict.fromkeys(("HELP", "INFO", "帮助"), "help"),
}
# ASCII and CJK sentence punctuation after NFKC (full-width ！ becomes !; 。 and 、 stay as they are).
_TRAILING = " \t\r\n.!?,;:~。、…"


def sms_keyword(body: str) -> Keyword | None:
    """`stop`, `start` or `help` when the trimmed message is exactly one of their keywords, else None."""
    text = unicodedata.normalize("NFKC", body).strip().rstrip(_TRAILING).strip()
    if len(text) > 16:
        return None
    return _KEYWORDS.get(text.upper())
