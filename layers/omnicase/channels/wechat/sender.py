"""Outbound WeChat through the Official Account customer-service message API (one client per tenant)."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable

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


def http_transport(api_base: str | None = None) -> Transport:
    """urllib with a 5 s timeout; `api_base` (WECHAT_API_BASE: the local runtime's fake) replaces the official host."""

    def call(method: str, url: str, body: bytes | None) -> tuple[int, bytes]:
        if api_base:
            url = api_base.rstrip("/") + url.removeprefix(OFFICIAL_API)
        request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # the official API or the local fake
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read()

    return call


class WechatSender:
    """OutboundSender for the WeChat channel."""

    def __init__(self, secrets: TenantSecrets, transport: Transport | None = None) -> None:
        self._secrets, self._transport = secrets, transport or http_transport()
        self._clients: dict[str, WechatCustomerService] = {}
        self._lock = threading.Lock()

    def send(self, message: Message, tenant: Tenant) -> str:
        (openid,) = message.recipients
        try:
            self._client(tenant.tenant_id).send_text(openid, message.body_text)
        except WechatApiError as error:
            if error.errcode in PERMANENT_ERRORS:
                raise PermanentDeliveryFailure(str(error)) from error
            raise
        return message.message_id

    def _client(self, tenant_id: str) -> WechatCustomerService:
        with self._lock:  # one cached access token per account and container
            if tenant_id not in self._clients:
                app_id = self._secrets.get(tenant_id, "wechat_app_id")
                app_secret = self._secrets.get(tenant_id, "wechat_app_secret")
                self._clients[tenant_id] = WechatCustomerService(app_id, app_secret, self._transport)
            return self._clients[tenant_id]
