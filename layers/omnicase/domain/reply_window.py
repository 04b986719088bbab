"""Channels that let us write to a customer only for a while after they last wrote (WeChat: 48 hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from omnicase.domain.model import Case, Channel

# WeChat's customer-service messages reach a follower only within 48 h of their last message (errcode 45015).
REPLY_WINDOWS: dict[Channel, timedelta] = {Channel.WECHAT: timedelta(hours=48)}


@dataclass(frozen=True)
class ReplyWindow:
    open: bool
    closes_at: datetime | None  # None: the customer never wrote, so it never opened


def reply_window(case: Case, now: datetime) -> ReplyWindow | None:
    """Whether a reply can still reach the customer; None for channels without such a window."""
    length = REPLY_WINDOWS.get(case.channel)
    if length is None:
        return None
    if case.last_inbound_at is None:
        return ReplyWindow(open=False, closes_at=None)
    closes_at = case.last_inbound_at + length
    return ReplyWindow(open=now < closes_at, closes_at=closes_at)
