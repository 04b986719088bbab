"""Administrative entry points (used by the CLI and the local runtime)."""

from __future__ import annotations

import re
import secrets
from dataclasses import replace

from omnicase.api.principal import role_rank
from omnicase.domain.errors import NotFound
from omnicase.domain.model import Tenant
from omnicase.persistence.tenant_store import (
    ApiTokenRecord,
    DynamoTenantDirectory,
    api_tokens,
    hash_token,
    revoke_api_token,
    save_api_token,
    save_tenant,
    token_in_use,
)
from omnicase.wiring import tenant_directory


def seed_tenant(
    tenant_id: str,
    name: str,
    mailboxes: list[str],
    api_token: str,
    ack_from: str,
    *,
    endpoints: list[str] | None = None,
    chat_callback_url: str | None = None,
) -> None:
    """Create or update a tenant reached at `mailboxes` and `endpoints` ("sms:+1…", "wechat:gh_…", "chat:web")."""
    tenant = Tenant(
        tenant_id=tenant_id,
        name=name,
        mailboxes=tuple(mailboxes),
        ack_from=ack_from,
        endpoints=tuple(endpoints or ()),
        chat_callback_url=chat_callback_url,
    )
    save_tenant(tenant, [api_token])


_AGENT_ID = re.compile(r"\w[\w.@+-]{0,63}")  # the names `omnicase config apply` accepts, at most the 64 the audit keeps
MIN_TOKEN_LENGTH = 16  # a chosen token is the only secret between the internet and the tenant's cases
MIN_FINGERPRINT_LENGTH = 8  # shorter prefixes could name several tokens by accident


def add_agent_token(tenant_id: str, agent_id: str, role: str, token: str | None = None) -> tuple[str, ApiTokenRecord]:
    """Store a token for `agent_id` with `role`; a random one unless `token` is given. Returns the token (the only
    time it exists in clear) and its record. ValueError for bad input, NotFound for an unknown tenant."""
    role_rank(role)
    if not _AGENT_ID.fullmatch(agent_id):
        raise ValueError("agent id: 1-64 letters, digits and . _ - @ + (no spaces)")
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ValueError(f"a token needs at least {MIN_TOKEN_LENGTH} characters")
    if DynamoTenantDirectory().tenant(tenant_id) is None:  # uncached: the tenant may have been added just now
        raise NotFound(f"tenant {tenant_id} does not exist (omnicase tenant add)")
    token = token or secrets.token_urlsafe(32)
    token_hash = hash_token(token)
    if token_in_use(token_hash):
        raise ValueError("that token is already in use; choose another (or let one be generated)")
    record = save_api_token(tenant_id, token_hash, agent_id, role)
    tenant_directory().forget_token(token_hash)  # a miss cached before this token existed must not outlive it
    return token, record


def list_agent_tokens(tenant_id: str) -> list[ApiTokenRecord]:
    """The tenant's tokens (agents' and tenant-wide ones), revoked included, oldest first."""
    return api_tokens(tenant_id)


def revoke_agent_tokens(
    tenant_id: str, *, agent_id: str | None = None, fingerprint: str | None = None
) -> list[ApiTokenRecord]:
    """Revoke every live token of `agent_id`, or the one token whose fingerprint starts with `fingerprint`.

    Returns what was revoked now. Effective at once in this process; other warm containers stop accepting the token
    within tenant_store.TOKEN_CACHE_SECONDS.
    """
    if (agent_id is None) == (fingerprint is None):
        raise ValueError("give an agent id or a token fingerprint")
    tokens = api_tokens(tenant_id)
    if fingerprint is not None:
        prefix = fingerprint.strip().lower()
        if len(prefix) < MIN_FINGERPRINT_LENGTH:
            raise ValueError(f"a fingerprint needs at least {MIN_FINGERPRINT_LENGTH} characters")
        chosen = [t for t in tokens if t.token_hash.startswith(prefix)]
        if len(chosen) > 1:
            raise ValueError(f"fingerprint {prefix} matches {len(chosen)} tokens; give more of it")
    else:
        chosen = [t for t in tokens if t.agent_id == agent_id]
    revoked = []
    for record in chosen:
        if record.revoked_at is None:
            revoked.append(replace(record, revoked_at=revoke_api_token(tenant_id, record.token_hash)))
            tenant_directory().forget_token(record.token_hash)
    return revoked
