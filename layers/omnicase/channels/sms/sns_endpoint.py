"""An HTTPS endpoint subscribed to an SNS topic of two-way SMS: verify, then confirm or take in."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from omnicase.channels.sms.intake import SmsIntake
from omnicase.channels.sns_signature import SnsCertificateUnavailable, SnsSignatureInvalid, verify_sns_message
from omnicase.domain.errors import RejectedInput, Unavailable

SNS_HOST = re.compile(r"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")
MAX_BODY = 256 * 1024
FETCH_LIMIT = 64 * 1024
CERTIFICATE_RETRY_SECONDS = 30  # SNS retries by its delivery policy; other callers read Retry-After


def https_get(url: str) -> bytes:
    """GET with a short timeout and a size cap (certificates, subscription confirmations)."""
    with urllib.request.urlopen(url, timeout=5) as response:  # only SNS https URLs reach here
        return response.read(FETCH_LIMIT)


def fetch_certificate(url: str) -> bytes:
    """The signing certificate at a checked SNS URL: SNS answering 4xx means a forgery, any other failure a retry."""
    try:
        return https_get(url)
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500:
            raise SnsSignatureInvalid(f"SNS serves no certificate at {url[:200]!r} (HTTP {error.code})") from None
        raise SnsCertificateUnavailable(f"HTTP {error.code} from {url[:200]!r}") from None
    except (OSError, http.client.HTTPException) as error:  # URLError, timeouts and TLS errors are OSErrors
        raise SnsCertificateUnavailable(f"{type(error).__name__} fetching {url[:200]!r}") from None


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
        sent = _timestamp(message.get("Timestamp"))  # shape first: nothing is fetched for a malformed message
        try:
            verify_sns_message(message, fetch_certificate=self.fetch_certificate)
        except SnsSignatureInvalid as invalid:
            raise RejectedInput("bad-signature", str(invalid)) from invalid
        except SnsCertificateUnavailable as down:
            raise Unavailable(CERTIFICATE_RETRY_SECONDS, f"SNS signing certificate unavailable: {down}") from None
        kind = message.get("Type")
        if kind == "SubscriptionConfirmation":
            return self._confirm(str(message.get("SubscribeURL", "")))
        if kind != "Notification":
            return "ignored"
        outcome = self.sms.receive_pinpoint(str(message["Message"]), received_at=sent)
        return "duplicate" if outcome.duplicate else "stored"

    def _confirm(self, subscribe_url: str) -> str:
        parts = urlsplit(subscribe_url)
        if parts.scheme != "https" or not SNS_HOST.match(parts.hostname or "") or parts.port or parts.username:
            raise RejectedInput("malformed", "SubscribeURL is not an SNS https URL")
        self.confirm_subscription(subscribe_url)
        return "subscription-confirmed"


def _timestamp(value: Any) -> datetime:
    try:
        sent = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None
    except ValueError:
        sent = None
    if sent is None or sent.tzinfo is None:
        raise RejectedInput("malformed", "SNS Timestamp is not an ISO 8601 time with a zone")
    return sent
