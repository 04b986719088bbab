"""The links customers get to articles: the help centre's page, a short link, and the signed "this answered my
question" link (the survey token's format and per-tenant secret, under its own context so neither reads as the
other; the article id stands where a survey's nonce does)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from omnicase.domain.survey_token import TokenClaims, issue_token, read_token

ANSWERED_CONTEXT = b"omnicase-kb-answered-v1\n"
ANSWERED_LINK_VALID_FOR = timedelta(days=14)
SHORT_CODE_CHARS = 7  # 35 bits: two of a tenant's 5,000 articles share a code with odds of about 1 in 3,000


@dataclass(frozen=True)
class AnsweredClaim:
    tenant_id: str
    case_id: str
    article_id: str


def article_url(base_url: str, tenant_id: str, article_id: str, language: str) -> str:
    return f"{base_url.rstrip('/')}/help/{quote(tenant_id)}/{quote(article_id)}?lang={language}"


def short_code(article_id: str) -> str:
    """A short, stable code for the article (lower-case base32 of its id's hash)."""
    digest = hashlib.sha256(article_id.encode()).digest()
    return base64.b32encode(digest).decode()[:SHORT_CODE_CHARS].lower()


def short_url(base_url: str, tenant_id: str, article_id: str) -> str:
    return f"{base_url.rstrip('/')}/help/{quote(tenant_id)}/a/{short_code(article_id)}"


def answered_token(tenant_id: str, case_id: str, article_id: str, now: datetime, secret: bytes) -> str:
    return issue_token(tenant_id, case_id, article_id, now + ANSWERED_LINK_VALID_FOR, secret, ANSWERED_CONTEXT)


def answered_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/answered/{token}"


def read_answered_token(token: str, secret: bytes, now: datetime) -> AnsweredClaim:
    """The case and article of an authentic, unexpired link; InvalidSurveyToken (malformed / bad-signature /
    expired) otherwise."""
    claims: TokenClaims = read_token(token, secret, now, ANSWERED_CONTEXT)
    return AnsweredClaim(claims.tenant_id, claims.case_id, claims.nonce)
