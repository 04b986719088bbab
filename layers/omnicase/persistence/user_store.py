"""People who sign in (Cognito users) as omnicase knows them: the tenant, agent and role of a token's `sub`.

Cognito proves who someone is; this record says what they may do. It is written only by admin tools
(`omnicase agents add`), never from a token's claims, so no client can choose its own tenant or role.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from pynamodb.exceptions import PutError

from omnicase.domain.principal import Principal, role_rank
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import OmnicaseItem, UserItem

if TYPE_CHECKING:
    from omnicase.domain.model import Tenant

logger = logging.getLogger(__name__)

# How long a warm container trusts what it read about a person: a revoked or disabled person keeps access there for
# at most this long (plus the time until their next request), inside the documented minute.
USER_CACHE_SECONDS = 30


@dataclass(frozen=True)
class UserRecord:
    """A person of a tenant: their Cognito identity and what omnicase lets them do."""

    tenant_id: str
    sub: str
    username: str
    user_pool_id: str
    agent_id: str
    role: str
    created_at: datetime
    revoked_at: datetime | None = None


class TenantsById(Protocol):
    def tenant(self, tenant_id: str) -> Tenant | None: ...


def save_user(record: UserRecord) -> None:
    """Store a new person; ValueError when the `sub` is already stored (never overwrite, so never un-revoke)."""
    tenant_pk = keys.tenant_pk(record.tenant_id)
    item = UserItem(
        tenant_pk,
        keys.user_sk(record.sub),
        tenant_id=record.tenant_id,
        username=record.username,
        user_pool_id=record.user_pool_id,
        agent_id=record.agent_id,
        role=record.role,
        created_at=record.created_at,
        gsi1pk=keys.cognito_user_lookup_pk(record.sub),
        gsi1sk=tenant_pk,
    )
    try:
        item.save(condition=UserItem.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise ValueError(f"user {record.username} is already stored") from error
        raise


def user_by_sub(sub: str) -> UserRecord | None:
    """The person of a Cognito `sub` (one gsi1 query), revoked ones included; None when omnicase has no record."""
    item = next(iter(OmnicaseItem.gsi1.query(keys.cognito_user_lookup_pk(sub), limit=1)), None)
    return _record(item) if isinstance(item, UserItem) else None


def users(tenant_id: str) -> list[UserRecord]:
    """Every person of the tenant, revoked included, oldest first."""
    items = UserItem.query(keys.tenant_pk(tenant_id), UserItem.sk.startswith(keys.user_sk("")))
    return sorted((_record(i) for i in items if isinstance(i, UserItem)), key=lambda r: r.created_at)


def revoke_user(tenant_id: str, sub: str) -> datetime:
    """Mark the person revoked (kept, so listings still show who had access); returns when."""
    at = datetime.now(UTC)
    item = UserItem(keys.tenant_pk(tenant_id), keys.user_sk(sub))
    item.update(actions=[UserItem.revoked_at.set(at)], condition=UserItem.pk.exists())
    return at


def _record(item: UserItem) -> UserRecord:
    return UserRecord(
        tenant_id=item.tenant_id,
        sub=item.sk.removeprefix(keys.user_sk("")),
        username=item.username,
        user_pool_id=item.user_pool_id,
        agent_id=item.agent_id,
        role=item.role,
        created_at=item.created_at,
        revoked_at=item.revoked_at,
    )


class DynamoPeopleDirectory:
    """The principal of a person's `sub`, cached per process for USER_CACHE_SECONDS (misses too)."""

    def __init__(
        self,
        tenants: TenantsById,
        clock: Callable[[], float] = time.monotonic,
        load: Callable[[str], UserRecord | None] = user_by_sub,
        enabled: Callable[[str, str], bool] | None = None,
    ) -> None:
        self._tenants = tenants
        self._clock = clock
        self._load = load
        self._enabled = enabled  # (user pool id, username) -> Cognito still lets them in
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    def principal_for_sub(self, sub: str) -> Principal | None:
        """Tenant, agent and role of a person; None when unknown or revoked."""
        hit = self._cache.get(sub)
        if hit and hit[0] > self._clock():
            return hit[1]
        principal = self._principal(sub)
        self._cache[sub] = (self._clock() + USER_CACHE_SECONDS, principal)
        return principal

    def forget(self, sub: str) -> None:
        """Drop what this process cached about a person (after adding or revoking them here)."""
        self._cache.pop(sub, None)

    def _principal(self, sub: str) -> Principal | None:
        record = self._load(sub)
        if record is None or record.revoked_at is not None:
            return None
        if self._enabled is not None and not self._enabled(record.user_pool_id, record.username):
            return None  # disabled or deleted in Cognito itself (the AWS console), not through `agents revoke`
        tenant = self._tenants.tenant(record.tenant_id)
        if tenant is None:
            return None
        try:
            role_rank(record.role)
        except ValueError:
            logger.warning("user %s has an unknown role %r: refused", record.username, record.role)
            return None
        return Principal(tenant=tenant, agent_id=record.agent_id, role=record.role)
