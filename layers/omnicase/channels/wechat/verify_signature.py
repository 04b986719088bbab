"""WeChat's request signatures: sha1 over the sorted, concatenated token, timestamp, nonce (and ciphertext)."""

from __future__ import annotations

import hashlib
import hmac


def wechat_signature(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    """The hex sha1 WeChat puts in `signature` (or, with the ciphertext, `msg_signature`)."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, *extra])).encode(), usedforsecurity=False).hexdigest()


def signature_matches(expected_hex: str, given: str | None) -> bool:
    """Constant-time, case-insensitive comparison of hex signatures."""
    return given is not None and hmac.compare_digest(expected_hex.lower(), given.strip().lower())
