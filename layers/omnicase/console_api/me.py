"""GET /me: who the token speaks for, and the tenant's people, queues and time zone the console lays out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from omnicase.domain.attention import queue_names, queues_of
from omnicase.domain.principal import Principal
from omnicase.domain.tenant_config import TenantConfig
from omnicase.wiring import tenant_configs


def me(principal: Principal) -> dict[str, Any]:
    """The principal with the tenant's configuration; agent_id and name are null for a tenant-wide token."""
    tenant = principal.tenant
    config = tenant_configs().config_for(tenant.tenant_id)
    agent = config.agents.get(principal.agent_id or "")
    until = away_until(tenant.tenant_id, config)
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
            {
                "agent_id": a.agent_id,
                "name": a.name,
                "role": a.role,
                "queues": list(a.queues),
                "available": a.available,
                "until": until.get(a.agent_id),
            }
            for a in config.agents.values()
        ],
    }


def away_until(tenant_id: str, config: TenantConfig) -> dict[str, str]:
    """When each agent's state set through the API ends (ISO 8601), for the states still in force with an end."""
    if not config.agents:
        return {}
    from omnicase.wiring import availability_store

    now = datetime.now(UTC)
    states = availability_store().states(tenant_id)
    return {agent_id: s.until.isoformat() for agent_id, s in states.items() if s.until and s.in_force(now)}


def queue_info(config: TenantConfig, name: str) -> dict[str, Any]:
    """A queue as configured; queues routing falls back to without configuring them have no description."""
    queue = config.queues.get(name)
    return {
        "name": name,
        "description": queue.description if queue else "",
        "supervisor": queue.supervisor if queue else None,
    }
