"""People in the Cognito user pool, as admin tools manage them (AdminCreateUser, AdminSetUserPassword,
AdminDisableUser, AdminUserGlobalSignOut). Run by operators with their own credentials, never by a function."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from omnicase.aws.clients import client


class CognitoPeople:
    """One user pool's users."""

    def __init__(self, user_pool_id: str, cognito: Any | None = None) -> None:
        self.user_pool_id = user_pool_id
        self._cognito = cognito

    @property
    def _client(self) -> Any:
        return self._cognito or client("cognito-idp")

    def create(self, username: str, password: str) -> str:
        """Create the user with a permanent password (no invitation mail, no forced change); returns its `sub`.

        ValueError when the username is taken or the password breaks the pool's policy.
        """
        try:
            user = self._client.admin_create_user(
                UserPoolId=self.user_pool_id, Username=username, MessageAction="SUPPRESS"
            )["User"]
        except ClientError as error:
            if _code(error) == "UsernameExistsException":
                raise ValueError(f"user {username} already exists in user pool {self.user_pool_id}") from None
            raise
        try:
            self._client.admin_set_user_password(
                UserPoolId=self.user_pool_id, Username=username, Password=password, Permanent=True
            )
        except ClientError as error:
            self.delete(username)  # a user without a usable password is worse than none; rerunning must work
            if _code(error) == "InvalidPasswordException":
                raise ValueError(f"the password breaks the user pool's policy: {_message(error)}") from None
            raise
        return next(a["Value"] for a in user.get("Attributes", []) if a["Name"] == "sub")

    def delete(self, username: str) -> None:
        """Remove a user this tool just created (undo when omnicase could not store its record)."""
        self._client.admin_delete_user(UserPoolId=self.user_pool_id, Username=username)

    def disable(self, username: str) -> None:
        """Disable the user and revoke their refresh tokens; a user already gone from the pool is no error."""
        try:
            self._client.admin_disable_user(UserPoolId=self.user_pool_id, Username=username)
            self._client.admin_user_global_sign_out(UserPoolId=self.user_pool_id, Username=username)
        except ClientError as error:
            if _code(error) != "UserNotFoundException":
                raise


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", ""))
