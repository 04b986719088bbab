"""boto3 clients, created on first use and reused by the warm Lambda container."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def client(service: str) -> Any:
    """A shared boto3 client; boto3 is imported here so handlers that never call AWS do not pay for it."""
    import boto3

    from omnicase.settings import get_settings

    return boto3.client(service, region_name=get_settings().region)


def reset_clients() -> None:
    """Forget cached clients (tests switch endpoints between runs)."""
    client.cache_clear()
