"""The Date header to a timezone-aware datetime, or None."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from omnicase.email.decode_header import unfold


def parse_mail_date(value: str | None) -> datetime | None:
    """A timezone-aware datetime; "-0000" (zone unknown) counts as UTC; junk gives None."""
    text = unfold(value).strip()
    if not text or not text.isascii():
        return None
    try:
        parsed = parsedate_to_datetime(text[:200])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
