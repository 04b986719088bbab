"""Domain failures → HTTP answers with a reason, in one place; no stack trace ever reaches a caller."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from chalice import BadRequestError, ChaliceViewError, ForbiddenError, NotFoundError, Response, UnauthorizedError

from omnicase.domain.errors import (
    ConcurrentUpdate,
    Forbidden,
    InvalidCursor,
    NotFound,
    RateLimited,
    StaleVersion,
    Unauthorized,
    Unavailable,
)

logger = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., Any])

_STATUS_OF: tuple[tuple[type[Exception], type[ChaliceViewError]], ...] = (
    (NotFound, NotFoundError),
    (Unauthorized, UnauthorizedError),
    (Forbidden, ForbiddenError),
    (InvalidCursor, BadRequestError),
    (ValueError, BadRequestError),  # pydantic's ValidationError is a ValueError too
)

# Rejections of channel input carry a reason code (RejectedInput, SmsRejected, ChatRejected, WechatRejected).
# A replayed signature and a plaintext push to a safe-mode WeChat account are refused like a forged signature.
SIGNATURE_REASONS = frozenset(
    {"bad-signature", "missing-signature", "stale", "wrong-app-id", "replayed", "plaintext-refused"}
)
_REASON_STATUS = {
    "malformed": 400,
    "too-long": 400,
    "invalid-sender": 400,
    "too-deep": 400,
    "xml-attack": 400,
    "too-large": 413,
    "unknown-endpoint": 404,
    "unknown-message": 404,
    "opted-out": 409,
    "invalid-transition": 409,
    "already-assigned": 409,
    "blocked-phrase": 422,
    # A reply's files (omnicase.attachments.errors.REFUSALS): not on this channel, too large, refused type, missing.
    "files-not-carried": 422,
    "attachment-too-large": 422,
    "attachment-type-refused": 422,
    "too-many-attachments": 422,
    "upload-missing": 422,
    "text-not-carried": 422,  # a text to a phone case when the tenant has no SMS number
    "idempotency-key-reused": 422,  # POST /cases: a used key with a different request
    "gone": 410,
}


def http_errors(view: View | None = None, *, signature_status: int = 403) -> Any:
    """Wraps a Chalice view: known failures become 4xx with a reason, anything else a bare 500.

    `signature_status` is what a failed signature answers (Twilio and WeChat expect 403, our chat API 401).
    """

    def decorate(inner: View) -> View:
        @functools.wraps(inner)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return inner(*args, **kwargs)
            except ChaliceViewError:
                raise
            except ConcurrentUpdate as error:
                return _answer(409, "Conflict", str(error), _current_case(error))
            except RateLimited as error:
                return _retry_later(429, "TooManyRequests", error)
            except Unavailable as error:
                logger.warning("%s could not be served now: %s", inner.__name__, error)  # no stack: not our bug
                return _retry_later(503, "ServiceUnavailable", error)
            except Exception as error:
                return _map(error, inner.__name__, signature_status)

        return wrapper  # type: ignore[return-value]

    return decorate(view) if view is not None else decorate


def rejection(error: Exception, where: str) -> Response:
    """The answer to a refused request outside a view (the edge's request guards), mapped like a view's."""
    return _map(error, where, 403)


def _map(error: Exception, view_name: str, signature_status: int) -> Response:
    reason = getattr(error, "reason", None)
    if isinstance(reason, str) and (reason in SIGNATURE_REASONS or reason in _REASON_STATUS):
        status = signature_status if reason in SIGNATURE_REASONS else _REASON_STATUS[reason]
        logger.warning("rejected request in %s: %s (%s)", view_name, reason, error)
        return _answer(status, reason, str(error), getattr(error, "details", None))
    for failure, answer in _STATUS_OF:
        if isinstance(error, failure):
            raise answer(str(error)) from error
    logger.exception("unhandled error in %s", view_name)
    return _answer(500, "InternalError", "internal error")


def _retry_later(status: int, code: str, error: RateLimited | Unavailable) -> Response:
    # Retry-After tells well-behaved clients when to come back instead of hammering us.
    return Response(
        status_code=status,
        body={"Code": code, "Message": str(error)},
        headers={"Retry-After": str(error.retry_after_seconds)},
    )


def _current_case(error: ConcurrentUpdate) -> dict[str, Any] | None:
    """A stale PATCH answers the case as it is now, so the console can show what changed."""
    if not isinstance(error, StaleVersion):
        return None
    from omnicase.api.views import case_view

    return {"case": case_view(error.current)}


def _answer(status: int, code: str, message: str, details: Mapping[str, Any] | None = None) -> Response:
    # Code and Message last: details never replace them.
    return Response(status_code=status, body={**(details or {}), "Code": code, "Message": message})
