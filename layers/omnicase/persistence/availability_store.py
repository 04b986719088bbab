"""Agents' runtime availability on DynamoDB: one item per tenant beside its configuration, read with one GetItem
and written read-modify-write under its version (two agents changing at once both land)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError

from omnicase.domain.availability import AgentAvailability
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import AgentAvailabilityItem

MAX_ATTEMPTS = 5


class DynamoAvailabilityStore:
    def states(self, tenant_id: str) -> dict[str, AgentAvailability]:
        """What each agent of the tenant set last (none: nobody ever set anything)."""
        return states_of(self._item(tenant_id))

    def put(self, tenant_id: str, state: AgentAvailability) -> None:
        """Store the agent's state, keeping every other agent's; retried when another write came in between."""
        for _ in range(MAX_ATTEMPTS):
            item = self._item(tenant_id) or AgentAvailabilityItem(
                *keys.agent_availability_key(tenant_id), tenant_id=tenant_id, agents={}
            )
            item.agents = {**(item.agents or {}), state.agent_id: _entry(state)}
            try:
                item.save()  # conditional on the version read (VersionAttribute); a new item on its absence
                return
            except PutError as error:
                if error.cause_response_code != "ConditionalCheckFailedException":
                    raise
        raise ConcurrentUpdate(f"tenant {tenant_id}: availability kept changing; try again")

    @staticmethod
    def _item(tenant_id: str) -> AgentAvailabilityItem | None:
        try:
            item = AgentAvailabilityItem.get(*keys.agent_availability_key(tenant_id), consistent_read=True)
        except DoesNotExist:
            return None
        return item if item.tenant_id == tenant_id else None


def states_of(item: AgentAvailabilityItem | None) -> dict[str, AgentAvailability]:
    """The states an availability item holds (also read by intake, in its snapshot batch)."""
    entries: dict[str, Any] = item.agents if item is not None else {}
    return {agent_id: _state(agent_id, entry) for agent_id, entry in entries.items()}


def _entry(state: AgentAvailability) -> dict[str, Any]:
    entry: dict[str, Any] = {"available": state.available, "changed_by": state.changed_by}
    if state.until is not None:
        entry["until"] = state.until.isoformat()
    if state.changed_at is not None:
        entry["changed_at"] = state.changed_at.isoformat()
    return entry


def _state(agent_id: str, entry: dict[str, Any]) -> AgentAvailability:
    until, changed_at = (entry.get(name) for name in ("until", "changed_at"))
    return AgentAvailability(
        agent_id,
        bool(entry.get("available", True)),
        datetime.fromisoformat(until) if until else None,
        str(entry.get("changed_by") or ""),
        datetime.fromisoformat(changed_at) if changed_at else None,
    )
