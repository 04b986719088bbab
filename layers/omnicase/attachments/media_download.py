"""GET a customer's media from where the provider keeps it: public https only (every redirect checked again),
credentials only to the provider's own host, at most `max_bytes` read."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from omnicase.attachments.media_result import Downloaded, MediaRefused
from omnicase.channels.outbound_url import Resolver, host_addresses, resolved_url_problem

TIMEOUT_SECONDS = 10
MAX_REDIRECTS = 3  # Twilio answers media with a redirect to its storage
RETRYABLE = frozenset({408, 425, 429})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # each hop is checked before it is followed


_opener = urllib.request.build_opener(_NoRedirects)


@dataclass(frozen=True)
class MediaDownloader:
    allow_loopback: bool = False  # the local runtime and tests serve media on 127.0.0.1
    resolve: Resolver = host_addresses

    def get(self, url: str, max_bytes: int, credentials: tuple[str, str] | None = None) -> Downloaded:
        """The body and its type; MediaRefused for good, OSError (network, 5xx) to be retried."""
        first_host = urlsplit(url).hostname
        for _ in range(MAX_REDIRECTS + 1):
            problem = resolved_url_problem(url, allow_loopback=self.allow_loopback, resolve=self.resolve)
            if problem:
                raise MediaRefused("url-refused", problem)
            headers = {"User-Agent": "omnicase-media/1"}
            if credentials and urlsplit(url).hostname == first_host:
                token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode()
                headers["Authorization"] = f"Basic {token}"
            status, location, answer = _get(url, headers, max_bytes)
            if 300 <= status < 400 and location:
                url = urljoin(url, location)
                continue
            return _checked(status, answer, max_bytes)
        raise MediaRefused("too-many-redirects", f"more than {MAX_REDIRECTS} redirects")


def _get(url: str, headers: dict[str, str], max_bytes: int) -> tuple[int, str | None, Downloaded | None]:
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:  # URL checked by the caller first
            content_type = (response.headers.get_content_type() or "application/octet-stream").lower()
            return int(response.status), None, Downloaded(content_type, response.read(max_bytes + 1))
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location") if error.headers else None
        error.close()
        return int(error.code), location, None


def _checked(status: int, answer: Downloaded | None, max_bytes: int) -> Downloaded:
    if status >= 500 or status in RETRYABLE:
        raise ConnectionError(f"media answered {status}; retried")
    if answer is None or not 200 <= status < 300:
        raise MediaRefused("unreachable", f"media answered {status}")
    if len(answer.data) > max_bytes:
        raise MediaRefused("too-large", f"over {max_bytes:,} bytes")
    return answer
