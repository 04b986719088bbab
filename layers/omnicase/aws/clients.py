"""boto3 clients, created on first use and reused by the warm Lambda container."""

from __future__ import annotations

from functools import cache
from typing import Any

# botocore's standard retry mode (as pynamodb's client uses): throttling, 5xx and transient errors are retried
# with backoff before a handler sees them; what still fails raises, so Lambda's own retry and DLQ take over.
RETRIES = {"mode": "standard", "max_attempts": 3}


@cache
def client(service: str) -> Any:
    """A shared boto3 client; boto3 is imported here so handlers that never call AWS do not pay for it."""
    import boto3
    from botocore.config import Config

    from omnicase.settings import get_settings

    return boto3.client(service, region_name=get_settings().region, config=Config(retries=RETRIES))


def reset_clients() -> None:
    """Forget cached clients (tests switch endpoints between runs)."""
    client.cache_clear()
