"""Cognito access tokens checked as AWS documents it: RS256 signature by one of the pool's published keys (JWKS),
issuer, expiry, `token_use` and app client.

Imported only when a bearer looks like a JWT, so PyJWT stays off the cold start of API-token traffic.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.exceptions import InvalidIssuerError, InvalidSignatureError, InvalidTokenError, PyJWTError

from omnicase.domain.errors import Unauthorized, Unavailable

logger = logging.getLogger(__name__)

LEEWAY_SECONDS = 30  # Cognito's clock and the container's differ a little
# An unknown `kid` refetches the keys (Cognito rotated them), at most this often: tokens with made-up kids must not
# turn every request into a fetch.
REFETCH_SECONDS = 60
FETCH_TIMEOUT_SECONDS = 3
EXPIRED = "session expired"


class KeysUnavailable(Unavailable):
    """The pool's keys could not be read: our outage, not the caller's fault (a 503 with Retry-After)."""

    def __init__(self, message: str) -> None:
        super().__init__(KEYS_RETRY_AFTER_SECONDS, message)


KEYS_RETRY_AFTER_SECONDS = 30


def fetch_json(url: str) -> Any:
    """GET a JSON document (the JWKS) with a short timeout."""
    if not url.startswith(("https://", "http://")):
        raise KeysUnavailable(f"not an http(s) URL: {url}")
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as response:  # the scheme is checked above
            return json.loads(response.read())
    except (OSError, ValueError) as error:
        raise KeysUnavailable(f"could not read the user pool's keys from {url}: {error}") from error


class JwksCache:
    """The pool's signing keys by `kid`: fetched on first use, kept for the process, refetched on an unknown kid."""

    def __init__(
        self, url: str, fetch: Callable[[str], Any] = fetch_json, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._url = url
        self._fetch = fetch
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] | None = None
        self._fetched_at = 0.0

    def key(self, kid: str) -> jwt.PyJWK | None:
        """The key with this id, or None when the pool does not publish it."""
        if self._keys is None or (kid not in self._keys and self._clock() - self._fetched_at >= REFETCH_SECONDS):
            self._load()
        return (self._keys or {}).get(kid)

    def _load(self) -> None:
        document = self._fetch(self._url)
        keys: dict[str, jwt.PyJWK] = {}
        for entry in document.get("keys", []) if isinstance(document, dict) else []:
            try:
                keys[entry["kid"]] = jwt.PyJWK(entry)
            except (KeyError, TypeError, ValueError, PyJWTError) as error:  # one odd key must not hide the others
                logger.warning("skipped a key of the user pool's JWKS: %s", error)
        self._keys, self._fetched_at = keys, self._clock()


@dataclass(frozen=True)
class AccessToken:
    """What omnicase reads from a verified access token: who (`sub`), nothing about what they may do."""

    sub: str
    username: str | None
    expires_at: int


class AccessTokenVerifier:
    """Verifies access tokens of one user pool and app client; Unauthorized with the reason otherwise."""

    def __init__(
        self,
        *,
        region: str,
        user_pool_id: str,
        client_id: str,
        keys: JwksCache,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self._client_id = client_id
        self._keys = keys
        self._clock = clock

    def verify(self, token: str) -> AccessToken:
        """The token's subject, once signature, issuer, expiry, token use and client are right."""
        claims = self._signed_claims(token)
        # Expiry here rather than in PyJWT: one clock (injectable) for the whole check, and its own message, which
        # sends the console back to the sign-in page.
        if not isinstance(claims.get("exp"), int | float) or self._clock() > claims["exp"] + LEEWAY_SECONDS:
            raise Unauthorized(EXPIRED)
        if claims.get("token_use") != "access":
            raise Unauthorized("invalid session token: not an access token")
        if claims.get("client_id") != self._client_id:
            raise Unauthorized("invalid session token: issued to another app client")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise Unauthorized("invalid session token: no subject")
        return AccessToken(sub=claims["sub"], username=claims.get("username"), expires_at=int(claims["exp"]))

    def _signed_claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except InvalidTokenError:
            raise Unauthorized("invalid session token: not a JWT") from None
        if header.get("alg") != "RS256":  # never "none", never HS256 with the public key as secret
            raise Unauthorized("invalid session token: not signed with RS256")
        key = self._keys.key(str(header.get("kid")))
        if key is None:
            raise Unauthorized("invalid session token: signed by a key the user pool does not publish")
        try:
            return jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"verify_exp": False, "verify_iat": False, "verify_aud": False, "require": ["iss", "exp"]},
            )
        except InvalidSignatureError:
            raise Unauthorized("invalid session token: bad signature") from None
        except InvalidIssuerError:
            raise Unauthorized("invalid session token: issued by another user pool") from None
        except InvalidTokenError as error:
            raise Unauthorized(f"invalid session token: {error}") from None
