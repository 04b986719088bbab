"""Which queues a tenant has, which are an agent's, and which open cases need attention soon; pure."""

from __future__ import annotations

from datetime import datetime, timedelta

from omnicase.domain.case_timers import FINISHED, PAUSED
from omnicase.domain.model import Case
from omnicase.domain.tenant_config import SlaPolicy, TenantConfig

DEFAULT_WARNING_LEAD = SlaPolicy(calendar="").warning_before


def queue_names(config: TenantConfig) -> list[str]:
    """Every queue a case of the tenant can be in: the configured ones first, then those routing falls back to."""
    named = [
        *config.queues,
        config.default_queue,
        config.green_channel.queue,
        config.escalation.queue,
        config.surveys.callback_queue,
        *(account.queue for account in config.key_accounts),
        *(rule.then.queue for rule in config.rules if rule.then.queue),
        *(queue for agent in config.agents.values() for queue in agent.queues),
    ]
    return list(dict.fromkeys(named))


def queues_of(config: TenantConfig, agent_id: str | None) -> list[str]:
    """The agent's queues; every queue for a tenant-wide token or an agent configured without queues."""
    agent = config.agents.get(agent_id or "")
    return list(agent.queues) if agent and agent.queues else queue_names(config)


def warning_lead(config: TenantConfig) -> timedelta:
    """How long before a deadline a case counts as at risk: the SLA warning lead."""
    return config.sla.warning_before if config.sla else DEFAULT_WARNING_LEAD


def is_at_risk(case: Case, now: datetime, lead: timedelta) -> bool:
    """A running SLA clock, not yet breached, due within `lead` of `now`."""
    sla = case.service.sla
    if case.status in FINISHED or case.status in PAUSED or sla is None or sla.paused_at is not None:
        return False
    return any(
        clock.running
        and clock.due_at is not None
        and clock.name not in case.service.breached
        and now < clock.due_at <= now + lead
        for clock in sla.clocks
    )
