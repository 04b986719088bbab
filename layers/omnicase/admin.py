"""Administrative entry points (used by the CLI and the local runtime)."""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from omnicase.api.auth import looks_like_jwt
from omnicase.channels.outbound_url import url_problem
from omnicase.domain.errors import NotFound
from omnicase.domain.model import Tenant
from omnicase.domain.principal import role_rank
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
from omnicase.persistence.user_store import UserRecord, revoke_user, save_user, users
from omnicase.wiring import people_directory, tenant_directory

if TYPE_CHECKING:
    from omnicase.aws.cognito_people import CognitoPeople
    from omnicase.domain.tenant_config import TenantConfig
    from omnicase.escalation.start_close_timers import CloseTimerOutcome


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
    """Create or update a tenant reached at `mailboxes` and `endpoints` ("sms:+1…", "wechat:gh_…", "chat:web").

    ValueError for a chat callback URL outbound chat would refuse: what case webhooks accept (public https; http to
    this machine for local testing, refused again at send time in AWS)."""
    if chat_callback_url:
        problem = url_problem(chat_callback_url, allow_loopback=True)
        if problem:
            raise ValueError(f"chat callback URL {chat_callback_url!r} refused: {problem}")
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


def _check_agent(tenant_id: str, agent_id: str, role: str) -> None:
    role_rank(role)
    if not _AGENT_ID.fullmatch(agent_id):
        raise ValueError("agent id: 1-64 letters, digits and . _ - @ + (no spaces)")
    if DynamoTenantDirectory().tenant(tenant_id) is None:  # uncached: the tenant may have been added just now
        raise NotFound(f"tenant {tenant_id} does not exist (omnicase tenant add)")


def add_agent_token(tenant_id: str, agent_id: str, role: str, token: str | None = None) -> tuple[str, ApiTokenRecord]:
    """Store a token for `agent_id` with `role`; a random one unless `token` is given. Returns the token (the only
    time it exists in clear) and its record. ValueError for bad input, NotFound for an unknown tenant."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ValueError(f"a token needs at least {MIN_TOKEN_LENGTH} characters")
    if token is not None and looks_like_jwt(token):  # the API would take it for a session token
        raise ValueError("a token must not look like a JWT (eyJ….….…); choose another")
    _check_agent(tenant_id, agent_id, role)
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


_PASSWORD_ALPHABET = string.ascii_letters + string.digits  # no symbols: easy to pass on, and the policy needs none
GENERATED_PASSWORD_LENGTH = 20


def generate_password() -> str:
    """A random password the user pool's policy accepts (lower, upper and digits, 20 characters)."""
    while True:
        candidate = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(GENERATED_PASSWORD_LENGTH))
        if all(any(test(c) for c in candidate) for test in (str.islower, str.isupper, str.isdigit)):
            return candidate


def add_person(
    tenant_id: str,
    agent_id: str,
    role: str,
    people: CognitoPeople,
    *,
    username: str | None = None,
    password: str | None = None,
) -> tuple[str | None, UserRecord]:
    """Create `agent_id` as a person who signs in to the console (user `username`, default the agent id) and store
    what omnicase lets them do. Returns the password when it was generated (the only time it is shown) and the
    record. ValueError for bad input or a taken username, NotFound for an unknown tenant."""
    _check_agent(tenant_id, agent_id, role)
    username = username or agent_id
    generated = password is None
    password = password or generate_password()
    sub = people.create(username, password)
    record = UserRecord(
        tenant_id=tenant_id,
        sub=sub,
        username=username,
        user_pool_id=people.user_pool_id,
        agent_id=agent_id,
        role=role,
        created_at=datetime.now(UTC),
    )
    try:
        save_user(record)
    except Exception:
        people.delete(username)  # a user who can sign in but may do nothing would only confuse: undo it
        raise
    people_directory().forget(sub)  # a miss cached before this person existed must not outlive it
    return (password if generated else None), record


def list_people(tenant_id: str) -> list[UserRecord]:
    """The tenant's people (Cognito users), revoked included, oldest first."""
    return users(tenant_id)


def revoke_people(tenant_id: str, agent_id: str) -> list[UserRecord]:
    """Revoke every live person of `agent_id`: disabled in the pool (no new sign-in), refresh tokens revoked, and
    the record marked revoked, which stops their access tokens at the API within user_store.USER_CACHE_SECONDS."""
    from omnicase.aws.cognito_people import CognitoPeople

    revoked = []
    for record in users(tenant_id):
        if record.agent_id != agent_id or record.revoked_at is not None:
            continue
        CognitoPeople(record.user_pool_id).disable(record.username)
        revoked.append(replace(record, revoked_at=revoke_user(tenant_id, record.sub)))
        people_directory().forget(record.sub)
    return revoked


def start_close_timers(tenant_id: str, *, dry_run: bool = False) -> tuple[TenantConfig, list[CloseTimerOutcome]]:
    """Start the auto-close timer of every solved case of the tenant that has none (`dry_run`: only list them).
    NotFound for an unknown tenant; the outcomes are empty when the tenant's auto-close is off."""
    from omnicase.escalation.start_close_timers import start_close_timers as start
    from omnicase.persistence.solved_cases import DynamoSolvedCases
    from omnicase.wiring import tenant_configs, timer_starter, timer_store

    if DynamoTenantDirectory().tenant(tenant_id) is None:
        raise NotFound(f"tenant {tenant_id} does not exist (omnicase tenant add)")
    config = tenant_configs().stored(tenant_id)
    starter = None if dry_run else timer_starter()
    return config, start(tenant_id, config, DynamoSolvedCases(), timer_store(), starter, datetime.now(UTC))
