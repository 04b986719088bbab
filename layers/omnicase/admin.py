"""Administrative entry points (used by the CLI and the local runtime)."""

from __future__ import annotations

from omnicase.domain.model import Tenant
from omnicase.persistence.tenant_store import save_tenant


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
