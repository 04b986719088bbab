"""Untrusted WeChat XML → WechatPush, with defusedxml: DTDs, entities and external references are refused."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from omnicase.channels.wechat.errors import MalformedPush, PushTooLarge, XmlAttack
from omnicase.channels.wechat.wechat_push import WechatPush

MAX_BYTES = 64 * 1024
_FIELDS = {
    "content": "Content",
    "msg_id": "MsgId",
    "media_id": "MediaId",
    "pic_url": "PicUrl",
    "format": "Format",
    "recognition": "Recognition",
    "location_x": "Location_X",
    "location_y": "Location_Y",
    "label": "Label",
    "title": "Title",
    "url": "Url",
    "event": "Event",
    "event_key": "EventKey",
    "encrypt": "Encrypt",
}


def parse_xml(body: bytes, *, max_bytes: int = MAX_BYTES) -> Element:
    """The root element of a WeChat XML body; XML attacks and garbage are refused, never expanded."""
    if len(body) > max_bytes:
        raise PushTooLarge(f"body over {max_bytes} bytes")
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as attack:
        raise XmlAttack(f"refused XML: {type(attack).__name__}") from attack
    except (ParseError, ValueError, LookupError) as error:  # LookupError: an unknown declared encoding
        raise MalformedPush(f"not XML: {error}") from error


def parse_push(body: bytes, *, max_bytes: int = MAX_BYTES) -> WechatPush:
    """A plaintext push (or the decrypted inner XML of a safe-mode push)."""
    root = parse_xml(body, max_bytes=max_bytes)
    required = {name: _text(root, name) for name in ("ToUserName", "FromUserName", "CreateTime", "MsgType")}
    missing = [name for name, value in required.items() if not value]
    if missing:
        raise MalformedPush(f"missing {', '.join(missing)}")
    try:
        create_time = int(required["CreateTime"] or "")
    except ValueError as error:
        raise MalformedPush("CreateTime is not a number") from error
    return WechatPush(
        to_user=required["ToUserName"] or "",
        from_user=required["FromUserName"] or "",
        create_time=create_time,
        msg_type=(required["MsgType"] or "").lower(),
        **{field: _text(root, tag) for field, tag in _FIELDS.items()},
    )


def _text(root: Element, tag: str) -> str | None:
    node = root.find(tag)
    return node.text.strip() if node is not None and node.text and node.text.strip() else None
