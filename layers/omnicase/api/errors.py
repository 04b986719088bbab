"""Domain failures → HTTP answers with a reason, in one place; no stack trace ever reaches a caller."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import BadRequestError, ChaliceViewError, NotFoundError, Response, UnauthorizedError

from omnicase.domain.errors import ConcurrentUpdate, InvalidCursor, NotFound, Unauthorized

logger = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., Any])

_STATUS_OF: tuple[tuple[type[Exception], type[ChaliceViewError]], ...] = (
    (NotFound, NotFoundError),
    (Unauthorized, UnauthorizedError),
    (InvalidCursor, BadRequestError),
    (ValueError, BadRequestError),  # pydantic's ValidationError is a ValueError too
)


def http_errors(view: View) -> View:
    """Wraps a Chalice view: known failures become 4xx with a reason, anything else a bare 500."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except ChaliceViewError:
            raise
        except ConcurrentUpdate as error:
            return Response(status_code=409, body={"Code": "Conflict", "Message": str(error)})
        except Exception as error:
            for failure, answer in _STATUS_OF:
                if isinstance(error, failure):
                    raise answer(str(error)) from error
            logger.exception("unhandled error in %s", view.__name__)
            return Response(status_code=500, body={"Code": "InternalError", "Message": "internal error"})

    return wrapper  # type: ignore[return-value]
