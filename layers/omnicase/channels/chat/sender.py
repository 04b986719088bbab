"""Outbound chat: POST each reply to the tenant's callback URL, signed like inbound chat, one delivery id."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Protocol

from omnicase.channels.case_webhook_sender import post_without_redirects
from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.channels.outbound_url import Resolver, host_addresses, resolved_url_problem
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message, Tenant
from omnicase.secrets import TenantSecrets

Transport = Callable[[str, bytes, Mapping[str, str]], int]
RETRYABLE = frozenset({408, 425, 429})
# An agent's files go as presigned download links; the widget's backend should fetch them on receipt. A link signed
# with a Lambda role's session dies with the session (hours), whatever its own lifetime says.
LINK_SECONDS = 24 * 3600


class FileLinks(Protocol):
    def download_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str: ...


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
        files: FileLinks | None = None,
    ) -> None:
        self._secrets, self._transport, self._clock = secrets, transport, clock
        self._allow_loopback, self._resolve, self._files = allow_loopback, resolve, files

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
                **({"attachments": self._links(message)} if message.attachments else {}),
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

    def _links(self, message: Message) -> list[dict[str, object]]:
        if self._files is None:
            raise PermanentDeliveryFailure("this sender has no access to the attachments' bucket")
        return [
            {
                "name": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "url": self._files.download_url(a.s3_key, a.filename, a.content_type, LINK_SECONDS),
            }
            for a in message.attachments
        ]
