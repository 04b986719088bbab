"""Per-token fixed-window request limit on DynamoDB: floods get 429 with Retry-After, not our capacity."""

from __future__ import annotations

import logging
import os
import time
from datetime import UTC, datetime

from pynamodb.exceptions import UpdateError

from omnicase.domain.errors import RateLimited
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import RateWindowItem

logger = logging.getLogger(__name__)

DEFAULT_PER_MINUTE = 600
WINDOW_SECONDS = 60
LIMIT_ENV = "API_RATE_LIMIT_PER_MINUTE"
_KEEP_SECONDS = 2 * WINDOW_SECONDS  # a window's counter is useless once it is over; TTL removal may lag anyway


def _clock() -> float:
    return time.time()  # wall clock: windows must line up across containers


def limit_per_minute() -> int:
    """From the environment on every call (cheap), so an operator change needs no code path to re-read it."""
    raw = os.environ.get(LIMIT_ENV, "").strip()
    if not raw:
        return DEFAULT_PER_MINUTE
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        logger.warning("%s=%r is not a positive integer; using %d", LIMIT_ENV, raw, DEFAULT_PER_MINUTE)
        return DEFAULT_PER_MINUTE
    return value


def check_rate(tenant_id: str, token_hash: str) -> None:
    """Count one request of the token; RateLimited once the window's limit is reached.

    Exactly one DynamoDB request per API call: a conditional ADD both counts and checks, so there is no read first
    (and concurrent requests cannot both take the last slot). Refused requests are not counted.
    """
    now = _clock()
    window_start = int(now) - int(now) % WINDOW_SECONDS
    limit = limit_per_minute()
    item = RateWindowItem(*keys.rate_window_key(tenant_id, token_hash, window_start))
    try:
        item.update(
            actions=[
                RateWindowItem.request_count.add(1),
                RateWindowItem.item_type.set(RateWindowItem),
                RateWindowItem.tenant_id.set(tenant_id),
                RateWindowItem.expires_at.set(datetime.fromtimestamp(window_start + _KEEP_SECONDS, UTC)),
            ],
            condition=RateWindowItem.request_count.does_not_exist() | (RateWindowItem.request_count < limit),
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            retry_after = max(1, window_start + WINDOW_SECONDS - int(now))
            raise RateLimited(
                retry_after, f"more than {limit} requests a minute; retry after {retry_after}s"
            ) from error
        _fail_open(error)
    except Exception as error:  # botocore's own failures (timeouts, throttling) are not PynamoDB's
        _fail_open(error)


def _fail_open(error: Exception) -> None:
    # The limiter protects the API; an outage of its counter must not become an outage of the API.
    logger.exception("rate limiter unavailable, request allowed: %s", error)
