"""Twilio's X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted form parameters (or the body's SHA-256)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"https": 443, "http": 80}


def twilio_signature(auth_token: str, url: str, params: Mapping[str, Sequence[str]]) -> str:
    """The signature Twilio sends for a request to `url` with these form parameters."""
    parts = [url]
    for key in sorted(params):
        values = params[key]
        for value in sorted({values} if isinstance(values, str) else set(values)):
            parts.append(key + value)
    message = "".join(parts).encode("utf-8", "surrogatepass")
    digest = hmac.new(auth_token.encode("utf-8", "surrogatepass"), message, hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def twilio_signature_valid(auth_token: str, url: str, params: Mapping[str, Sequence[str]], signature: str) -> bool:
    """Whether `signature` matches the URL as given, with its port removed or with the default port added."""
    presented = _ascii(signature)
    # Check every variant (no early exit) so the timing does not tell which one matched.
    matches = [
        hmac.compare_digest(_ascii(twilio_signature(auth_token, u, params)), presented) for u in url_variants(url)
    ]
    return any(matches)


def url_variants(url: str) -> tuple[str, ...]:
    """The URL as given plus Twilio's port variants: any port removed, or the scheme's default port added."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return (url,)
    if port is not None:
        host = parts.netloc.rpartition(":")[0]
        return (url, urlunsplit(parts._replace(netloc=host)))
    default = _DEFAULT_PORTS.get(parts.scheme.lower())
    if default is None or not parts.netloc:
        return (url,)
    return (url, urlunsplit(parts._replace(netloc=f"{parts.netloc}:{default}")))


def _ascii(text: str) -> bytes:
    # compare_digest refuses non-ASCII str; no valid signature or hex digest contains "?".
    return text.encode("ascii", "replace")
