"""Where each provider keeps a customer's media, and how we are let in: WeChat's media/get with the account's
access token, Twilio's MediaUrl with the account's credentials (when the account enforces HTTP auth on media), a
chat file by its own public https URL."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from omnicase.attachments.media_download import MediaDownloader
from omnicase.attachments.media_result import Downloaded, MediaRefused
from omnicase.channels.wechat.customer_service_client import TOKEN_EXPIRED, WechatCustomerService
from omnicase.channels.wechat.sender import OFFICIAL_API, http_transport
from omnicase.domain.model import Attachment, Message
from omnicase.secrets import MissingSecret, TenantSecrets

_TWILIO_MEDIA = re.compile(r"/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages/")


@dataclass
class ProviderMedia:
    """A Fetch for MediaFetcher: the bytes of one attachment from its provider."""

    download: MediaDownloader
    secrets: TenantSecrets
    wechat_api_base: str | None = None
    twilio_api_base: str | None = None  # Twilio's media URLs live on its API host; locally the fake's
    _wechat: dict[str, WechatCustomerService] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, message: Message, attachment: Attachment, max_bytes: int) -> Downloaded:
        if attachment.media_id:
            return self._wechat_media(message.tenant_id, attachment.media_id, max_bytes)
        url = attachment.url or ""
        credentials = self._twilio_credentials(message.tenant_id, url)
        return self.download.get(self._on_twilio_base(url), max_bytes, credentials)

    def _on_twilio_base(self, url: str) -> str:
        """A Twilio media URL on the configured API host (TWILIO_API_BASE), as the sender's API calls are."""
        parts = urlsplit(url)
        if not self.twilio_api_base or parts.hostname != "api.twilio.com" or not _TWILIO_MEDIA.match(parts.path):
            return url
        return self.twilio_api_base.rstrip("/") + parts.path

    def _wechat_media(self, tenant_id: str, media_id: str, max_bytes: int) -> Downloaded:
        """media/get answers the file, or JSON with an errcode (an expired token is fetched again once)."""
        client = self._wechat_client(tenant_id)
        for refresh in (False, True):
            token = client.access_token(refresh=refresh)
            query = f"access_token={quote(token)}&media_id={quote(media_id)}"
            url = f"{(self.wechat_api_base or OFFICIAL_API).rstrip('/')}/cgi-bin/media/get?{query}"
            got = self.download.get(url, max_bytes)
            errcode = _wechat_errcode(got)
            if errcode is None:
                return got
            if errcode not in TOKEN_EXPIRED or refresh:
                # 40007: invalid media_id (WeChat keeps a customer's media 3 days)
                raise MediaRefused("provider-refused", f"WeChat media/get errcode {errcode}")
        raise AssertionError("unreachable")

    def _wechat_client(self, tenant_id: str) -> WechatCustomerService:
        with self._lock:  # one cached access token per account and container
            if tenant_id not in self._wechat:
                app_id = self.secrets.get(tenant_id, "wechat_app_id")
                secret = self.secrets.get(tenant_id, "wechat_app_secret")
                self._wechat[tenant_id] = WechatCustomerService(app_id, secret, http_transport(self.wechat_api_base))
            return self._wechat[tenant_id]

    def _twilio_credentials(self, tenant_id: str, url: str) -> tuple[str, str] | None:
        """Basic auth (AccountSid, auth token) for Twilio's own media URLs only; harmless where auth is not enforced."""
        match = _TWILIO_MEDIA.match(urlsplit(url).path)
        if urlsplit(url).hostname != "api.twilio.com" or match is None:
            return None
        try:
            return match[1], self.secrets.get(tenant_id, "twilio_auth_token")
        except MissingSecret:
            return None


def _wechat_errcode(got: Downloaded) -> int | None:
    if got.content_type not in ("application/json", "text/plain") or not got.data.lstrip().startswith(b"{"):
        return None
    try:
        return int(json.loads(got.data).get("errcode") or 0) or None
    except (ValueError, AttributeError):
        return None
