"""Case webhooks out: POST to the tenant's URL, signed like the chat webhook, redirects never followed.

Signed with the tenant's `case_webhook_secret` (env CASE_WEBHOOK_SECRET locally), else its chat webhook secret:
`X-Omnicase-Signature: sha256=<hex HMAC of "<timestamp>.<body>">`, `X-Omnicase-Delivery` the same on every retry.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.channels.outbound_url import Resolver, host_addresses, resolved_url_problem
from omnicase.channels.outbound_url import url_problem as url_problem  # re-exported: the check used to live here
from omnicase.domain.case_webhooks import CaseWebhook, RetryableWebhookFailure, WebhookOutcome
from omnicase.secrets import MissingSecret, TenantSecrets

Transport = Callable[[str, bytes, Mapping[str, str]], int]
TIMEOUT_SECONDS = 5
RETRYABLE_4XX = frozenset({408, 429})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx comes back as an HTTPError with its own status instead of being followed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post_without_redirects(url: str, body: bytes, headers: Mapping[str, str]) -> int:
    """POST with a 5 s timeout; the HTTP status (3xx/4xx/5xx included); OSError on network failure or timeout."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:  # URL checked by url_problem first
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


def signed_headers(webhook: CaseWebhook, secret: str, timestamp: str) -> dict[str, str]:
    """The headers of one attempt: the receiver verifies them as it verifies chat webhooks."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "omnicase-webhooks/1",
        "X-Omnicase-Event": webhook.event,
        "X-Omnicase-Delivery": webhook.delivery_id,
        "X-Omnicase-Timestamp": timestamp,
        "X-Omnicase-Signature": chat_signature(secret, timestamp, webhook.body),
    }


class CaseWebhookSender:
    """WebhookPoster over HTTP: 2xx delivered; 408, 429, 5xx and network failures raise to be retried; any other
    answer (3xx, 4xx) and refused URLs are permanent outcomes, not retried."""

    def __init__(
        self,
        secrets: TenantSecrets,
        transport: Transport = post_without_redirects,
        clock: Callable[[], float] = time.time,
        *,
        allow_loopback: bool = False,
        resolve: Resolver = host_addresses,
    ) -> None:
        self._secrets, self._transport, self._clock = secrets, transport, clock
        self._allow_loopback, self._resolve = allow_loopback, resolve

    def post(self, tenant_id: str, url: str, webhook: CaseWebhook) -> WebhookOutcome:
        problem = resolved_url_problem(url, allow_loopback=self._allow_loopback, resolve=self._resolve)
        if problem:
            return WebhookOutcome(url, delivered=False, detail=f"URL refused: {problem}")
        headers = signed_headers(webhook, self._secret(tenant_id), str(int(self._clock())))
        try:
            status = self._transport(url, webhook.body, headers)
        except OSError as error:  # URLError, timeouts, refused connections
            raise RetryableWebhookFailure(f"{webhook.delivery_id}: {error}") from error
        if 200 <= status < 300:
            return WebhookOutcome(url, delivered=True, status=status)
        if status >= 500 or status in RETRYABLE_4XX:
            raise RetryableWebhookFailure(f"{webhook.delivery_id}: the receiver answered {status}")
        return WebhookOutcome(url, delivered=False, status=status, detail=f"the receiver answered {status}")

    def _secret(self, tenant_id: str) -> str:
        try:
            return self._secrets.get(tenant_id, "case_webhook_secret")
        except MissingSecret:
            return self._secrets.get(tenant_id, "chat_webhook_secret")
