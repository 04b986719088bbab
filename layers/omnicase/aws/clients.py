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


@cache
def s3_signer(endpoint_url: str | None) -> Any:
    """An S3 client that presigns with Signature V4 (AWS refuses V2 on new buckets), at the endpoint browsers reach
    S3 at when it is not AWS's (the local runtime)."""
    import boto3
    from botocore.config import Config

    from omnicase.settings import get_settings

    region = get_settings().region
    if endpoint_url is None:
        # The bucket's regional host (https://<bucket>.s3.<region>.amazonaws.com): boto3 would sign for the global
        # one, which redirects for a new bucket outside us-east-1 (a browser's upload does not follow) and is not
        # the origin the console's Content-Security-Policy names.
        regional = Config(s3={"us_east_1_regional_endpoint": "regional"})
        endpoint_url = boto3.client("s3", region_name=region, config=regional).meta.endpoint_url
        config = Config(signature_version="s3v4", retries=RETRIES, s3={"addressing_style": "virtual"})
    else:
        config = Config(signature_version="s3v4", retries=RETRIES)
    return boto3.client("s3", region_name=region, endpoint_url=endpoint_url, config=config)


def reset_clients() -> None:
    """Forget cached clients (tests switch endpoints between runs)."""
    client.cache_clear()
    s3_signer.cache_clear()
