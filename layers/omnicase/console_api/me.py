"""GET /me: who the token speaks for, and the tenant's people, queues and time zone the console lays out."""

from __future__ import annotations

from typing import Any

from omnicase.api.principal import Principal
from omnicase.domain.attention import queue_names, queues_of
from omnicase.domain.tenant_config import TenantConfig
from omnicase.wiring import tenant_configs


def me(principal: Principal) -> dict[str, Any]:
    """The principal with the tenant's configuration; agent_id and name are null for a tenant-wide token."""
    tenant = principal.tenant
    config = tenant_configs().config_for(tenant.tenant_id)
    agent = config.agents.get(principal.agent_id or "")
    return {
        "tenant_id": tenant.tenant_id,
        "tenant_name": tenant.name,
        "agent_id": principal.agent_id,
        "name": agent.name if agent else None,
        "role": principal.role,
        "time_zone": config.time_zone,
        "my_queues": queues_of(config, principal.agent_id),
        "queues": [queue_info(config, name) for name in queue_names(config)],
        "agents": [
            {"agent_id": a.agent_id, "name": a.name, "role": a.role, "queues": list(a.queues), "available": a.available}
            for a in config.agents.values()
        ],
    }


def queue_info(config: TenantConfig, name: str) -> dict[str, Any]:
    """A queue as configured; queues routing falls back to without configuring them have no description."""
    queue = config.queues.get(name)
    return {
        "name": name,
        "description": queue.description if queue else "",
        "supervisor": queue.supervisor if queue else None,
    }
