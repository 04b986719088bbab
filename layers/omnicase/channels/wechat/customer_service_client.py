"""The Official Account customer-service message API: an access token cached per account, text and images out."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from urllib.parse import urlencode

from omnicase.channels.wechat.errors import WechatApiError

API = "https://api.weixin.qq.com"
TOKEN_EXPIRED = frozenset({40001, 40014, 42001})
Transport = Callable[[str, str, bytes | None], tuple[int, bytes]]


class WechatCustomerService:
    def __init__(
        self, app_id: str, app_secret: str, transport: Transport, clock: Callable[[], float] = time.time
    ) -> None:
        self._app_id, self._secret, self._transport, self._clock = app_id, app_secret, transport, clock
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    def access_token(self, *, refresh: bool = False) -> str:
        """The cached token, fetched again 5 minutes before it expires (or when WeChat says it is invalid)."""
        with self._lock:
            if refresh or self._token is None or self._token[1] <= self._clock():
                query = urlencode({"grant_type": "client_credential", "appid": self._app_id, "secret": self._secret})
                document = self._call("GET", f"{API}/cgi-bin/token?{query}", None)
                self._token = (str(document["access_token"]), self._clock() + int(document["expires_in"]) - 300)
            return self._token[0]

    def send_text(self, openid: str, text: str) -> None:
        """One text message to a follower (within the 48 h after they last wrote)."""
        body = json.dumps({"touser": openid, "msgtype": "text", "text": {"content": text}}, ensure_ascii=False)
        for refresh in (False, True):
            url = f"{API}/cgi-bin/message/custom/send?access_token={self.access_token(refresh=refresh)}"
            try:
                self._call("POST", url, body.encode())
                return
            except WechatApiError as error:
                if error.errcode not in TOKEN_EXPIRED or refresh:
                    raise

    def send_image(self, openid: str, filename: str, content_type: str, data: bytes) -> None:
        """An image message: the file uploaded as temporary media (kept 3 days by WeChat), then sent by media_id."""
        boundary = f"omnicase{secrets.token_hex(12)}"
        body = _multipart(boundary, filename, content_type, data)
        for refresh in (False, True):
            token = self.access_token(refresh=refresh)
            try:
                url = f"{API}/cgi-bin/media/upload?access_token={token}&type=image"
                uploaded = self._call("POST", url, body, f"multipart/form-data; boundary={boundary}")
                message = {"touser": openid, "msgtype": "image", "image": {"media_id": str(uploaded["media_id"])}}
                self._call(
                    "POST", f"{API}/cgi-bin/message/custom/send?access_token={token}", json.dumps(message).encode()
                )
                return
            except WechatApiError as error:
                if error.errcode not in TOKEN_EXPIRED or refresh:
                    raise

    def _call(self, method: str, url: str, body: bytes | None, form_type: str | None = None) -> dict:  # type: ignore[type-arg]
        if form_type:  # only uploads name their own Content-Type; the JSON calls keep the 3-argument transport
            status, payload = self._transport(method, url, body, form_type)  # type: ignore[call-arg]
        else:
            status, payload = self._transport(method, url, body)
        try:
            document = json.loads(payload or b"{}")
        except ValueError as error:
            raise WechatApiError(-2, f"HTTP {status}, not JSON") from error
        errcode = int(document.get("errcode") or 0)
        if status >= 400 or errcode:
            raise WechatApiError(errcode or -1, str(document.get("errmsg") or f"HTTP {status}"))
        return document


def _multipart(boundary: str, filename: str, content_type: str, data: bytes) -> bytes:
    """The form WeChat's media upload takes: one part named "media" with the file's name and type."""
    name = filename.replace('"', "").replace("\r", " ").replace("\n", " ")
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="media"; filename="{name}"; filelength={len(data)}\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    )
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
