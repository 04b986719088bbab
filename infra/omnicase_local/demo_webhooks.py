"""Demo players for the webhook channels: each sample is signed the way its provider signs and POSTed."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from defusedxml import ElementTree

from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.channels.sms.twilio_signature import twilio_signature
from omnicase_local.runtime import DemoTenant


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def play_twilio_sms(http_url: str, path: Path) -> str:
    """A Twilio form body (events/sms/*.form), signed with TWILIO_AUTH_TOKEN over the URL it is posted to; returns
    its sender."""
    body = path.read_bytes().strip()
    url = f"{http_url}/webhooks/sms/twilio"
    params = parse_qs(body.decode(), keep_blank_values=True)
    signature = twilio_signature(os.environ["TWILIO_AUTH_TOKEN"], url, params)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    _post(url, body, headers)
    return params.get("From", ["?"])[0]


def play_chat(http_url: str, path: Path) -> str:
    """A chat message (events/chat/*.json) from the demo tenant's widget, HMAC-signed with CHAT_WEBHOOK_SECRET;
    returns its sender."""
    body = path.read_bytes()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Omnicase-Widget": DemoTenant().chat_widget,
        "X-Omnicase-Timestamp": timestamp,
        "X-Omnicase-Signature": chat_signature(os.environ["CHAT_WEBHOOK_SECRET"], timestamp, body),
    }
    _post(f"{http_url}/webhooks/chat", body, headers)
    message = json.loads(body)
    return str(message.get("display_name") or message.get("user_id") or "?")


def play_wechat(http_url: str, path: Path) -> str:
    """A WeChat push (events/wechat/*.xml) in safe mode, encrypted and signed as WeChat does for an account with an
    EncodingAESKey (such an account refuses plaintext pushes); returns its sender (the customer's openid)."""
    from omnicase.channels.wechat.message_crypto import WechatCrypto

    timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
    token, account = os.environ["WECHAT_TOKEN"], DemoTenant().wechat_account
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode(), usedforsecurity=False).hexdigest()
    crypto = WechatCrypto(token, os.environ["WECHAT_ENCODING_AES_KEY"], os.environ["WECHAT_APP_ID"])
    body, msg_signature = crypto.encrypt_push(path.read_bytes(), timestamp, nonce, account)
    query = urlencode(
        {
            "account": account,
            "signature": signature,
            "timestamp": timestamp,
            "nonce": nonce,
            "encrypt_type": "aes",
            "msg_signature": msg_signature,
        }
    )
    _post(f"{http_url}/webhooks/wechat?{query}", body, {"Content-Type": "text/xml"})
    return ElementTree.fromstring(path.read_bytes()).findtext("FromUserName") or "?"
