"""The survey token in a survey's links: signed (HMAC-SHA256, per-tenant secret), expiring, bound to one survey.

Format, URL-safe and compact: `<tenant_id>.<case_id>.<nonce>.<expires epoch seconds>.<mac>`; the mac is the first
128 bits of HMAC-SHA256 over everything before it, base64url without padding. The tenant id is in clear so the
secret can be looked up (`token_tenant`) before the token is read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

_FIELD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_EPOCH = re.compile(r"[1-9][0-9]{0,11}")
_MAC_BYTES = 16
_CONTEXT = b"omnicase-survey-token-v1\n"


class InvalidSurveyToken(ValueError):
    """A token we did not issue, changed, or past its end; `reason` is malformed / bad-signature / expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TokenClaims:
    tenant_id: str
    case_id: str
    nonce: str
    expires_at: datetime


def issue_token(
    tenant_id: str, case_id: str, nonce: str, expires_at: datetime, secret: bytes, context: bytes = _CONTEXT
) -> str:
    """A token for this survey; ValueError for ids that are not URL-safe (letters, digits, '-', '_').

    `context` separates the token's uses: one signed for another use (kb/answered links) never reads as this one."""
    for name, value in (("tenant_id", tenant_id), ("case_id", case_id), ("nonce", nonce)):
        if not _FIELD.fullmatch(value):
            raise ValueError(f"{name} {value!r} cannot go into a survey token")
    body = f"{tenant_id}.{case_id}.{nonce}.{int(expires_at.timestamp())}"
    return f"{body}.{_mac(body, secret, context)}"


def token_tenant(token: str) -> str:
    """The tenant id a token claims (unverified: only to look up the secret that verifies it)."""
    return _fields(token)[0]


def read_token(token: str, secret: bytes, now: datetime, context: bytes = _CONTEXT) -> TokenClaims:
    """The claims of an authentic, unexpired token; InvalidSurveyToken otherwise."""
    tenant_id, case_id, nonce, expires, mac = _fields(token)
    body = token.rsplit(".", 1)[0]
    if not hmac.compare_digest(mac.encode(), _mac(body, secret, context).encode()):
        raise InvalidSurveyToken("bad-signature")
    expires_at = datetime.fromtimestamp(int(expires), UTC)
    if now >= expires_at:
        raise InvalidSurveyToken("expired")
    return TokenClaims(tenant_id, case_id, nonce, expires_at)


def _fields(token: str) -> list[str]:
    fields = token.split(".") if isinstance(token, str) and len(token) <= 512 else []
    if len(fields) != 5 or not all(_FIELD.fullmatch(f) for f in fields[:3] + fields[4:]):
        raise InvalidSurveyToken("malformed")
    if not _EPOCH.fullmatch(fields[3]):
        raise InvalidSurveyToken("malformed")
    return fields


def _mac(body: str, secret: bytes, context: bytes) -> str:
    if not secret:
        raise ValueError("the survey token secret is empty")
    digest = hmac.new(secret, context + body.encode(), hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
