"""Case tokens: the [#CASEID] subject marker and support+caseid@ plus-addresses."""

from __future__ import annotations

import re

from omnicase.ids import normalize_case_id

_SUBJECT_TOKEN = re.compile(r"\[#\s*([0-9A-Za-z]{10})\s*\]")
NO_SUBJECT = "(no subject)"  # what a case without a subject (chat, SMS, WeChat, an empty one) is called
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|sv|vs|antw|回复|回覆|答复|转发)\s*(\[\d+\])?\s*[:：]\s*)+", re.I)


def subject_with_token(subject: str, case_id: str) -> str:
    """The subject carrying the case token exactly once."""
    if any(normalize_case_id(t) == case_id for t in _SUBJECT_TOKEN.findall(subject)):
        return subject
    return f"[#{case_id}] {subject}".strip()


def tokens_in_subject(subject: str) -> tuple[str, ...]:
    """Case ids named in the subject, in order, canonical form."""
    found = (normalize_case_id(t) for t in _SUBJECT_TOKEN.findall(subject))
    return tuple(dict.fromkeys(t for t in found if t))


def token_in_plus_address(address: str | None, mailboxes: tuple[str, ...]) -> str | None:
    """The case id in support+<id>@domain when support@domain is one of the tenant's mailboxes."""
    if not address or "+" not in address.split("@", 1)[0]:
        return None
    local, _, domain = address.partition("@")
    base, _, tag = local.partition("+")
    if f"{base}@{domain}".lower() not in mailboxes:
        return None
    return normalize_case_id(tag)


def base_mailbox(address: str) -> str:
    """support+anything@domain → support@domain (lower-case)."""
    local, _, domain = address.lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def clean_subject(subject: str) -> str:
    """The subject without reply/forward prefixes and case tokens, for display and new cases."""
    without_token = _SUBJECT_TOKEN.sub("", subject)
    return _REPLY_PREFIX.sub("", without_token).strip() or NO_SUBJECT
