"""One message or event WeChat pushed to the Official Account, as plain data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WechatPush:
    to_user: str  # the account's original id (gh_…)
    from_user: str  # the customer's openid
    create_time: int
    msg_type: str  # text / image / voice / video / shortvideo / location / link / event
    content: str | None = None
    msg_id: str | None = None
    media_id: str | None = None
    pic_url: str | None = None
    format: str | None = None
    recognition: str | None = None
    location_x: str | None = None
    location_y: str | None = None
    label: str | None = None
    title: str | None = None
    url: str | None = None
    event: str | None = None
    event_key: str | None = None
    encrypt: str | None = None

    @property
    def dedupe_key(self) -> str:
        """MsgId; events have none, so WeChat's rule: FromUserName + CreateTime (+ the event)."""
        return self.msg_id or f"{self.from_user}:{self.create_time}:{self.event or self.msg_type}"

    @property
    def text_for_case(self) -> str:
        """What an agent reads: the text itself, or a one-line rendering of media, places and events."""
        kind = self.msg_type
        if kind == "text":
            return self.content or ""
        if kind in ("image",):
            return f"[image] {self.pic_url or self.media_id or ''}".strip()
        if kind == "voice":
            return f"[voice] {self.recognition or self.media_id or ''}".strip()
        if kind in ("video", "shortvideo"):
            return f"[video] {self.media_id or ''}".strip()
        if kind == "location":
            return f"[location] {self.label or ''} ({self.location_x}, {self.location_y})".strip()
        if kind == "link":
            return f"[link] {self.title or ''} {self.url or ''}".strip()
        if kind == "event":
            return f"[event] {self.event or ''} {self.event_key or ''}".strip()
        return f"[{kind}]"
