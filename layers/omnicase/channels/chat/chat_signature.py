"""The chat webhook signature: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>`, with a freshness window."""

from __future__ import annotations

import hashlib
import hmac

from omnicase.channels.chat.errors import ChatRejected

PREFIX = "sha256="


def chat_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a sender puts in X-Omnicase-Signature for this timestamp and body."""
    message = f"{timestamp}.".encode() + body
    return PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_chat_request(
    secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    *,
    now: float,
    tolerance_seconds: int = 300,
) -> None:
    """Raise ChatRejected unless the signature matches and the timestamp is within the window (past or future)."""
    if not (timestamp_header or "").strip() or not (signature_header or "").strip():
        raise ChatRejected("missing-signature", "the request has no signature or timestamp header")
    timestamp = (timestamp_header or "").strip()
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise ChatRejected("bad-signature", f"the timestamp {timestamp[:20]!r} is not Unix seconds")
    # The window bounds replays; a timestamp far ahead is as suspect as one far behind.
    if abs(now - int(timestamp)) > tolerance_seconds:
        raise ChatRejected("stale", f"the timestamp is more than {tolerance_seconds}s away from now")
    expected = chat_signature(secret, timestamp, body).encode()
    presented = (signature_header or "").strip().encode("ascii", "replace")
    if not hmac.compare_digest(expected, presented):
        raise ChatRejected("bad-signature", "the signature does not match the body")
