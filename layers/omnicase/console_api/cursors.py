"""Opaque cursors of the console's listings: the listing they belong to and the last index key handed out."""

from __future__ import annotations

import base64
import binascii
import json
import re

from omnicase.domain.errors import InvalidCursor

# gsi3 (open cases by deadline) and gsi4 (cases by change time) sort keys: nothing else may steer a query.
DEADLINE_KEY = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|~)#[0-9A-Z]{1,40}")
CHANGE_KEY = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z#([0-9A-Z]{1,40}|~)?")


def encode_cursor(listing: str, after: str) -> str:
    raw = json.dumps({"listing": listing, "after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, listing: str, key: re.Pattern[str]) -> str:
    """The key after which the listing goes on; InvalidCursor (a 400) for anything this listing did not issue."""
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("the cursor is not one this API issued") from error
    if not isinstance(position, dict) or position.get("listing") != listing:
        raise InvalidCursor("the cursor belongs to another listing")
    after = position.get("after")
    if not isinstance(after, str) or not key.fullmatch(after):
        raise InvalidCursor("the cursor is malformed")
    return after
