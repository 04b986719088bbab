"""Console sessions: sign in with a password, refresh, sign out; only people omnicase has a live record of get one.

Pure: the identity provider (Cognito) and the people directory are passed in.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Protocol

from omnicase.domain.errors import Unauthorized
from omnicase.domain.principal import Principal

# One answer for every refused sign-in: it must not tell which half of the pair was wrong, nor whether the
# username exists, nor whether the person was disabled (each would help someone guessing).
SIGN_IN_REFUSED = "wrong username or password"
REFRESH_REFUSED = "the session can no longer be refreshed; sign in again"


@dataclass(frozen=True)
class Session:
    access_token: str
    expires_in: int
    refresh_token: str | None = None  # only a password sign-in issues one


class IdentityProvider(Protocol):
    """Cognito's side of a session; refusals are Unauthorized."""

    def password_sign_in(self, username: str, password: str) -> Session: ...

    def refresh(self, refresh_token: str) -> Session: ...

    def sign_out(self, access_token: str) -> None: ...


class People(Protocol):
    def principal_for_sub(self, sub: str) -> Principal | None: ...


class Sessions:
    """The session routes' logic."""

    def __init__(self, provider: IdentityProvider, people: People) -> None:
        self._provider = provider
        self._people = people

    def sign_in(self, username: str, password: str) -> Session:
        """A new session (access + refresh token) for a person omnicase knows and has not revoked."""
        return self._admitted(self._provider.password_sign_in(username, password), SIGN_IN_REFUSED)

    def refresh(self, refresh_token: str) -> Session:
        """A new access token; refused once the person was signed out, disabled or revoked."""
        return self._admitted(self._provider.refresh(refresh_token), REFRESH_REFUSED)

    def sign_out(self, access_token: str) -> None:
        """Revoke every refresh token of the person (Cognito global sign-out); access tokens run out within 1 h."""
        self._provider.sign_out(access_token)

    def _admitted(self, session: Session, refusal: str) -> Session:
        if self._people.principal_for_sub(token_subject(session.access_token)) is None:
            # Cognito accepted the password but omnicase has no live record (revoked, or never added): the tokens
            # already exist, so revoke them rather than only not handing them out.
            self._provider.sign_out(session.access_token)
            raise Unauthorized(refusal)
        return session


def token_subject(access_token: str) -> str:
    """The `sub` of a token Cognito itself just returned to us over TLS: read, not verified (verifying would only
    re-check Cognito's own answer). Never use this on a token a caller sent."""
    try:
        payload = access_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return str(claims["sub"])
    except (IndexError, KeyError, TypeError, ValueError, binascii.Error) as error:
        raise RuntimeError("Cognito returned an access token without a subject") from error
