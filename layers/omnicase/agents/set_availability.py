"""PUT /agents/{agent_id}/availability: an agent says they are available or away ("me": the caller), a supervisor
may say it for anyone of the tenant; going away hands the cases waiting for them back to their queues."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from omnicase.domain.availability import AgentAvailability
from omnicase.domain.errors import NotFound
from omnicase.domain.principal import Principal, require_role
from omnicase.domain.text_limits import check_agent_text

MAX_AWAY = timedelta(days=366)  # a later `until` is a typo more likely than a plan
FIELDS = {"available", "until"}


def availability_from(body: object, agent_id: str, actor: str, now: datetime) -> AgentAvailability:
    """{"available": true|false, "until"?: ISO 8601 time with offset, in the future; only when away}."""
    if not isinstance(body, Mapping) or not isinstance(body.get("available"), bool):
        raise ValueError('send a JSON object {"available": true|false, "until": "<ISO 8601 time>" (optional)}')
    unknown = set(body) - FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    if body.get("until") is not None and body["available"]:
        raise ValueError("until goes with available: false (away until then); being available needs no end")
    return AgentAvailability(agent_id, body["available"], _until(body.get("until"), now), actor, now)


def _until(value: object, now: datetime) -> datetime | None:
    if value is None:
        return None
    try:
        until = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        until = None
    if until is None or until.utcoffset() is None:
        raise ValueError('until must be an ISO 8601 time with its offset, e.g. "2026-05-04T09:00:00+08:00"')
    if not now < until <= now + MAX_AWAY:
        raise ValueError(f"until must be in the future, at most {MAX_AWAY.days} days ahead")
    return until


def target_agent(principal: Principal, path_agent: str, known: set[str]) -> str:
    """Whose availability the caller may set: their own ("me" or their id), anyone's for a supervisor; agents the
    tenant does not have (another tenant's included) are 404."""
    if path_agent == "me":
        if not principal.agent_id:
            raise ValueError("/agents/me needs an agent's token; a tenant-wide token names the agent in the path")
        path_agent = principal.agent_id
    check_agent_text("agent_id", path_agent, "assignee")
    if path_agent != principal.agent_id:
        require_role(principal, "supervisor")  # agents set only their own
    if path_agent not in known:
        raise NotFound(f"no agent {path_agent!r} in this tenant")
    return path_agent


def availability_view(state: AgentAvailability, handed_back: tuple[str, ...]) -> dict[str, Any]:
    return {
        "agent_id": state.agent_id,
        "available": state.available,
        "until": state.until.isoformat() if state.until else None,
        "changed_by": state.changed_by,
        "changed_at": state.changed_at.isoformat() if state.changed_at else None,
        "handed_back": {"count": len(handed_back), "case_ids": list(handed_back)},
    }


def set_availability(principal: Principal, path_agent: str, body: object, actor: str, now: datetime) -> dict[str, Any]:
    """Check who may set whose, store it, hand back what waited for an away agent; the answer counts those cases."""
    from omnicase.wiring import agent_presence, tenant_configs

    config = tenant_configs().config_for(principal.tenant.tenant_id)
    agent_id = target_agent(principal, path_agent, set(config.agents))
    change = agent_presence().set(config, availability_from(body, agent_id, actor, now), now)
    return availability_view(change.state, change.handed_back)
