"""Agents coming and going: runtime availability over the configuration's, and the cases handed back when an agent
goes away (pure rules, and the service on an in-memory store that refuses stale versions as DynamoDB does)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest

from omnicase.domain.availability import AgentAvailability, waits_for, with_availability
from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case, CaseStatus
from omnicase.domain.routing import route_reopened
from omnicase.domain.serve_case import serve_agent_reply, serve_customer_message, serve_status_change
from omnicase.domain.set_availability import AgentPresence
from tests.unit.domain.test_case_timers import CASE_ID, CONFIG, HOUR, MINUTE, T0, assign, new_case

AWAY = AgentAvailability("ann", False, changed_by="ann", changed_at=T0)


def test_a_runtime_state_wins_over_the_configuration_until_its_until_passes():
    away_an_hour = replace(AWAY, until=T0 + HOUR)
    back = AgentAvailability("bob", True, changed_by="sam", changed_at=T0)  # away in the YAML

    now = with_availability(CONFIG, {"ann": away_an_hour, "bob": back}, T0 + 30 * MINUTE)
    later = with_availability(CONFIG, {"ann": away_an_hour, "bob": back}, T0 + HOUR)

    assert (now.agents["ann"].available, now.agents["bob"].available) == (False, True)
    assert (later.agents["ann"].available, later.agents["bob"].available) == (True, True)  # read-time expiry
    assert with_availability(CONFIG, {}, T0) is CONFIG  # nothing set: the configuration itself
    assert with_availability(CONFIG, {"ghost": AWAY}, T0) is CONFIG  # an agent no longer configured is ignored


def test_routing_skips_an_agent_away_at_runtime():
    config = with_availability(CONFIG, {"ann": AWAY}, T0)

    case, events = new_case(config, sender="email:joe@globex.example")  # ann is globex's dedicated agent

    assert case.assignee is None and case.service.dedicated_until is None
    assert "dedicated agent 'ann' is away" in events[0].reason
    assert route_reopened(config, "ann") is None


def dedicated_case() -> Case:
    case, _ = new_case(replace(CONFIG, sla=None), sender="email:joe@globex.example")
    assert case.assignee == "ann" and case.service.dedicated_until is not None
    return case


def reopened_case() -> Case:
    case, _ = new_case()
    assign(case, "ann")
    serve_agent_reply(case, CONFIG, "ann", T0 + MINUTE, CaseEventLog("acme", CASE_ID, T0))
    serve_status_change(case, CONFIG, CaseStatus.SOLVED, "ann", T0 + HOUR, CaseEventLog("acme", CASE_ID, T0))
    at = T0 + 2 * HOUR
    case.status, case.last_inbound_at = CaseStatus.OPEN, at
    serve_customer_message(case, CONFIG, at, CaseEventLog("acme", CASE_ID, at), previous_status=CaseStatus.SOLVED)
    assert case.assignee == "ann"
    return case


def test_dedicated_and_reopened_cases_not_yet_answered_wait_for_the_agent():
    worked = dedicated_case()
    serve_agent_reply(worked, CONFIG, "ann", T0 + MINUTE, CaseEventLog("acme", CASE_ID, T0))
    assigned, _ = new_case()
    assign(assigned, "ann")  # a supervisor gave it to her: in hand, not waiting on routing's promise

    assert waits_for(dedicated_case(), "ann") and waits_for(reopened_case(), "ann")
    assert not waits_for(worked, "ann")  # she took it up
    assert not waits_for(assigned, "ann")
    assert not waits_for(dedicated_case(), "bob")


@dataclass
class MemoryCases:
    """Cases by id with DynamoDB's version check; `meddle` changes a case just before a save, once."""

    cases: dict[str, Case] = field(default_factory=dict)
    events: list[CaseEvent] = field(default_factory=list)
    meddle: dict[str, object] = field(default_factory=dict)

    def add(self, case: Case) -> None:
        case.version = 1
        self.cases[case.case_id] = case

    def assigned(self, tenant_id: str, agent_id: str) -> list[Case]:
        return [copy.deepcopy(c) for c in self.cases.values() if c.assignee == agent_id]

    def get(self, tenant_id: str, case_id: str) -> Case | None:
        return copy.deepcopy(self.cases.get(case_id))

    def save(self, case: Case, events: list[CaseEvent]) -> None:
        change = self.meddle.pop(case.case_id, None)
        if change is not None:  # someone else's write lands first
            change(self.cases[case.case_id])
            self.cases[case.case_id].version += 1
        if self.cases[case.case_id].version != case.version:
            raise ConcurrentUpdate(case.case_id)
        self.cases[case.case_id] = replace(case, version=case.version + 1)
        self.events += events


