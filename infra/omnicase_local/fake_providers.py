"""Stand-ins for the providers outbound messages go to, so they land in the local outbox over real HTTP:
the tenant's chat callback URL, the WeChat customer-service API and Twilio's Messages API (fake_twilio.py)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from omnicase_local.fake_connect import FakeConnect
from omnicase_local.fake_twilio import LOCAL_PHOTO, TWILIO_API, FakeTwilio
from omnicase_local.outbox import Outbox

CHAT_CALLBACK = "/_local/chat-callback"
WECHAT_API = "/_local/wechat"  # WECHAT_API_BASE points here: /cgi-bin/token, /cgi-bin/message/custom/send

Response = tuple[int, dict[str, Any], bytes]


class FakeProviders:
    def __init__(self, outbox: Outbox, twilio: FakeTwilio | None = None, connect: FakeConnect | None = None) -> None:
        self._outbox = outbox
        self._twilio = twilio
        self._connect = connect  # contact events in: POST /_local/connect/events (fake_connect.py)

    def __call__(self, method: str, raw_path: str, headers: dict[str, str], body: bytes | None) -> Response | None:
        path = urlsplit(raw_path).path
        if method == "POST" and path == CHAT_CALLBACK:
            return self._chat_callback(headers, body or b"")
        if method == "GET" and path == f"{WECHAT_API}/cgi-bin/token":
            return _json({"access_token": "local-access-token", "expires_in": 7200})
        if method == "POST" and path == f"{WECHAT_API}/cgi-bin/message/custom/send":
            return self._wechat_send(body or b"")
        if method == "POST" and path == f"{WECHAT_API}/cgi-bin/media/upload":  # an agent's image, as temporary media
            return _json({"type": "image", "media_id": f"local-media-{len(body or b'')}", "created_at": 0})
        if method == "GET" and path == f"{WECHAT_API}/cgi-bin/media/get":  # a customer's image, by its MediaId
            return 200, {"Content-Type": "image/jpeg"}, LOCAL_PHOTO
        if self._twilio is not None and path.startswith(f"{TWILIO_API}/"):
            return self._twilio(method, raw_path, headers, body)
        if self._connect is not None:
            return self._connect(method, path, body)
        return None

    def _chat_callback(self, headers: dict[str, str], body: bytes) -> Response:
        document = json.loads(body)
        signed = {k: v for k, v in headers.items() if k.lower().startswith("x-omnicase-")}
        self._outbox.record(
            "chat",
            [str(document.get("conversation_id"))],
            str(document.get("text", "")),
            signed,
            document.get("case_id"),
        )
        return _json({"received": True})

    def _wechat_send(self, body: bytes) -> Response:
        document = json.loads(body)
        text = (document.get("text") or {}).get("content", "")
        if document.get("msgtype") == "image":
            text = f"[image {(document.get('image') or {}).get('media_id')}]"
        self._outbox.record("wechat", [str(document.get("touser"))], text, {}, None)
        return _json({"errcode": 0, "errmsg": "ok"})


def _json(document: Any) -> Response:
    return 200, {"Content-Type": "application/json"}, json.dumps(document, ensure_ascii=False).encode()
