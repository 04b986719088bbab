"""A Twilio status callback about one of our outbound messages (form-encoded, like the inbound webhook).

Parameters (Twilio docs, "Track the Message Status of Outbound Messages"): MessageSid, MessageStatus, ErrorCode
(only when the message failed or was undelivered), AccountSid, From, To, ApiVersion — and more Twilio adds without
notice, all of which the signature covers (`params`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from omnicase.channels.sms.errors import SmsRejected
from omnicase.channels.sms.parse_twilio import MAX_FORM_BYTES, _form_params

_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")  # SM… (SMS) or MM… (MMS)
_STATUS = re.compile(r"^[a-z_]{1,32}$")
_ERROR_CODE = re.compile(r"^[0-9]{1,6}$")


@dataclass(frozen=True)
class TwilioStatus:
    message_sid: str
    status: str  # queued, sending, sent, delivered, undelivered, failed, read, …
    error_code: str | None
    account_sid: str | None
    params: dict[str, list[str]] = field(compare=False, repr=False)


def parse_twilio_status(body: bytes) -> TwilioStatus:
    """Parse the form; a missing or ill-formed MessageSid, MessageStatus or ErrorCode is malformed."""
    if len(body) > MAX_FORM_BYTES:
        raise SmsRejected("too-large", f"Twilio form body over {MAX_FORM_BYTES} bytes")
    params = _form_params(body)

    def first(name: str) -> str:
        return (params.get(name) or [""])[0].strip()

    sid, status, error_code = first("MessageSid"), first("MessageStatus").lower(), first("ErrorCode")
    if not _SID.match(sid):
        raise SmsRejected("malformed", f"Twilio status callback has no valid MessageSid: {sid[:40]!r}")
    if not _STATUS.match(status):
        raise SmsRejected("malformed", f"Twilio status callback has no valid MessageStatus: {status[:40]!r}")
    if error_code and not _ERROR_CODE.match(error_code):
        raise SmsRejected("malformed", f"Twilio ErrorCode is not a number: {error_code[:20]!r}")
    return TwilioStatus(sid, status, error_code or None, first("AccountSid") or None, params)
