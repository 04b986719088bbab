"""Channels that let us write to a customer only for a while after they last wrote (their traits' reply_window)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from omnicase.domain.channel_traits import traits_of
from omnicase.domain.model import Case


@dataclass(frozen=True)
class ReplyWindow:
    open: bool
    closes_at: datetime | None  # None: the customer never wrote, so it never opened


def reply_window(case: Case, now: datetime) -> ReplyWindow | None:
    """Whether a reply can still reach the customer; None for channels without such a window."""
    length = traits_of(case.channel).reply_window
    if length is None:
        return None
    if case.last_inbound_at is None:
        return ReplyWindow(open=False, closes_at=None)
    closes_at = case.last_inbound_at + length
    return ReplyWindow(open=now < closes_at, closes_at=closes_at)
