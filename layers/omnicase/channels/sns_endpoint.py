"""An HTTPS endpoint subscribed to an SNS topic of two-way SMS: verify, then confirm or take in."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from omnicase.channels.sms_intake import SmsIntake
from omnicase.channels.sns_signature import SnsSignatureInvalid, verify_sns_message
from omnicase.domain.errors import RejectedInput

SNS_HOST = re.compile(r"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")
MAX_BODY = 256 * 1024
FETCH_LIMIT = 64 * 1024


def https_get(url: str) -> bytes:
    """GET with a short timeout and a size cap (certificates, subscription confirmations)."""
    with urllib.request.urlopen(url, timeout=5) as response:  # only SNS https URLs reach here
        return response.read(FETCH_LIMIT)


@dataclass
class SnsEndpoint:
    sms: SmsIntake
    fetch_certificate: Callable[[str], bytes]
    confirm_subscription: Callable[[str], bytes] = https_get

    def receive(self, body: bytes) -> str:
        """Verify the SNS signature before trusting anything, then act on the message type."""
        if len(body) > MAX_BODY:
            raise RejectedInput("too-large", f"SNS message over {MAX_BODY} bytes")
        try:
            message = json.loads(body)
        except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError; "[[[[…" recurses
            raise RejectedInput("malformed", f"not an SNS JSON message: {error}") from error
        if not isinstance(message, dict):
            raise RejectedInput("malformed", "not an SNS JSON message")
        try:
            verify_sns_message(message, fetch_certificate=self.fetch_certificate)
        except SnsSignatureInvalid as invalid:
            raise RejectedInput("bad-signature", str(invalid)) from invalid
        kind = message.get("Type")
        if kind == "SubscriptionConfirmation":
            return self._confirm(str(message.get("SubscribeURL", "")))
        if kind != "Notification":
            return "ignored"
        sent = datetime.fromisoformat(str(message["Timestamp"]).replace("Z", "+00:00"))
        outcome = self.sms.receive_pinpoint(str(message["Message"]), received_at=sent)
        return "duplicate" if outcome.duplicate else "stored"

    def _confirm(self, subscribe_url: str) -> str:
        parts = urlsplit(subscribe_url)
        if parts.scheme != "https" or not SNS_HOST.match(parts.hostname or "") or parts.port or parts.username:
            raise RejectedInput("malformed", "SubscribeURL is not an SNS https URL")
        self.confirm_subscription(subscribe_url)
        return "subscription-confirmed"
