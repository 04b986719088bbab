"""A Twilio inbound-message webhook (application/x-www-form-urlencoded, UTF-8) → TwilioInbound."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from omnicase.channels.sms.errors import SmsRejected

MAX_FORM_BYTES = 64 * 1024
MAX_FIELDS = 500
MAX_MEDIA = 10  # Twilio's own limit per MMS / WhatsApp message
_MEDIA_URL = re.compile(r"^MediaUrl([0-9]{1,2})$")


@dataclass(frozen=True)
class TwilioInbound:
    """The fields omnicase uses, plus every received parameter (`params`) for the signature check."""

    message_sid: str
    account_sid: str | None
    from_number: str
    to_number: str
    body: str
    num_media: int
    media: tuple[tuple[str, str], ...]
    messaging_service_sid: str | None
    profile_name: str | None
    params: dict[str, list[str]] = field(compare=False, repr=False)


def parse_twilio_form(body: bytes) -> TwilioInbound:
    """Parse the form body; a missing MessageSid, From or To, or a non-UTF-8 body, is malformed."""
    if len(body) > MAX_FORM_BYTES:
        raise SmsRejected("too-large", f"Twilio form body over {MAX_FORM_BYTES} bytes")
    params = _form_params(body)

    def first(name: str) -> str | None:
        values = params.get(name)
        return values[0] if values else None

    for required in ("MessageSid", "From", "To"):
        if not (first(required) or "").strip():
            raise SmsRejected("malformed", f"Twilio form has no {required}")
    media = _media(params)
    return TwilioInbound(
        message_sid=(first("MessageSid") or "").strip(),
        account_sid=first("AccountSid") or None,
        from_number=(first("From") or "").strip(),
        to_number=(first("To") or "").strip(),
        body=first("Body") or "",
        num_media=_num_media(first("NumMedia"), len(media)),
        media=media,
        messaging_service_sid=first("MessagingServiceSid") or None,
        profile_name=first("ProfileName") or None,
        params=params,
    )


def _form_params(body: bytes) -> dict[str, list[str]]:
    try:
        text = body.decode("utf-8")
        # Blank values are kept: Twilio signs `Body=` of a media-only message too.
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError as error:
        raise SmsRejected("malformed", f"Twilio form is not UTF-8: {error.reason}") from error
    except ValueError as error:
        raise SmsRejected("malformed", f"Twilio form cannot be parsed: {error}") from error
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def _media(params: dict[str, list[str]]) -> tuple[tuple[str, str], ...]:
    # Keys arrive in any order (MediaContentType1 before MediaUrl0); number them, not the order.
    indexes = sorted((int(m.group(1)), m.group(1)) for key in params if (m := _MEDIA_URL.match(key)))
    found = []
    for _, n in indexes[:MAX_MEDIA]:
        url = params[f"MediaUrl{n}"][0].strip()
        kind = (params.get(f"MediaContentType{n}") or ["application/octet-stream"])[0].strip()
        if url:
            found.append((url, kind or "application/octet-stream"))
    return tuple(found)


def _num_media(raw: str | None, found: int) -> int:
    text = (raw or "").strip()
    if not text:
        return found
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        raise SmsRejected("malformed", f"Twilio NumMedia is not a number: {text[:20]!r}")
    return int(text)
