"""A stand-in for Twilio's Messages API in `omnicase local` (TWILIO_API_BASE points here), strict as Twilio is.

POST /2010-04-01/Accounts/{AccountSid}/Messages.json with Basic auth AccountSid:AuthToken and form fields To, From,
Body (StatusCallback optional). It refuses what Twilio refuses, with Twilio's error JSON {code, message, more_info,
status}: 401/20003 wrong credentials, 404/20404 another account, 400/21604 no To, 21211 To not E.164, 21603 no From,
21606 From not one of the account's numbers, 21602 no Body, 21617 Body over 1,600 characters — and, like Twilio's test
credentials, the magic To numbers +15005550001 (21211 invalid), +15005550002 (21612 cannot route), +15005550003
(21408 region not enabled), +15005550004 (21610 unsubscribed: STOP) and +15005550009 (21614 not a mobile).
MMS: `MediaUrl` may repeat, up to 10 (21623), each an http(s) URL (21620); `ValidityPeriod` 1 to 36,000 (90007).
A message it takes answers 201 `queued`, lands in the outbox, and — as Twilio would — its StatusCallback gets
`sent`, then `delivered`, signed with X-Twilio-Signature, from a thread of its own.
Sources: Twilio docs "Messages resource", "Track the Message Status of Outbound Messages", "Test Credentials",
"Accepted content types for media", errors 21620, 21623, 90007.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import secrets
import threading
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

from omnicase.channels.sms.twilio_signature import twilio_signature

TWILIO_API = "/_local/twilio"  # TWILIO_API_BASE points here
MAX_BODY_CHARS = 1600
MAX_MEDIA = 10
MAX_VALIDITY_SECONDS = 36_000
_MESSAGES = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
_MEDIA = re.compile(r"^/2010-04-01/Accounts/[^/]+/Messages/MM[0-9a-f]{32}/Media/ME[0-9a-f]{32}$")
# A customer's MMS photo as the fake serves it (a 1x1 JPEG): the demo's media URLs resolve locally.
LOCAL_PHOTO = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a"
    "1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f000001050101010101"
    "0100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107"
    "227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a63"
    "6465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9"
    "cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
MAGIC_TO = {
    "+15005550001": (21211, "The 'To' number +15005550001 is not a valid phone number."),
    "+15005550002": (21612, "The 'To' phone number is not currently reachable via SMS."),
    "+15005550003": (21408, "Permission to send an SMS has not been enabled for the region of the 'To' number"),
    "+15005550004": (21610, "Attempt to send to unsubscribed recipient"),
    "+15005550009": (21614, "'To' number is not a valid mobile number"),
}

logger = logging.getLogger(__name__)
Response = tuple[int, dict[str, str], bytes]
Poster = Callable[[str, bytes, dict[str, str]], None]


def post_form(url: str, body: bytes, headers: dict[str, str]) -> None:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10):  # the local gateway's status callback route
        pass


def into_outbox(outbox: Any) -> Callable[[dict[str, str]], None]:
    """Record each message taken in the outbox; its case is the one its status callback URL names."""

    def record(form: dict[str, str]) -> None:
        query = parse_qs(urlsplit(form.get("StatusCallback", "")).query)
        case_id = (query.get("case") or [None])[0]
        headers = {"From": form.get("From", ""), "X-Twilio-MessageSid": form["Sid"]}
        if form.get("MediaUrl"):
            headers["X-Twilio-MediaUrls"] = form["MediaUrl"]  # space-separated, as they were posted
        outbox.record("sms", [form.get("To", "")], form.get("Body", ""), headers, case_id)

    return record


class FakeTwilio:
    """One Twilio account with its numbers; `accepted` lists every message it took (form fields plus `Sid`; the
    repeated `MediaUrl` fields joined by spaces, in order)."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        numbers: set[str],
        *,
        on_message: Callable[[dict[str, str]], None] | None = None,
        post: Poster | None = post_form,
    ) -> None:
        self.account_sid, self.auth_token, self.numbers = account_sid, auth_token, numbers
        self.accepted: list[dict[str, str]] = []
        self._on_message, self._post = on_message, post

    def __call__(self, method: str, raw_path: str, headers: dict[str, str], body: bytes | None) -> Response:
        """One request to the API (its path under TWILIO_API, or at the root of a server of its own)."""
        path = urlsplit(raw_path).path.removeprefix(TWILIO_API)
        if method in ("GET", "HEAD") and _MEDIA.match(path):
            return 200, {"Content-Type": "image/jpeg"}, LOCAL_PHOTO if method == "GET" else b""
        match = _MESSAGES.match(path)
        if match is None:
            return _error(404, 20404, f"The requested resource {path[:100]} was not found")
        if method != "POST":
            return _error(405, 20004, "Method not allowed")
        if not self._authenticated(headers):
            return _error(401, 20003, "Authenticate")
        if match.group(1) != self.account_sid:
            return _error(404, 20404, f"The requested resource {path} was not found")
        if "application/x-www-form-urlencoded" not in _header(headers, "content-type"):
            return _error(400, 21609, "Content-Type must be application/x-www-form-urlencoded")
        pairs = parse_qsl((body or b"").decode("utf-8", "replace"), keep_blank_values=True)
        media = [value for name, value in pairs if name == "MediaUrl"]
        form = {**dict(pairs), **({"MediaUrl": " ".join(media)} if media else {})}
        refusal = self._media_refusal(media, form.get("ValidityPeriod"))
        if refusal is not None:
            return _error(400, *refusal)
        refusal = self._refusal(form)
        if refusal is not None:
            return _error(400, *refusal)
        return self._accept(form)

    def _authenticated(self, headers: dict[str, str]) -> bool:
        scheme, _, encoded = _header(headers, "authorization").partition(" ")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return scheme.lower() == "basic" and (user, password) == (self.account_sid, self.auth_token)

    def _refusal(self, form: dict[str, str]) -> tuple[int, str] | None:
        to, sender, text = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        if not to:
            return 21604, "A 'To' phone number is required."
        if to in MAGIC_TO:
            return MAGIC_TO[to]
        if not _E164.match(to):
            return 21211, f"The 'To' number {to} is not a valid phone number."
        if not sender:
            return 21603, "A 'From' phone number is required."
        if sender not in self.numbers:
            return 21606, f"The From phone number {sender} is not a valid, SMS-capable number of your account."
        if not text and not form.get("MediaUrl"):
            return 21602, "Message body is required."
        if len(text) > MAX_BODY_CHARS:
            return 21617, "The concatenated message body exceeds the 1600 character limit."
        return None

    @staticmethod
    def _media_refusal(media: list[str], validity: str | None) -> tuple[int, str] | None:
        if len(media) > MAX_MEDIA:
            return 21623, f"The number of media URLs exceeds the maximum allowed. You may send up to {MAX_MEDIA}."
        for url in media:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
                return 21620, f"Invalid media URL(s): {url[:100]}"
        if validity is not None and (not validity.isdigit() or not 1 <= int(validity) <= MAX_VALIDITY_SECONDS):
            return 90007, f"Validity period can only be set to integers between 1 and {MAX_VALIDITY_SECONDS:,}."
        return None

    def _accept(self, form: dict[str, str]) -> Response:
        sid = "SM" + secrets.token_hex(16)
        self.accepted.append({**form, "Sid": sid})
        if self._on_message:
            self._on_message({**form, "Sid": sid})
        callback = form.get("StatusCallback")
        if callback and self._post is not None:
            reports = [{**self._callback_fields(sid, form), "MessageStatus": s} for s in ("sent", "delivered")]
            threading.Thread(target=self._report, args=(self._post, callback, reports), daemon=True).start()
        document = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": form["To"],
            "from": form["From"],
            "body": form.get("Body", ""),
            "num_media": str(len(form["MediaUrl"].split())) if form.get("MediaUrl") else "0",
            "status": "queued",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "error_code": None,
            "error_message": None,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        return 201, {"Content-Type": "application/json"}, json.dumps(document).encode()

    def _callback_fields(self, sid: str, form: dict[str, str]) -> dict[str, str]:
        return {
            "MessageSid": sid,
            "SmsSid": sid,
            "AccountSid": self.account_sid,
            "From": form["From"],
            "To": form["To"],
            "ApiVersion": "2010-04-01",
        }

    def _report(self, post: Poster, url: str, reports: list[dict[str, str]]) -> None:
        for fields in reports:
            fields = {**fields, "SmsStatus": fields["MessageStatus"]}
            body = urlencode(fields).encode()
            signature = twilio_signature(self.auth_token, url, parse_qs(body.decode(), keep_blank_values=True))
            headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
            try:
                post(url, body, headers)
            except Exception:  # Twilio logs a failed callback in its console and moves on
                logger.warning("status callback %s to %s failed", fields["MessageStatus"], url, exc_info=True)


def _header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name), "")


def _error(status: int, code: int, message: str) -> Response:
    document: dict[str, Any] = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return status, {"Content-Type": "application/json"}, json.dumps(document).encode()
