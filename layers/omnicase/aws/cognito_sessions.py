"""Console sessions on Cognito: InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) and GlobalSignOut.

These are Cognito's public APIs (authorised by the app client and the tokens, not by IAM), so the session
function needs no cognito-idp permission.
"""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

from omnicase.auth.sessions import REFRESH_REFUSED, SIGN_IN_REFUSED, Session
from omnicase.aws.clients import client
from omnicase.domain.errors import RateLimited, Unauthorized

# botocore writes request and response bodies at DEBUG: passwords and tokens. Never let them through, whatever
# level the function's logging is set to.
for _name in ("botocore.endpoint", "botocore.parsers"):
    logging.getLogger(_name).setLevel(logging.INFO)

_REFUSED = frozenset(
    {
        "NotAuthorizedException",  # wrong password, disabled user, revoked refresh token
        "UserNotFoundException",  # only when PreventUserExistenceErrors is off (it is on in the template)
        "UserNotConfirmedException",
        "PasswordResetRequiredException",
    }
)
_THROTTLED = frozenset({"TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"})
THROTTLE_RETRY_SECONDS = 5


class CognitoSessions:
    """The IdentityProvider of omnicase.auth.sessions on one user pool app client."""

    def __init__(self, client_id: str, cognito: Any | None = None) -> None:
        self._client_id = client_id
        self._cognito = cognito

    @property
    def _client(self) -> Any:
        return self._cognito or client("cognito-idp")

    def password_sign_in(self, username: str, password: str) -> Session:
        answer = self._call(
            SIGN_IN_REFUSED,
            "initiate_auth",
            ClientId=self._client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        if "ChallengeName" in answer:  # MFA enrolled, or a temporary password: steps the console does not offer yet
            raise Unauthorized(f"this sign-in needs a step the console does not offer yet ({answer['ChallengeName']})")
        return _session(answer["AuthenticationResult"])

    def refresh(self, refresh_token: str) -> Session:
        answer = self._call(
            REFRESH_REFUSED,
            "initiate_auth",
            ClientId=self._client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
        return _session(answer["AuthenticationResult"])

    def sign_out(self, access_token: str) -> None:
        self._call("session expired or already signed out", "global_sign_out", AccessToken=access_token)

    def _call(self, refusal: str, operation: str, **params: Any) -> dict[str, Any]:
        try:
            return getattr(self._client, operation)(**params)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in _REFUSED:
                raise Unauthorized(refusal) from None  # Cognito's own message may say which half was wrong
            if code in _THROTTLED:
                raise RateLimited(THROTTLE_RETRY_SECONDS, "too many sign-in attempts; try again shortly") from None
            raise


def _session(result: dict[str, Any]) -> Session:
    return Session(
        access_token=result["AccessToken"],
        expires_in=int(result.get("ExpiresIn") or 3600),
        refresh_token=result.get("RefreshToken"),
    )
