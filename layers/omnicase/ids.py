"""Identifiers: short, time-ordered, case-insensitive case ids and sortable message ids."""

from __future__ import annotations

import secrets
import time

# Crockford base32: no I, L, O, U, so ids survive being read aloud, retyped or lower-cased.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z
CASE_ID_LENGTH = 10


def _encode(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def new_case_id(now: float | None = None) -> str:
    """A 10-character id: 6 chars of seconds since 2024 (sorts by time) + 4 random chars."""
    seconds = int((now if now is not None else time.time()) - _EPOCH)
    return _encode(max(seconds, 0), 6) + _encode(secrets.randbits(20), 4)


def new_customer_id() -> str:
    """A random customer id (customers are found through identities, never by guessing)."""
    return "CU" + _encode(secrets.randbits(60), 12)


def new_message_id(now: float | None = None) -> str:
    """A message id that sorts by time within a case (ms precision + randomness)."""
    millis = int((now if now is not None else time.time()) * 1000)
    return _encode(millis, 9) + _encode(secrets.randbits(30), 6)


def normalize_case_id(text: str) -> str | None:
    """The canonical form of a case id typed by a person, or None when it cannot be one."""
    candidate = text.strip().upper().replace("O", "0").replace("I", "1").replace("L", "1")
    if len(candidate) != CASE_ID_LENGTH or any(c not in ALPHABET for c in candidate):
        return None
    return candidate
