"""Tenants, their endpoints (mailboxes, numbers, accounts) and API tokens: written by admin tools, read cached."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

from omnicase.domain.case_token import base_mailbox
from omnicase.domain.model import Tenant
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import ApiTokenItem, EndpointItem, OmnicaseItem, TenantItem

CACHE_SECONDS = 300  # tenant settings change rarely; a warm Lambda should not re-read them per message


def hash_token(token: str) -> str:
    """Tokens are stored only as their SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


class DynamoTenantDirectory:
    """Finds the tenant of an endpoint or an API token, with a small per-process cache."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[float, Tenant | None]] = {}

    def tenant_for_address(self, address: str) -> Tenant | None:
        return self.tenant_for_endpoint("email", base_mailbox(address))

    def tenant_for_endpoint(self, channel: str, address: str) -> Tenant | None:
        return self._cached(keys.endpoint_lookup_pk(channel, address))

    def tenant_for_token(self, token: str) -> Tenant | None:
        return self._cached(keys.api_token_lookup_pk(hash_token(token)))

    def tenant(self, tenant_id: str) -> Tenant | None:
        return self._cached(keys.tenant_pk(tenant_id))

    def _cached(self, lookup_pk: str) -> Tenant | None:
        hit = self._cache.get(lookup_pk)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        tenant = self._load(lookup_pk)
        self._cache[lookup_pk] = (time.monotonic() + CACHE_SECONDS, tenant)
        return tenant

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
            reopen_window_days=int(item.reopen_window_days),
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
        reopen_window_days=tenant.reopen_window_days,
        mailboxes=mailboxes,
        endpoints=list(tenant.endpoints),
        chat_callback_url=tenant.chat_callback_url,
    ).save()
    endpoints = [("email", m) for m in mailboxes] + [tuple(e.split(":", 1)) for e in tenant.endpoints]
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
