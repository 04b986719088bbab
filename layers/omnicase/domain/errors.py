"""Domain failures, named for what went wrong; the edges map them to HTTP codes or retries."""


class OmnicaseError(Exception):
    """Base of every domain failure."""


class NotFound(OmnicaseError):
    """The item does not exist for this tenant (other tenants' items are 'not found' too)."""


class UnknownRecipient(OmnicaseError):
    """No tenant receives mail at any of the message's recipients."""


class ConcurrentUpdate(OmnicaseError):
    """Someone else changed the item first (version or condition mismatch); retry with fresh data."""


class DuplicateDelivery(OmnicaseError):
    """The provider delivered a message that is already stored."""


class InvalidCursor(OmnicaseError):
    """A pagination cursor that was not issued to this tenant or query."""


class Unauthorized(OmnicaseError):
    """Missing or unknown credentials."""


class PermanentDeliveryFailure(OmnicaseError):
    """The provider refused the message for good (bad address, unverified sender): retrying cannot help."""


class RejectedInput(OmnicaseError):
    """A webhook request we refuse, with a reason code the edge turns into a 4xx (see api/errors.py)."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


class Forbidden(OmnicaseError):
    """Known credentials whose role may not do this (inside their own tenant only: other tenants are NotFound)."""


class RateLimited(OmnicaseError):
    """Too many requests with one credential in the current window; try again after `retry_after_seconds`."""

    def __init__(self, retry_after_seconds: int, message: str = "") -> None:
        super().__init__(message or f"rate limit reached; retry after {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds
