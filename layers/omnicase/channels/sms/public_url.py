"""The public URL a provider signed, rebuilt from what API Gateway hands the Lambda."""

from __future__ import annotations

import re
from collections.abc import Mapping

from omnicase.channels.sms.errors import SmsRejected

_EXECUTE_API = re.compile(r"^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")
_DEFAULT_PORTS = {"https": "443", "http": "80"}


def public_url(
    headers: Mapping[str, str], path: str, query: str, *, stage: str | None, base_url: str | None = None
) -> str:
    """Scheme, host, port, stage prefix, path and the query exactly as received."""
    suffix = "/" + path.lstrip("/") + (f"?{query}" if query else "")
    if base_url:
        # A configured public base (custom domain, tunnel) is the only reliable answer behind proxies.
        return base_url.rstrip("/") + suffix
    lower = {k.lower(): v for k, v in headers.items()}
    scheme = _first(lower.get("x-forwarded-proto")).lower() or "https"
    host = _first(lower.get("host"))
    if not host:
        raise SmsRejected("malformed", "no Host header to rebuild the signed URL from")
    port = _first(lower.get("x-forwarded-port"))
    if port and ":" not in host.rpartition("]")[2] and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"  # a Host that already names its port is kept as the client sent it
    hostname = host.partition(":")[0].lower()  # an IPv6 literal never looks like execute-api
    # Custom domains map the stage away; only the execute-api hostname keeps /<stage> in the path.
    if stage and stage != "$default" and _EXECUTE_API.match(hostname):
        suffix = f"/{stage}{suffix}"
    return f"{scheme}://{host}{suffix}"


def _first(value: str | None) -> str:
    # Proxies chaining X-Forwarded-* append ", <next hop>"; the first value is the client-facing one.
    return (value or "").split(",")[0].strip()
