"""Why a raw email could not be taken in at all; the caller quarantines the raw bytes."""

from __future__ import annotations


class EmailRejected(Exception):
    """The raw bytes cannot become a ParsedEmail; `reason` is a short machine-readable code."""

    reason = "rejected"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.reason)
        self.detail = detail


class EmailTooLarge(EmailRejected):
    """The raw mail is larger than the configured maximum."""

    reason = "too-large"


class NotAnEmail(EmailRejected):
    """The bytes carry no RFC 5322 header block at all (binary, JSON, empty, ...)."""

    reason = "not-mime"
