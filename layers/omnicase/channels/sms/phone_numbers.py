"""Phone numbers from any channel → E.164 (`+8613800138000`), short codes → `short:<digits>`."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_PREFIX = re.compile(r"^(?:whatsapp|sms|tel|mms):", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-.()]")
_SHORT_CODE = re.compile(r"^[0-9]{3,8}$")
_MAX_INPUT = 64


def normalize_phone(raw: str, default_region: str | None = None) -> str | None:
    """E.164 for a valid number, `short:<digits>` for a short code, None for anything else; never raises."""
    text = _PREFIX.sub("", unicodedata.normalize("NFKC", raw or "").strip()).strip()
    if not text or len(text) > _MAX_INPUT:
        return None
    number = _parse(text, default_region)
    if number is not None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # Short codes (Twilio's `To=384387`, China's 10086) have no country code; keep their digits as the address.
    digits = _SEPARATORS.sub("", text)
    return f"short:{digits}" if _SHORT_CODE.match(digits) else None


def _parse(text: str, default_region: str | None) -> phonenumbers.PhoneNumber | None:
    region = (default_region or "").upper() or None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def region_of(e164: str) -> str | None:
    """The region (ISO 3166 code) of a number in E.164, for reading numbers people write without their +code."""
    number = _parse(e164, None)
    return phonenumbers.region_code_for_number(number) if number is not None else None
