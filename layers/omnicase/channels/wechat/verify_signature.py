"""WeChat's request signatures: sha1 over the sorted, concatenated token, timestamp, nonce (and ciphertext)."""

from __future__ import annotations

import hashlib
import hmac


def wechat_signature(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    """The hex sha1 WeChat puts in `signature` (or, with the ciphertext, `msg_signature`)."""
    # surrogatepass: a lone surrogate in a query value must fail the comparison, not raise.
    joined = "".join(sorted([token, timestamp, nonce, *extra])).encode("utf-8", "surrogatepass")
    return hashlib.sha1(joined, usedforsecurity=False).hexdigest()


def signature_matches(expected_hex: str, given: str | None) -> bool:
    """Constant-time, case-insensitive comparison of hex signatures."""
    return given is not None and hmac.compare_digest(expected_hex.lower(), given.strip().lower())
