"""Agents coming and going: the availability they set at runtime over the configuration's, and the cases that stop
waiting for an agent who goes away — pure, no I/O.

The YAML's `available` is each agent's default; a state set through the API wins over it until its `until` passes.
That is evaluated when read (an away state whose `until` is past no longer counts), so no sweep flips agents back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.case_timers import FINISHED, next_deadline
from omnicase.domain.model import Case
from omnicase.domain.tenant_config import TenantConfig

AGENT_AWAY = "agent_away"  # why a case was handed back (the handed_back event's `cause`)


@dataclass(frozen=True)
class AgentAvailability:
    """What an agent (or their supervisor) said last: available or away, maybe only until a given time."""

    agent_id: str
    available: bool
    until: datetime | None = None  # the state holds until then, then the configuration's default applies again
    changed_by: str = ""
    changed_at: datetime | None = None

    def in_force(self, now: datetime) -> bool:
        return self.until is None or now < self.until


def with_availability(config: TenantConfig, states: Mapping[str, AgentAvailability], now: datetime) -> TenantConfig:
    """The configuration with each agent's `available` as it is now; unchanged (the same object) when nothing
    set at runtime is in force or differs from the configuration."""
    agents = dict(config.agents)
    for agent_id, state in states.items():
        agent = agents.get(agent_id)
        if agent is not None and state.in_force(now) and agent.available != state.available:
            agents[agent_id] = replace(agent, available=state.available)
    return config if agents == config.agents else replace(config, agents=agents)


def waits_for(case: Case, agent_id: str) -> bool:
    """A dedicated or reopened case given to the agent that they have not answered since it was given.

    Dedicated: a key account's window still runs. Reopened: the case came back to the agent who had it before.
    Cases the agent took up (answered since assignment) stay theirs: going away is not giving up work in hand.
    """
    service = case.service
    if case.status in FINISHED or case.assignee != agent_id or service.assigned_at is None:
        return False
    if service.last_agent_reply_at is not None and service.last_agent_reply_at >= service.assigned_at:
        return False
    return service.dedicated_until is not None or service.previous_assignee == agent_id


def hand_back(case: Case, config: TenantConfig, actor: str, now: datetime, log: CaseEventLog) -> None:
    """The away agent's case goes back to its queue (changed in place); the queue sees it as unassigned."""
    service, agent_id = case.service, case.assignee or ""
    service.previous_assignee, case.assignee, service.assigned_at = agent_id, None, None
    service.dedicated_until = None
    log.add(
        "handed_back",
        f"{agent_id} is away; back to queue {case.queue}",
        actor=actor,
        agent_id=agent_id,
        cause=AGENT_AWAY,
        queue=case.queue,
    )
    service.next_deadline = next_deadline(case, config)
    case.updated_at = now
