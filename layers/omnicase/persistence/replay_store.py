"""The replay guard on the single table: one conditional put per signed request, gone by TTL."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime

from pynamodb.exceptions import DeleteError, PutError

from omnicase.channels.replay_guard import SignedUse
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import ReplayItem


class DynamoReplayGuard:
    """ReplayGuard on the single table."""

    def claim(self, use: SignedUse) -> bool:
        item = ReplayItem(
            _pk(use),
            keys.SINGLETON_SK,
            tenant_id=use.tenant_id,
            body_digest=use.body_digest,
            expires_at=datetime.fromtimestamp(use.expires_at, UTC),
        )
        condition = ReplayItem.pk.does_not_exist()
        if use.body_digest is not None:
            condition |= ReplayItem.body_digest == use.body_digest
        try:
            item.save(condition=condition)
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release(self, use: SignedUse) -> None:
        # Best effort: it expires anyway, and the request's own failure is what the caller must see.
        with suppress(DeleteError):
            ReplayItem(_pk(use), keys.SINGLETON_SK).delete()


def _pk(use: SignedUse) -> str:
    return keys.replay_pk(use.tenant_id, use.channel, use.endpoint, use.credential)
