"""Tenants, their endpoints (mailboxes, numbers, accounts) and API tokens: written by admin tools, read cached."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from omnicase.channels.sms.sms_endpoints import endpoint_parts
from omnicase.domain.case_token import base_mailbox
from omnicase.domain.model import Tenant
from omnicase.domain.principal import LEGACY_ROLE, Principal, role_rank
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import ApiTokenItem, EndpointItem, OmnicaseItem, TenantItem

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300  # tenant settings change rarely; a warm Lambda should not re-read them per message
# How long a warm container trusts what it read about a token: a revoked token keeps working there for at most
# this long (the container that revokes forgets it at once). Short, because revocation is a security action; it
# costs one indexed read per token and container every 5 s. (People: USER_CACHE_SECONDS, bound by Cognito's quota.)
TOKEN_CACHE_SECONDS = 5
FINGERPRINT_LENGTH = 12  # hex digits of the hash shown by `omnicase agents list`: names a token, reveals nothing


def hash_token(token: str) -> str:
    """Tokens are stored only as their SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


class DynamoTenantDirectory:
    """Finds the tenant of an endpoint or an API token, with a small per-process cache."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._cache: dict[str, tuple[float, Tenant | None]] = {}
        self._tokens: dict[str, tuple[float, Principal | None]] = {}

    def tenant_for_address(self, address: str) -> Tenant | None:
        return self.tenant_for_endpoint("email", base_mailbox(address))

    def tenant_for_endpoint(self, channel: str, address: str) -> Tenant | None:
        return self._cached(keys.endpoint_lookup_pk(channel, address))

    def tenant_for_token(self, token: str) -> Tenant | None:
        principal = self.principal_for_token_hash(hash_token(token))
        return principal.tenant if principal else None

    def principal_for_token_hash(self, token_hash: str) -> Principal | None:
        """Tenant, agent and role of a token; None when unknown or revoked (cached TOKEN_CACHE_SECONDS)."""
        hit = self._tokens.get(token_hash)
        if hit and hit[0] > self._clock():
            return hit[1]
        principal = self._load_principal(token_hash)
        self._tokens[token_hash] = (self._clock() + TOKEN_CACHE_SECONDS, principal)
        return principal

    def forget_token(self, token_hash: str) -> None:
        """Drop what this process cached about a token (after revoking it here)."""
        self._tokens.pop(token_hash, None)

    def tenant(self, tenant_id: str) -> Tenant | None:
        return self._cached(keys.tenant_pk(tenant_id))

    def _cached(self, lookup_pk: str) -> Tenant | None:
        hit = self._cache.get(lookup_pk)
        if hit and hit[0] > self._clock():
            return hit[1]
        tenant = self._load(lookup_pk)
        self._cache[lookup_pk] = (self._clock() + CACHE_SECONDS, tenant)
        return tenant

    def _load_principal(self, token_hash: str) -> Principal | None:
        item = next(iter(OmnicaseItem.gsi1.query(keys.api_token_lookup_pk(token_hash), limit=1)), None)
        if not isinstance(item, ApiTokenItem) or item.revoked_at is not None:
            return None
        tenant = self.tenant(item.tenant_id)
        if tenant is None:
            return None
        role = item.role or LEGACY_ROLE
        try:
            role_rank(role)
        except ValueError:
            logger.warning("api token %s has an unknown role %r: refused", token_hash[:FINGERPRINT_LENGTH], role)
            return None
        return Principal(tenant=tenant, agent_id=item.agent_id, role=role)

    def _load(self, lookup_pk: str) -> Tenant | None:
        if lookup_pk.startswith("TENANT#"):
            tenant_id = lookup_pk.removeprefix("TENANT#")
        else:
            pointer = next(iter(OmnicaseItem.gsi1.query(lookup_pk, limit=1)), None)
            if pointer is None:
                return None
            tenant_id = pointer.tenant_id
        try:
            item = TenantItem.get(keys.tenant_pk(tenant_id), keys.SINGLETON_SK)
        except TenantItem.DoesNotExist:
            return None
        return Tenant(
            tenant_id=item.tenant_id,
            name=item.name,
            mailboxes=tuple(item.mailboxes or ()),
            ack_from=item.ack_from,
            ack_enabled=item.ack_enabled,
            ack_limit_per_hour=int(item.ack_limit_per_hour),
            endpoints=tuple(item.endpoints or ()),
            chat_callback_url=item.chat_callback_url,
        )


def save_tenant(tenant: Tenant, api_tokens: list[str]) -> None:
    """Create or update a tenant with its endpoints and API tokens (idempotent)."""
    tenant_pk = keys.tenant_pk(tenant.tenant_id)
    mailboxes = [m.lower() for m in tenant.mailboxes]
    TenantItem(
        tenant_pk,
        keys.SINGLETON_SK,
        tenant_id=tenant.tenant_id,
        name=tenant.name,
        ack_from=tenant.ack_from,
        ack_enabled=tenant.ack_enabled,
        ack_limit_per_hour=tenant.ack_limit_per_hour,
        mailboxes=mailboxes,
        endpoints=list(tenant.endpoints),
        chat_callback_url=tenant.chat_callback_url,
    ).save()
    endpoints = [("email", m) for m in mailboxes] + [endpoint_parts(e) for e in tenant.endpoints]
    for channel, address in endpoints:
        EndpointItem(
            tenant_pk,
            keys.endpoint_sk(channel, address),
            tenant_id=tenant.tenant_id,
            address=f"{channel}:{address}",
            gsi1pk=keys.endpoint_lookup_pk(channel, address),
            gsi1sk=tenant_pk,
        ).save()
    for token in api_tokens:
        token_hash = hash_token(token)
        ApiTokenItem(
            tenant_pk,
            keys.api_token_sk(token_hash),
            tenant_id=tenant.tenant_id,
            created_at=datetime.now(UTC),
            gsi1pk=keys.api_token_lookup_pk(token_hash),
            gsi1sk=tenant_pk,
        ).save()


@dataclass(frozen=True)
class ApiTokenRecord:
    """A stored token as admin tools see it: never the token, only its hash."""

    token_hash: str
    agent_id: str | None
    role: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def fingerprint(self) -> str:
        return self.token_hash[:FINGERPRINT_LENGTH]


def token_in_use(token_hash: str) -> bool:
    """Whether any tenant already has this token (two tenants sharing one would make gsi1 ambiguous)."""
    return next(iter(OmnicaseItem.gsi1.query(keys.api_token_lookup_pk(token_hash), limit=1)), None) is not None


def save_api_token(tenant_id: str, token_hash: str, agent_id: str | None, role: str) -> ApiTokenRecord:
    """Store a new token of the tenant; the condition refuses to overwrite (and so un-revoke) an existing one."""
    tenant_pk = keys.tenant_pk(tenant_id)
    item = ApiTokenItem(
        tenant_pk,
        keys.api_token_sk(token_hash),
        tenant_id=tenant_id,
        created_at=datetime.now(UTC),
        agent_id=agent_id,
        role=role,
        gsi1pk=keys.api_token_lookup_pk(token_hash),
        gsi1sk=tenant_pk,
    )
    item.save(condition=ApiTokenItem.pk.does_not_exist())
    return _record(item)


def api_tokens(tenant_id: str) -> list[ApiTokenRecord]:
    """Every token of the tenant, revoked ones included, oldest first."""
    items = ApiTokenItem.query(keys.tenant_pk(tenant_id), ApiTokenItem.sk.startswith(keys.api_token_sk("")))
    return sorted((_record(i) for i in items if isinstance(i, ApiTokenItem)), key=lambda r: r.created_at)


def revoke_api_token(tenant_id: str, token_hash: str) -> datetime:
    """Mark one token revoked (kept, so listings still show who had it); returns when."""
    at = datetime.now(UTC)
    item = ApiTokenItem(keys.tenant_pk(tenant_id), keys.api_token_sk(token_hash))
    item.update(actions=[ApiTokenItem.revoked_at.set(at)], condition=ApiTokenItem.pk.exists())
    return at


def _record(item: ApiTokenItem) -> ApiTokenRecord:
    return ApiTokenRecord(
        token_hash=item.sk.removeprefix(keys.api_token_sk("")),
        agent_id=item.agent_id,
        role=item.role or LEGACY_ROLE,
        created_at=item.created_at,
        revoked_at=item.revoked_at,
    )
