"""Signed requests to the webhook apps, built the way each provider builds them."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlencode

from chalice.test import Client

from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.channels.sms.twilio_signature import twilio_signature
from tests.integration.conftest import SECRETS, TOKEN

HOST = "hooks.acme.example"


def call(app: Any, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b"") -> Any:
    with Client(app) as client:
        return getattr(client.http, method.lower())(path, headers=headers or {}, body=body)


def twilio_post(stack, fields: dict[str, str], *, signature: str | None = "valid") -> Any:
    body = urlencode(fields).encode()
    url = f"https://{HOST}/webhooks/sms/twilio"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Host": HOST, "X-Forwarded-Proto": "https"}
    if signature == "valid":
        params = parse_qs(body.decode(), keep_blank_values=True)  # Twilio signs empty fields too
        headers["X-Twilio-Signature"] = twilio_signature(SECRETS["TWILIO_AUTH_TOKEN"], url, params)
    elif signature:
        headers["X-Twilio-Signature"] = signature
    return call(stack.handler("sms_webhook"), "POST", "/webhooks/sms/twilio", headers=headers, body=body)


def twilio_fields(body: str, sid: str, sender: str = "+8613800138000", **extra: str) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+15005550006",
        "Body": body,
        "NumMedia": "0",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def chat_headers(body: bytes, *, widget: str = "web", timestamp: int | None = None, secret: str | None = None) -> dict:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    return {
        "Content-Type": "application/json",
        "X-Omnicase-Widget": widget,
        "X-Omnicase-Timestamp": ts,
        "X-Omnicase-Signature": chat_signature(secret or SECRETS["CHAT_WEBHOOK_SECRET"], ts, body),
    }


def chat_post(stack, document: dict[str, Any], **signing: Any) -> Any:
    body = json.dumps(document, ensure_ascii=False).encode()
    return call(
        stack.handler("chat_webhook"), "POST", "/webhooks/chat", headers=chat_headers(body, **signing), body=body
    )


def wechat_query(extra: dict[str, str] | None = None, *, token: str | None = None) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), "1405271834"
    parts = sorted([token or SECRETS["WECHAT_TOKEN"], timestamp, nonce])
    signature = hashlib.sha1("".join(parts).encode(), usedforsecurity=False).hexdigest()
    return {
        "account": "gh_acme0000001",
        "signature": signature,
        "timestamp": timestamp,
        "nonce": nonce,
        **(extra or {}),
    }


def wechat_safe(plain: bytes, extra: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    """A push as WeChat sends it to an account in safe mode: the XML encrypted, msg_signature over the ciphertext."""
    from omnicase.channels.wechat.message_crypto import WechatCrypto

    crypto = WechatCrypto(SECRETS["WECHAT_TOKEN"], SECRETS["WECHAT_ENCODING_AES_KEY"], SECRETS["WECHAT_APP_ID"])
    query = wechat_query({"encrypt_type": "aes", **(extra or {})})
    body, query["msg_signature"] = crypto.encrypt_push(plain, query["timestamp"], query["nonce"], query["account"])
    return body, query


def wechat_text(
    content: str, msg_id: str, openid: str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", create_time: int = 1762070400
) -> bytes:
    return (
        f"<xml><ToUserName><![CDATA[gh_acme0000001]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    ).encode()


def cases(stack) -> list[dict[str, Any]]:
    response = call(stack.handler("api"), "GET", "/cases?limit=100", headers={"Authorization": f"Bearer {TOKEN}"})
    return response.json_body["cases"]


def case(stack, case_id: str) -> dict[str, Any]:
    response = call(stack.handler("api"), "GET", f"/cases/{case_id}", headers={"Authorization": f"Bearer {TOKEN}"})
    return response.json_body
