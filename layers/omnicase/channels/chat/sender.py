"""Outbound chat: POST each reply to the tenant's callback URL, signed like inbound chat, one delivery id."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping

from omnicase.channels.case_webhook_sender import post_without_redirects
from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.channels.outbound_url import Resolver, host_addresses, resolved_url_problem
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message, Tenant
from omnicase.secrets import TenantSecrets

Transport = Callable[[str, bytes, Mapping[str, str]], int]
RETRYABLE = frozenset({408, 425, 429})


class ChatCallbackSender:
    """OutboundSender for the chat channel; a retry re-sends the same X-Omnicase-Delivery id."""

    def __init__(
        self,
        secrets: TenantSecrets,
        transport: Transport = post_without_redirects,  # a redirect could lead past the URL check
        clock: Callable[[], float] = time.time,
        *,
        allow_loopback: bool = False,
        resolve: Resolver = host_addresses,
    ) -> None:
        self._secrets, self._transport, self._clock = secrets, transport, clock
        self._allow_loopback, self._resolve = allow_loopback, resolve

    def send(self, message: Message, tenant: Tenant) -> str:
        if not tenant.chat_callback_url:
            raise PermanentDeliveryFailure(f"tenant {tenant.tenant_id} has no chat callback URL")
        # The case webhooks' check: public https only, where the host name points now included.
        problem = resolved_url_problem(
            tenant.chat_callback_url, allow_loopback=self._allow_loopback, resolve=self._resolve
        )
        if problem:
            raise PermanentDeliveryFailure(f"chat callback URL refused: {problem}")
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
        if 300 <= status < 500 and status not in RETRYABLE:  # redirects are not followed: final as 4xx
            raise PermanentDeliveryFailure(f"chat callback answered {status}")
        raise ConnectionError(f"chat callback answered {status}; the stream will retry")
