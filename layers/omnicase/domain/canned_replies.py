"""Canned replies (macros): a tenant's ready answers in zh and en, filled for one case and fitted to its text; pure.

Placeholders: {name} {case_id} {agent} {expected_reply} {tenant}, checked when the configuration is applied (an
unknown one is refused there, as in customer texts), filled server-side when an agent sends one.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from omnicase.domain.model import CaseStatus, Priority

CANNED_PLACEHOLDERS = ("name", "case_id", "agent", "expected_reply", "tenant")
SETTABLE_STATUSES = (CaseStatus.OPEN, CaseStatus.PENDING, CaseStatus.ON_HOLD, CaseStatus.SOLVED)
MAX_FITTING = 5


@dataclass(frozen=True)
class CannedReply:
    """One ready answer: its texts by language, what makes it fit a case, and what applying it changes."""

    reply_id: str
    title: str
    texts: Mapping[str, str]  # language → template
    keywords: tuple[str, ...] = ()  # case-insensitive substrings of the case's text; none: fits every case
    status: CaseStatus | None = None
    priority: Priority | None = None
    tags: tuple[str, ...] = ()  # added to the case's tags

    def text_for(self, language: str) -> str | None:
        """The template in `language`, else the English one, else none."""
        return self.texts.get(language) or self.texts.get("en")


class UnknownCannedReply(ValueError):
    """No canned reply of that id in the tenant's configuration."""


def find_canned_reply(replies: tuple[CannedReply, ...], reply_id: str) -> CannedReply:
    for reply in replies:
        if reply.reply_id == reply_id:
            return reply
    raise UnknownCannedReply(f"no canned reply {reply_id!r}")


def fill_placeholders(template: str, values: Mapping[str, str]) -> str:
    """The template with its known placeholders filled; anything else in braces stays as written."""
    return string.Formatter().vformat(template, (), _Lenient(values)).strip()


def fitting_replies(replies: tuple[CannedReply, ...], text: str, language: str) -> list[CannedReply]:
    """The replies that fit a case's text, best first: those whose keywords it holds (more first), then general
    ones; a reply without a text in the case's language (or English) never fits."""
    lowered = text.casefold()
    scored = []
    for order, reply in enumerate(replies):
        if reply.text_for(language) is None:
            continue
        matched = sum(1 for keyword in reply.keywords if keyword.casefold() in lowered)
        if reply.keywords and not matched:
            continue
        scored.append((-matched, not reply.keywords, order, reply))
    scored.sort(key=lambda row: row[:3])
    return [row[3] for row in scored[:MAX_FITTING]]


class _Lenient(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
