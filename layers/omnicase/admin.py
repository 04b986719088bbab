"""Administrative entry points (used by the CLI and the local runtime)."""

from __future__ import annotations

from omnicase.domain.model import Tenant
from omnicase.persistence.tenant_store import save_tenant


def seed_tenant(tenant_id: str, name: str, mailboxes: list[str], api_token: str, ack_from: str) -> None:
    """Create or update a tenant receiving mail at `mailboxes`, readable with `api_token`."""
    tenant = Tenant(tenant_id=tenant_id, name=name, mailboxes=tuple(mailboxes), ack_from=ack_from)
    save_tenant(tenant, [api_token])
