"""WeChat Official Account pushes → InboundMessage (the openid is the identity); URL verification echo."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from omnicase.channels.receive_message import MessageIntake
from omnicase.channels.replay_guard import ReplayGuard, signed_use, used_once
from omnicase.channels.wechat.message_crypto import WechatCrypto
from omnicase.channels.wechat.verify_request import open_push, verify_echo
from omnicase.channels.wechat.wechat_push import WechatPush
from omnicase.domain.errors import RejectedInput
from omnicase.domain.inbound import InboundMessage
from omnicase.domain.ingest_message import IngestOutcome
from omnicase.domain.model import Attachment, Channel, Tenant
from omnicase.secrets import MissingSecret, TenantSecrets

ACCOUNT_PARAM = "account"  # configured URL: /webhooks/wechat?account=<the account's original id, gh_…>
CONSENT_EVENTS = {"unsubscribe": "stop", "subscribe": "start"}


@dataclass
class WechatIntake:
    intake: MessageIntake
    secrets: TenantSecrets
    guard: ReplayGuard
    clock: Callable[[], float] = time.time

    def echo(self, query: Mapping[str, str]) -> str:
        """The GET URL verification: echostr back when the signature is the account's."""
        _, token, crypto = self._account(query)
        return verify_echo(query, token=token, crypto=crypto)

    def receive(self, query: Mapping[str, str], body: bytes) -> IngestOutcome:
        """A push in plaintext or safe (AES) mode, verified and decrypted, stored on the openid's case."""
        tenant, token, crypto = self._account(query)
        # The signature covers the timestamp: outside the window a captured request is a replay, refused.
        push = open_push(query, body, token=token, crypto=crypto, now=self.clock())
        account = query[ACCOUNT_PARAM].strip()
        if crypto is not None:  # safe mode: msg_signature covers the ciphertext, so a replay is the same push
            return self.intake.receive(_inbound(push, tenant.tenant_id, account), tenant)
        # Plaintext: the signature covers no body; its (timestamp, nonce) may carry this body only.
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        with used_once(self.guard, signed_use(tenant.tenant_id, "wechat", account, timestamp, nonce, body)):
            return self.intake.receive(_inbound(push, tenant.tenant_id, account), tenant)

    def _account(self, query: Mapping[str, str]) -> tuple[Tenant, str, WechatCrypto | None]:
        account = query.get(ACCOUNT_PARAM, "").strip()
        if not account:
            raise RejectedInput("malformed", f"the webhook URL needs ?{ACCOUNT_PARAM}=<official account id>")
        tenant = self.intake.tenant_for("wechat", account)
        token = self.secrets.get(tenant.tenant_id, "wechat_token")
        try:
            aes_key = self.secrets.get(tenant.tenant_id, "wechat_encoding_aes_key")
            app_id = self.secrets.get(tenant.tenant_id, "wechat_app_id")
        except MissingSecret:
            return tenant, token, None  # plaintext mode only
        return tenant, token, WechatCrypto(token, aes_key, app_id)


def _inbound(push: WechatPush, tenant_id: str, account: str) -> InboundMessage:
    text = push.text_for_case
    return InboundMessage(
        tenant_id=tenant_id,
        channel=Channel.WECHAT,
        provider_message_id=push.dedupe_key,
        received_at=datetime.fromtimestamp(push.create_time, UTC),
        sender_address=push.from_user,
        recipient=account,
        body_text=text,
        preview=text[:500],
        kind="human" if push.msg_type != "event" else "event",
        keyword=CONSENT_EVENTS.get((push.event or "").lower()) if push.msg_type == "event" else None,
        attachments=_media(push),
    )


# What each media push holds, as WeChat serves it from media/get: images JPEG, voice AMR (or Format), video MP4.
_MEDIA_KINDS = {"image": ("jpg", "image/jpeg"), "voice": ("amr", "audio/amr"), "video": ("mp4", "video/mp4")}


def _media(push: WechatPush) -> tuple[Attachment, ...]:
    """The push's media, kept by its MediaId (valid 3 days) until the fetch step stores the bytes (fetch_media)."""
    kind = "video" if push.msg_type == "shortvideo" else push.msg_type
    if kind not in _MEDIA_KINDS or not push.media_id:
        return ()
    extension, content_type = _MEDIA_KINDS[kind]
    if kind == "voice" and push.format and push.format.lower() in ("amr", "mp3", "speex"):
        extension = push.format.lower()
        content_type = {"amr": "audio/amr", "mp3": "audio/mpeg", "speex": "audio/speex"}[extension]
    name = f"{kind}-{push.msg_id or push.create_time}.{extension}"
    return (Attachment(name, content_type, 0, "", url=push.pic_url or None, media_id=push.media_id),)
