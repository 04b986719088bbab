"""GET /queues: the supervisors' queue board — per queue its open, unassigned, at-risk and breached cases, and
how many each agent holds there."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from omnicase.console_api.me import queue_info
from omnicase.domain.attention import is_at_risk, queue_names, warning_lead
from omnicase.domain.tenant_config import TenantConfig
from omnicase.persistence.case_reader import CaseFilters
from omnicase.persistence.case_streams import open_cases
from omnicase.wiring import tenant_configs

PAGE = 500  # every open case is counted: large pages keep it to few requests


@dataclass
class _Tally:
    open: int = 0
    unassigned: int = 0
    at_risk: int = 0
    breached: int = 0
    by_agent: Counter[str] = field(default_factory=Counter)


def queue_board(tenant_id: str, now: datetime | None = None) -> dict[str, Any]:
    """Every queue of the tenant (configured ones first, in their order) with its counts."""
    now = now or datetime.now(UTC)
    config = tenant_configs().config_for(tenant_id)
    names = queue_names(config)
    lead = warning_lead(config)
    tallies = {name: _Tally() for name in names}
    for _, case in open_cases(tenant_id, names, CaseFilters(), page_size=PAGE):
        tally = tallies.setdefault(case.queue, _Tally())
        tally.open += 1
        tally.unassigned += case.assignee is None
        tally.breached += bool(case.service.breached)
        tally.at_risk += is_at_risk(case, now, lead)
        if case.assignee:
            tally.by_agent[case.assignee] += 1
    return {"queues": [_queue(config, name, tally) for name, tally in tallies.items()]}


def _queue(config: TenantConfig, name: str, tally: _Tally) -> dict[str, Any]:
    members = [a.agent_id for a in config.agents.values() if name in a.queues]
    agents = list(dict.fromkeys([*members, *tally.by_agent]))  # its members, and whoever holds a case there
    return {
        **queue_info(config, name),
        "open": tally.open,
        "unassigned": tally.unassigned,
        "at_risk": tally.at_risk,
        "breached": tally.breached,
        "agents": [
            {
                "agent_id": agent_id,
                "name": config.agents[agent_id].name if agent_id in config.agents else None,
                "open": tally.by_agent[agent_id],
            }
            for agent_id in agents
        ],
    }
