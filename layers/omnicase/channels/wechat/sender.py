"""Outbound WeChat through the Official Account customer-service message API (one client per tenant).

A reply with images is several API messages: the text, then one image message per file. Each part that got through
is recorded on the message (SentParts), and a retry after a partial failure (the second image's upload timed out)
sends only the parts not recorded, so the customer never gets the text twice and the 48 h window's message quota
is not spent on repeats. Only a crash between a part's send and its record repeats that one part.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Protocol

from omnicase.channels.wechat.customer_service_client import WechatCustomerService
from omnicase.channels.wechat.errors import WechatApiError
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message, Tenant
from omnicase.secrets import TenantSecrets

OFFICIAL_API = "https://api.weixin.qq.com"
# WeChat's global return codes that the same message can never get past: 40003 invalid openid (not this
# account's follower), 40008 invalid message type, 43004 the receiver does not follow the account (unsubscribed),
# 43019 the receiver is on the account's blacklist (blocked), 45002 content over the size limit, 45015 out of the
# 48 h reply window, 45047 reply count limit reached until the customer writes again, 48001 API not authorized.
# -1 (system busy), 45009 / 45011 (quotas) and token errors are retried.
PERMANENT_ERRORS = frozenset({40003, 40008, 43004, 43019, 45002, 45015, 45047, 48001})


Transport = Callable[[str, str, bytes | None], tuple[int, bytes]]


class FileReader(Protocol):
    def read(self, key: str, max_bytes: int) -> bytes: ...


class SentParts(Protocol):
    def sent_parts(self, message: Message) -> frozenset[str]: ...
    def mark_sent(self, message: Message, part: str) -> None: ...


class _NoRecord:
    """Without a record every attempt sends every part."""

    def sent_parts(self, message: Message) -> frozenset[str]:
        return frozenset()

    def mark_sent(self, message: Message, part: str) -> None:
        return None


def http_transport(api_base: str | None = None) -> Transport:
    """urllib with a 5 s timeout; `api_base` (WECHAT_API_BASE: the local runtime's fake) replaces the official host."""

    def call(method: str, url: str, body: bytes | None, content_type: str = "application/json") -> tuple[int, bytes]:
        if api_base:
            url = api_base.rstrip("/") + url.removeprefix(OFFICIAL_API)
        request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # the official API or the local fake
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read()

    return call


class WechatSender:
    """OutboundSender for the WeChat channel."""

    def __init__(
        self,
        secrets: TenantSecrets,
        transport: Transport | None = None,
        files: FileReader | None = None,
        parts: SentParts | None = None,
    ) -> None:
        self._secrets, self._transport, self._files = secrets, transport or http_transport(), files
        self._parts: SentParts = parts or _NoRecord()
        self._clients: dict[str, WechatCustomerService] = {}
        self._lock = threading.Lock()

    def send(self, message: Message, tenant: Tenant) -> str:
        (openid,) = message.recipients
        client = self._client(tenant.tenant_id)
        done = self._parts.sent_parts(message) if message.attachments else frozenset()
        try:
            if "text" not in done:
                client.send_text(openid, message.body_text)
                self._sent(message, "text")
            for index, attachment in enumerate(message.attachments):  # images after the text, one message each
                if f"file-{index}" in done:
                    continue
                data = self._read_file(attachment.s3_key, attachment.size)
                client.send_image(openid, attachment.filename, attachment.content_type, data)
                self._sent(message, f"file-{index}")
        except WechatApiError as error:
            if error.errcode in PERMANENT_ERRORS:
                raise PermanentDeliveryFailure(str(error)) from error
            raise
        return message.message_id

    def _sent(self, message: Message, part: str) -> None:
        if message.attachments:  # a text alone is one API call: nothing to resume
            self._parts.mark_sent(message, part)

    def _read_file(self, key: str, size: int) -> bytes:
        if self._files is None:
            raise PermanentDeliveryFailure("this sender has no access to the attachments' bucket")
        return self._files.read(key, size)

    def _client(self, tenant_id: str) -> WechatCustomerService:
        with self._lock:  # one cached access token per account and container
            if tenant_id not in self._clients:
                app_id = self._secrets.get(tenant_id, "wechat_app_id")
                app_secret = self._secrets.get(tenant_id, "wechat_app_secret")
                self._clients[tenant_id] = WechatCustomerService(app_id, app_secret, self._transport)
            return self._clients[tenant_id]
