"""Outbound chat: POST each reply to the tenant's callback URL, signed like inbound chat, one delivery id."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping

from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message, Tenant
from omnicase.secrets import TenantSecrets

Transport = Callable[[str, bytes, Mapping[str, str]], int]
RETRYABLE = frozenset({408, 425, 429})


def post_json(url: str, body: bytes, headers: Mapping[str, str]) -> int:
    """POST with a 5 s timeout; the HTTP status (4xx/5xx included) or an exception on network failure."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # the tenant's own configured URL
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


class ChatCallbackSender:
    """OutboundSender for the chat channel; a retry re-sends the same X-Omnicase-Delivery id."""

    def __init__(
        self, secrets: TenantSecrets, transport: Transport = post_json, clock: Callable[[], float] = time.time
    ) -> None:
        self._secrets, self._transport, self._clock = secrets, transport, clock

    def send(self, message: Message, tenant: Tenant) -> str:
        if not tenant.chat_callback_url:
            raise PermanentDeliveryFailure(f"tenant {tenant.tenant_id} has no chat callback URL")
        body = json.dumps(
            {
                "conversation_id": message.conversation_id,
                "case_id": message.case_id,
                "message_id": message.message_id,
                "text": message.body_text,
                "sent_at": message.created_at.isoformat(),
            },
            ensure_ascii=False,
        ).encode()
        timestamp = str(int(self._clock()))
        secret = self._secrets.get(tenant.tenant_id, "chat_webhook_secret")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Omnicase-Timestamp": timestamp,
            "X-Omnicase-Signature": chat_signature(secret, timestamp, body),
            "X-Omnicase-Delivery": message.message_id,
        }
        status = self._transport(tenant.chat_callback_url, body, headers)
        if 200 <= status < 300:
            return message.message_id
        if 400 <= status < 500 and status not in RETRYABLE:
            raise PermanentDeliveryFailure(f"chat callback answered {status}")
        raise ConnectionError(f"chat callback answered {status}; the stream will retry")
