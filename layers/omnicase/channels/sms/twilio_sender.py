"""Outbound SMS from a tenant's Twilio number through Twilio's Messages API, never to a number that opted out.

Credentials are the tenant's secret (`omnicase/<tenant>`): `twilio_account_sid` with `twilio_auth_token` (the token
inbound signatures are checked with), or an API key (`twilio_api_key_sid`, `twilio_api_key_secret`) when set.
Each message asks for its status callback at `/webhooks/sms/twilio/status?tenant=…&case=…&message=…`: the query,
signed by Twilio like the rest of the request, names the message the callback is about.

An agent's files go as MMS: one `MediaUrl` per file, a presigned GET of the uploaded object that Twilio fetches
when it sends the message. Each link lives MEDIA_LINK_SECONDS and the message asks for the same `ValidityPeriod`:
a message still in Twilio's queue when its links die fails (error 30036, reported by the status callback) instead
of Twilio fetching a dead link. Four hours covers any queue a support reply meets (a long code sends one segment
a second) and stays within the signing role session's lifetime, which ends a presigned link whatever it says.

Twilio answers STOP itself and then refuses the number with 21610. That refusal is recorded as the number's opt-out
(as an inbound STOP would be): later replies and surveys stop here without calling Twilio, and a START forwarded by
Twilio lifts it through the usual keyword intake.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlencode

from omnicase.channels.sms.recipient import textable_number
from omnicase.channels.sms.twilio_api import TwilioCredentials, TwilioMessages, TwilioRefusal
from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Message, Tenant
from omnicase.secrets import MissingSecret, TenantSecrets

STATUS_CALLBACK_PATH = "/webhooks/sms/twilio/status"
PROVIDER_PREFIX = "twilio:"  # provider_message_id of a message Twilio took: "twilio:SM…", as inbound ones
# An HTTP 400 is a request Twilio will never take (21211 invalid To, 21610 unsubscribed recipient, 21612 cannot
# route, 21614 not a mobile number, 21408 region not enabled, 21606 From not this account's). 401/403/404 are our
# account or credentials: retried, then kept in the on-failure queue for `omnicase replay` once fixed, as SNS's
# authorization errors are. 429 and 5xx are retried.
PERMANENT_STATUSES = frozenset({400, 413, 422})
UNSUBSCRIBED = 21610
MEDIA_LINK_SECONDS = 4 * 3600


class MediaLinks(Protocol):
    def media_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str: ...


class Consent(Protocol):
    def opted_out(self, tenant_id: str, channel: str, address: str) -> bool: ...

    def record_opt_out(self, tenant_id: str, channel: str, address: str, case_id: str) -> bool: ...


class TwilioSmsSender:
    """OutboundSender for SMS from a Twilio number."""

    def __init__(
        self,
        consent: Consent,
        secrets: TenantSecrets,
        messages: TwilioMessages,
        callback_base: str | None,
        files: MediaLinks | None = None,
    ) -> None:
        self._consent, self._secrets, self._messages = consent, secrets, messages
        self._callback_base, self._files = callback_base, files

    def send(self, message: Message, tenant: Tenant) -> str:
        number = textable_number(message, tenant.tenant_id, self._consent)
        media = self._media_urls(message)
        try:
            sid = self._messages.create(
                self._credentials(tenant.tenant_id),
                to=number,
                from_=message.sender or "",
                body=message.body_text,
                status_callback=self._status_callback(message),
                media_urls=media,
                validity_period=MEDIA_LINK_SECONDS if media else None,
            )
        except TwilioRefusal as refusal:
            if refusal.status in PERMANENT_STATUSES:
                why = self._unsubscribed(message, tenant, number) if refusal.code == UNSUBSCRIBED else ""
                raise PermanentDeliveryFailure(f"{refusal}{why}") from refusal
            raise
        return PROVIDER_PREFIX + sid

    def _unsubscribed(self, message: Message, tenant: Tenant, number: str) -> str:
        """Twilio keeps its own STOP list: copy it into ours, so later sends stop here and surveys skip the number."""
        if self._consent.record_opt_out(tenant.tenant_id, "sms", number, message.case_id):
            return " (the recipient unsubscribed: STOP at Twilio; recorded as an opt-out, nothing is sent until START)"
        return " (the recipient unsubscribed: STOP at Twilio)"

    def _media_urls(self, message: Message) -> list[str]:
        if not message.attachments:
            return []
        if self._files is None:
            raise PermanentDeliveryFailure("this sender has no access to the attachments' bucket")
        return [
            self._files.media_url(a.s3_key, a.filename, a.content_type, MEDIA_LINK_SECONDS) for a in message.attachments
        ]

    def _credentials(self, tenant_id: str) -> TwilioCredentials:
        account = self._secrets.get(tenant_id, "twilio_account_sid")
        try:
            key_sid = self._secrets.get(tenant_id, "twilio_api_key_sid")
            return TwilioCredentials(account, key_sid, self._secrets.get(tenant_id, "twilio_api_key_secret"))
        except MissingSecret:
            return TwilioCredentials(account, account, self._secrets.get(tenant_id, "twilio_auth_token"))

    def _status_callback(self, message: Message) -> str | None:
        base = self._callback_base
        if not base:
            return None  # no public URL known: the message stays "sent"
        query = urlencode({"tenant": message.tenant_id, "case": message.case_id, "message": message.message_id})
        return f"{base.rstrip('/')}{STATUS_CALLBACK_PATH}?{query}"