@dataclass
class MemoryStates:
    saved: dict[str, AgentAvailability] = field(default_factory=dict)

    def states(self, tenant_id: str) -> dict[str, AgentAvailability]:
        return dict(self.saved)

    def put(self, tenant_id: str, state: AgentAvailability) -> None:
        self.saved[state.agent_id] = state


def cases_of(*cases: Case) -> MemoryCases:
    store = MemoryCases()
    for n, case in enumerate(cases):
        case.case_id = f"C{n}"
        store.add(case)
    return store


def test_going_away_hands_back_waiting_cases_once_and_coming_back_takes_nothing():
    # Given Ann has a dedicated case, a reopened one and one she is working on
    worked = dedicated_case()
    serve_agent_reply(worked, CONFIG, "ann", T0 + MINUTE, CaseEventLog("acme", CASE_ID, T0))
    cases, states = cases_of(dedicated_case(), reopened_case(), worked), MemoryStates()
    presence = AgentPresence(states, cases)

    # When she goes away (twice: a retried request)
    first = presence.set(CONFIG, AWAY, T0 + 3 * HOUR)
    again = presence.set(CONFIG, AWAY, T0 + 3 * HOUR)

    # Then the two waiting cases went back to their queues, each with one handed_back event; hers stays hers
    assert first.handed_back == ("C0", "C1") and again.handed_back == ()
    assert [(c.assignee, c.service.previous_assignee) for c in cases.cases.values()][:2] == [(None, "ann")] * 2
    assert cases.cases["C0"].service.dedicated_until is None and cases.cases["C2"].assignee == "ann"
    assert [(e.case_id, e.kind, e.detail["cause"], e.actor) for e in cases.events] == [
        ("C0", "handed_back", "agent_away", "ann"),
        ("C1", "handed_back", "agent_away", "ann"),
    ]
    assert states.saved["ann"] == AWAY

    # When she comes back, nothing returns to her
    back = presence.set(CONFIG, AgentAvailability("ann", True, changed_by="ann", changed_at=T0 + 4 * HOUR), T0)
    assert back.handed_back == () and [c.assignee for c in cases.cases.values()] == [None, None, "ann"]


def test_a_case_changed_meanwhile_is_judged_again_not_clobbered():
    # Given two waiting cases; while handing back, a supervisor re-prioritizes one and Ann answers the other
    cases = cases_of(dedicated_case(), dedicated_case())
    cases.meddle["C0"] = lambda case: setattr(case, "subject", "edited meanwhile")
    cases.meddle["C1"] = lambda case: serve_agent_reply(case, CONFIG, "ann", T0 + HOUR, CaseEventLog("acme", "C1", T0))

    change = AgentPresence(MemoryStates(), cases).set(CONFIG, AWAY, T0 + 2 * HOUR)

    # Then the edit is kept and the case still handed back; the answered case stays with her
    assert change.handed_back == ("C0",)
    assert (cases.cases["C0"].subject, cases.cases["C0"].assignee) == ("edited meanwhile", None)
    assert cases.cases["C1"].assignee == "ann"


def test_a_case_that_keeps_changing_is_a_conflict_to_retry():
    cases = cases_of(dedicated_case())

    class Busy(MemoryCases):
        def save(self, case: Case, events: list[CaseEvent]) -> None:
            raise ConcurrentUpdate(case.case_id)

    busy = Busy(cases.cases)
    with pytest.raises(ConcurrentUpdate, match="send the request again"):
        AgentPresence(MemoryStates(), busy).set(CONFIG, AWAY, T0 + timedelta(hours=2))
