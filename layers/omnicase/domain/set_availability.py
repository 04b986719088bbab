"""An agent (or their supervisor) says they are available or away; going away hands the cases waiting for them
back to their queues at once, each with a handed_back event. Coming back takes nothing back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from omnicase.domain.availability import AgentAvailability, hand_back, waits_for
from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case
from omnicase.domain.tenant_config import TenantConfig

MAX_ATTEMPTS = 5  # a case changed meanwhile is re-read and judged again this often


class AvailabilityStore(Protocol):
    def states(self, tenant_id: str) -> dict[str, AgentAvailability]:
        """What each agent of the tenant set last."""
        ...

    def put(self, tenant_id: str, state: AgentAvailability) -> None:
        """Store one agent's state, keeping the others'."""
        ...


class AgentCases(Protocol):
    def assigned(self, tenant_id: str, agent_id: str) -> Iterable[Case]:
        """The agent's open cases as the assignee index has them (read lazily; may lag a write by a moment)."""
        ...

    def get(self, tenant_id: str, case_id: str) -> Case | None:
        """The case as stored now (consistent read)."""
        ...

    def save(self, case: Case, events: list[CaseEvent]) -> None:
        """Save the case with its events; ConcurrentUpdate when it changed since it was read."""
        ...


@dataclass(frozen=True)
class AvailabilityChange:
    state: AgentAvailability
    handed_back: tuple[str, ...]  # the case ids that went back to their queues


@dataclass
class AgentPresence:
    store: AvailabilityStore
    cases: AgentCases

    def set(self, config: TenantConfig, state: AgentAvailability, now: datetime) -> AvailabilityChange:
        """Store the state; when away, hand back every case still waiting for the agent (a repeat finds none)."""
        tenant_id = config.tenant_id
        self.store.put(tenant_id, state)
        if state.available:
            return AvailabilityChange(state, ())
        waiting = [c.case_id for c in self.cases.assigned(tenant_id, state.agent_id) if waits_for(c, state.agent_id)]
        handed = tuple(case_id for case_id in waiting if self._hand_back(config, case_id, state, now))
        return AvailabilityChange(state, handed)

    def _hand_back(self, config: TenantConfig, case_id: str, state: AgentAvailability, now: datetime) -> bool:
        """Hand one case back unless, read again, it no longer waits (answered, reassigned, solved meanwhile)."""
        for _ in range(MAX_ATTEMPTS):
            case = self.cases.get(config.tenant_id, case_id)
            if case is None or not waits_for(case, state.agent_id):
                return False
            log = CaseEventLog(config.tenant_id, case_id, now)
            hand_back(case, config, state.changed_by, now, log)
            try:
                self.cases.save(case, log.events)  # conditional on the version read: nobody's change is lost
                return True
            except ConcurrentUpdate:
                continue
        raise ConcurrentUpdate(f"case {case_id} kept changing while handing it back; send the request again")
