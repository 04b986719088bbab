"""Survey tokens: what we issue reads back; anything changed, expired or signed with another secret does not."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest

from omnicase.domain.survey_token import InvalidSurveyToken, TokenClaims, issue_token, read_token, token_tenant

SECRET = b"acme-survey-secret"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EXPIRES = NOW + timedelta(days=14)


def token() -> str:
    return issue_token("acme", "0ABCDEFGHJ", "n0nce_-x", EXPIRES, SECRET)


def reason(text: str, secret: bytes = SECRET, now: datetime = NOW) -> str:
    with pytest.raises(InvalidSurveyToken) as error:
        read_token(text, secret, now)
    return error.value.reason


def test_a_token_reads_back_its_claims_and_is_url_safe_and_compact():
    issued = token()
    assert read_token(issued, SECRET, NOW) == TokenClaims("acme", "0ABCDEFGHJ", "n0nce_-x", EXPIRES)
    assert set(issued) <= set(string.ascii_letters + string.digits + "-_.")
    assert len(issued) < 80
    assert token_tenant(issued) == "acme"


def test_changing_any_character_of_the_token_is_refused():
    issued = token()
    for position, original in enumerate(issued):
        for replacement in {"A", "0", "_", "."} - {original}:
            tampered = issued[:position] + replacement + issued[position + 1 :]
            assert reason(tampered) in ("malformed", "bad-signature"), tampered


def test_a_token_stops_working_when_it_expires():
    issued = token()
    assert read_token(issued, SECRET, EXPIRES - timedelta(seconds=1)).case_id == "0ABCDEFGHJ"
    assert reason(issued, now=EXPIRES) == "expired"


def test_another_tenants_secret_does_not_verify_it():
    assert reason(token(), secret=b"globex-survey-secret") == "bad-signature"
    globex = issue_token("globex", "0ABCDEFGHJ", "n0nce_-x", EXPIRES, b"globex-survey-secret")
    claimed_by_acme = "acme" + globex[len("globex") :]
    assert reason(claimed_by_acme) == "bad-signature"


@pytest.mark.parametrize("text", ["", "acme", "acme.CASE.nonce.123", "a.b.c.d.e.f", "acme.C.n.12x.mac", "ä.b.c.1.m"])
def test_what_is_not_a_token_is_malformed(text):
    assert reason(text) == "malformed"


def test_ids_that_would_break_the_format_are_not_issued():
    with pytest.raises(ValueError):
        issue_token("ac.me", "0ABCDEFGHJ", "nonce", EXPIRES, SECRET)
