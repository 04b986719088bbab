"""Why an inbound SMS request could not be taken in; the edge maps `reason` to a 4xx."""

from __future__ import annotations


class SmsRejected(Exception):
    """An SMS webhook payload we refuse; `reason` is a short machine-readable code (malformed, too-large, ...)."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason
