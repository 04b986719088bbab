"""Whether Cognito still lets a person in: a user disabled or deleted in the AWS console loses omnicase too."""

from __future__ import annotations

import logging

from omnicase.aws.clients import client

logger = logging.getLogger(__name__)


def cognito_user_enabled(user_pool_id: str, username: str) -> bool:
    """AdminGetUser's `Enabled`; False for a user no longer in the pool.

    Any other failure (throttling, an outage) answers True: the token's signature and expiry were already checked
    and the omnicase record still grants access, so an outage of Cognito's admin API must not sign everyone out.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        user = client("cognito-idp").admin_get_user(UserPoolId=user_pool_id, Username=username)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "UserNotFoundException":
            return False
        logger.warning("Cognito user status unavailable, record trusted: %s", error)
        return True
    except BotoCoreError as error:
        logger.warning("Cognito user status unavailable, record trusted: %s", error)
        return True
    return bool(user.get("Enabled", True))
