"""Twilio's Messages API over plain HTTPS (urllib, Basic auth): create one message, its refusal read as Twilio sends it.

POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json, form fields To, From, Body, StatusCallback (MediaUrl may
repeat), Basic auth AccountSid:AuthToken or an API key's SID:secret. Twilio answers 201 with the message as JSON
(`sid` "SM…", `status` "queued"); a refusal is a 4xx with JSON {code, message, more_info, status}.
Plain urllib instead of the `twilio` package: one form POST needs no SDK, and send_outbound's cold start stays
where it is (the SDK brings requests, aiohttp and PyJWT for this one call).
"""

from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlencode

OFFICIAL_API = "https://api.twilio.com"
TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 64 * 1024

# (status, body) of one HTTP call; the transport raises OSError / HTTPException when there is no answer at all.
Transport = Callable[[str, bytes, dict[str, str]], tuple[int, bytes]]


@dataclass(frozen=True)
class TwilioCredentials:
    """Who sends: the account, and the Basic-auth user and password (the auth token, or an API key's SID and secret)."""

    account_sid: str
    username: str
    password: str


@dataclass(frozen=True)
class TwilioRefusal(Exception):
    """A 4xx/5xx answer: Twilio's error `code` (21211, 21610, …) when it gave one, the HTTP status, its message."""

    status: int
    code: int | None
    message: str

    def __str__(self) -> str:
        return f"Twilio refused the message (HTTP {self.status}, error {self.code}): {self.message}"


class TwilioUnreachable(Exception):
    """No answer from Twilio at all (network, TLS, timeout): the send is retried."""


def urllib_transport(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST with a timeout; redirects are not Twilio's way, so a 3xx is an answer like any other."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with _opener().open(request, timeout=TIMEOUT_SECONDS) as response:  # api.twilio.com or the local fake
            return int(response.status), response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        return int(error.code), error.read(MAX_ANSWER_BYTES)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@cache
def _opener() -> urllib.request.OpenerDirector:
    # Built on first send, not on import: its HTTPS handler loads the CA certificates (~50 ms).
    return urllib.request.build_opener(_NoRedirect)


class TwilioMessages:
    """The Messages resource of one API base (api.twilio.com, or TWILIO_API_BASE: the local runtime's fake)."""

    def __init__(self, api_base: str | None = None, transport: Transport = urllib_transport) -> None:
        self._base = (api_base or OFFICIAL_API).rstrip("/")
        self._transport = transport

    def create(
        self,
        credentials: TwilioCredentials,
        *,
        to: str,
        from_: str,
        body: str,
        status_callback: str | None = None,
        media_urls: Sequence[str] = (),
        validity_period: int | None = None,
    ) -> str:
        """Create (send) one message; its SID. TwilioRefusal for an error answer, TwilioUnreachable for none."""
        fields = [("To", to), ("From", from_), ("Body", body)]
        fields += [("MediaUrl", url) for url in media_urls]
        if status_callback:
            fields.append(("StatusCallback", status_callback))
        if validity_period:  # seconds the message may wait in Twilio's queue (1 to 36,000) before it fails
            fields.append(("ValidityPeriod", str(validity_period)))
        url = f"{self._base}/2010-04-01/Accounts/{quote(credentials.account_sid, safe='')}/Messages.json"
        basic = base64.b64encode(f"{credentials.username}:{credentials.password}".encode()).decode("ascii")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Accept": "application/json",
            "Authorization": f"Basic {basic}",
        }
        try:
            status, answer = self._transport(url, urlencode(fields).encode("utf-8"), headers)
        except (OSError, http.client.HTTPException) as error:  # URLError, timeouts and TLS errors are OSErrors
            raise TwilioUnreachable(f"{type(error).__name__} calling Twilio: {error}") from None
        document = _json(answer)
        if status == 201 or status == 200:
            sid = document.get("sid")
            if isinstance(sid, str) and sid:
                return sid
            raise TwilioRefusal(status, None, "Twilio answered without a message sid")
        code, message = document.get("code"), document.get("message")
        text = str(message)[:300] if message else answer[:200].decode("utf-8", "replace")
        raise TwilioRefusal(status, code if isinstance(code, int) else None, text)


def _json(answer: bytes) -> dict[str, object]:
    try:
        document = json.loads(answer)
    except (ValueError, RecursionError):
        return {}
    return document if isinstance(document, dict) else {}
