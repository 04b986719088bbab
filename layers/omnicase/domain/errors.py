"""Domain failures, named for what went wrong; the edges map them to HTTP codes or retries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from omnicase.domain.model import Case


class OmnicaseError(Exception):
    """Base of every domain failure."""


class NotFound(OmnicaseError):
    """The item does not exist for this tenant (other tenants' items are 'not found' too)."""


class Gone(OmnicaseError):
    """The item existed but is no longer available (a quarantined or removed attachment)."""

    reason = "gone"  # answered as 410 by the API's one error map


class UnknownRecipient(OmnicaseError):
    """No tenant receives mail at any of the message's recipients."""


class ConcurrentUpdate(OmnicaseError):
    """Someone else changed the item first (version or condition mismatch); retry with fresh data."""


class StaleVersion(ConcurrentUpdate):
    """The case is no longer at the version the agent decided on; `current` is the case as it is now."""

    def __init__(self, message: str, current: Case) -> None:
        super().__init__(message)
        self.current = current


class DuplicateDelivery(OmnicaseError):
    """The provider delivered a message that is already stored."""


class InvalidCursor(OmnicaseError):
    """A pagination cursor that was not issued to this tenant or query."""


class Unauthorized(OmnicaseError):
    """Missing or unknown credentials."""


class PermanentDeliveryFailure(OmnicaseError):
    """The provider refused the message for good (bad address, unverified sender): retrying cannot help."""


class SendInProgress(OmnicaseError):
    """Another attempt is sending this message now: retry later, when it has recorded its result."""


class RejectedInput(OmnicaseError):
    """A webhook request we refuse, with a reason code the edge turns into a 4xx (see api/errors.py)."""

    def __init__(self, reason: str, message: str = "", details: Mapping[str, object] | None = None) -> None:
        super().__init__(message or reason)
        self.reason = reason
        self.details = dict(details or {})  # JSON-safe fields the answer carries beside Code and Message


class Forbidden(OmnicaseError):
    """Known credentials whose role may not do this (inside their own tenant only: other tenants are NotFound)."""


class RateLimited(OmnicaseError):
    """Too many requests with one credential in the current window; try again after `retry_after_seconds`."""

    def __init__(self, retry_after_seconds: int, message: str = "") -> None:
        super().__init__(message or f"rate limit reached; retry after {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds


class Unavailable(OmnicaseError):
    """Something the request depends on cannot be reached now (not the caller's fault); retry after a while."""

    def __init__(self, retry_after_seconds: int, message: str = "") -> None:
        super().__init__(message or f"temporarily unavailable; retry after {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds


class TooLong(RejectedInput):
    """A value over its documented limit (a key part in UTF-8 bytes, or text an agent wrote): 400 naming the field."""

    def __init__(self, field: str, size: int, limit: int, unit: str = "characters") -> None:
        message = f"{field}: {size:,} {unit}; at most {limit:,} {unit}"
        super().__init__("too-long", message, {"field": field, "limit": limit, "unit": unit})
        self.field = field
