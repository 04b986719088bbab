"""Cognito access-token checks: real RS256 tokens from keys made here, a JWKS served by a counting fetcher."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from omnicase.auth.access_token import EXPIRED, LEEWAY_SECONDS, REFETCH_SECONDS, AccessTokenVerifier, JwksCache
from omnicase.domain.errors import Unauthorized

REGION, POOL, CLIENT = "eu-west-1", "eu-west-1_Pool1", "console-client"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL}"
NOW = 1_800_000_000.0
POOL_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    return {**RSAAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": kid, "alg": "RS256", "use": "sig"}


class Jwks:
    """The pool's published keys; counts fetches."""

    def __init__(self, *keys: dict[str, Any]) -> None:
        self.keys = list(keys)
        self.fetches = 0

    def __call__(self, url: str) -> dict[str, Any]:
        assert url == f"{ISSUER}/.well-known/jwks.json"
        self.fetches += 1
        return {"keys": self.keys}


def claims(**overrides: Any) -> dict[str, Any]:
    base = {
        "iss": ISSUER,
        "sub": "5f0c-person",
        "client_id": CLIENT,
        "token_use": "access",
        "iat": int(NOW) - 60,
        "exp": int(NOW) + 3600,
        "username": "li.na",
    }
    return {k: v for k, v in {**base, **overrides}.items() if v is not None}


def token(key: rsa.RSAPrivateKey = POOL_KEY, kid: str = "k1", **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), key, algorithm="RS256", headers={"kid": kid})


def verifier(jwks: Jwks, now: list[float] | None = None) -> AccessTokenVerifier:
    clock = now or [NOW]
    keys = JwksCache(f"{ISSUER}/.well-known/jwks.json", fetch=jwks, clock=lambda: clock[0])
    return AccessTokenVerifier(region=REGION, user_pool_id=POOL, client_id=CLIENT, keys=keys, clock=lambda: clock[0])


def refused(check: AccessTokenVerifier, bearer: str) -> str:
    with pytest.raises(Unauthorized) as refusal:
        check.verify(bearer)
    return str(refusal.value)


def test_a_good_access_token_gives_its_subject_and_the_keys_are_fetched_once():
    jwks = Jwks(public_jwk(POOL_KEY, "k1"))
    check = verifier(jwks)
    for _ in range(3):
        assert check.verify(token()).sub == "5f0c-person"
    assert jwks.fetches == 1


def test_expiry_allows_a_small_leeway_then_says_session_expired():
    check = verifier(Jwks(public_jwk(POOL_KEY, "k1")))
    assert check.verify(token(exp=int(NOW) - LEEWAY_SECONDS + 5)).sub == "5f0c-person"
    assert refused(check, token(exp=int(NOW) - LEEWAY_SECONDS - 1)) == EXPIRED


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"token_use": "id", "client_id": None, "aud": CLIENT}, "not an access token"),
        ({"client_id": "someone-elses-app"}, "another app client"),
        ({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"}, "another user pool"),
        ({"iss": None}, "iss"),
        ({"exp": None}, "exp"),
        ({"sub": None}, "no subject"),
    ],
)
def test_a_token_of_the_wrong_kind_pool_or_client_is_refused(overrides, reason):
    check = verifier(Jwks(public_jwk(POOL_KEY, "k1")))
    assert reason in refused(check, token(**overrides))


def test_a_token_signed_by_another_key_under_a_published_kid_is_refused():
    check = verifier(Jwks(public_jwk(POOL_KEY, "k1")))
    assert "bad signature" in refused(check, token(key=OTHER_KEY))


@pytest.mark.parametrize(
    "forged",
    [
        jwt.encode(claims(), key="", algorithm="none", headers={"kid": "k1"}),
        jwt.encode(claims(), key="x" * 32, algorithm="HS256", headers={"kid": "k1"}),
        "eyJhbGciOi.not-json.at-all",
    ],
)
def test_unsigned_symmetric_and_garbage_tokens_are_refused(forged):
    check = verifier(Jwks(public_jwk(POOL_KEY, "k1")))
    assert refused(check, forged).startswith("invalid session token")


def test_an_unknown_kid_refetches_once_then_not_again_until_the_interval_passed():
    jwks = Jwks(public_jwk(POOL_KEY, "k1"))
    now = [NOW]
    check = verifier(jwks, now)
    check.verify(token())
    assert "does not publish" in refused(check, token(key=OTHER_KEY, kid="k2"))
    assert jwks.fetches == 1  # the first fetch was just now: a made-up kid must not trigger fetch after fetch

    jwks.keys.append(public_jwk(OTHER_KEY, "k2"))  # Cognito rotated its keys
    now[0] += REFETCH_SECONDS
    assert check.verify(token(key=OTHER_KEY, kid="k2")).sub == "5f0c-person"
    assert jwks.fetches == 2
    for _ in range(3):
        refused(check, token(kid="k3"))
    assert jwks.fetches == 2


def test_a_key_that_cannot_be_read_does_not_hide_the_others():
    check = verifier(Jwks({"kid": "broken", "kty": "RSA"}, public_jwk(POOL_KEY, "k1")))
    assert check.verify(token()).username == "li.na"


def test_by_default_expiry_is_judged_by_the_wall_clock():
    keys = JwksCache(f"{ISSUER}/.well-known/jwks.json", fetch=Jwks(public_jwk(POOL_KEY, "k1")))
    check = AccessTokenVerifier(region=REGION, user_pool_id=POOL, client_id=CLIENT, keys=keys)
    now = int(time.time())
    assert check.verify(token(iat=now, exp=now + 60)).expires_at == now + 60
    assert refused(check, token(iat=now - 7200, exp=now - 3600)) == EXPIRED


def test_the_api_handler_does_not_import_pyjwt_until_a_person_calls():
    import subprocess
    import sys
    from pathlib import Path

    api = Path(__file__).resolve().parents[2] / "functions" / "api" / "app.py"
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(api)!r})\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print('jwt' in sys.modules)\n"
    )
    env = {"TABLE_NAME": "t", "AWS_DEFAULT_REGION": "us-east-1", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "False"  # API tokens keep the cold start they had
