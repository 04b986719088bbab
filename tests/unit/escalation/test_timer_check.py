"""The escalation flow: the check at each deadline (owner, wait, fire once, retry on races, hand-over) and the
starter that begins a case's execution when its next deadline comes sooner than anything wakes."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_timers import Notice
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case, CaseStatus, Channel, Priority
from omnicase.domain.routing import RoutingContext
from omnicase.domain.serve_case import serve_new_case, serve_status_change
from omnicase.domain.tenant_config import (
    Agent,
    BusinessCalendar,
    EscalationPolicy,
    Queue,
    SlaPolicy,
    SlaTargets,
    TenantConfig,
)
from omnicase.escalation.timer_check import (
    MAX_LOOPS_PER_EXECUTION,
    MAX_UNRECORDED_LOOPS,
    TimerCheck,
    TimerRequest,
)
from omnicase.escalation.timer_starter import TimerStarter, needs_new_execution

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CASE_ID = "0000AB12CD"
OWNER = "acme-0000AB12CD-1-abc123"
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

CONFIG = TenantConfig(
    tenant_id="acme",
    calendars={"always": BusinessCalendar("always", "UTC", always_open=True)},
    sla=SlaPolicy(
        calendar="always",
        targets={Priority.NORMAL: SlaTargets(first_response=HOUR, resolution=8 * HOUR)},
        warning_before=10 * MINUTE,
    ),
    escalation=EscalationPolicy(level_interval=30 * MINUTE, queue="escalations"),
    queues={"general": Queue("general", supervisor="sam"), "escalations": Queue("escalations", supervisor="sam")},
    agents={"ann": Agent("ann", "Ann"), "sam": Agent("sam", "Sam", role="supervisor")},
    managers=("mia",),
)


class MemoryCases:
    """CaseStore in a dict: deep copies in and out, optimistic version check on save."""

    def __init__(self) -> None:
        self.cases: dict[tuple[str, str], Case] = {}
        self.events: list[CaseEvent] = []
        self.saves = 0
        self.before_save = None  # a hook run once before the next save: a concurrent writer

    def put(self, case: Case) -> None:
        self.cases[(case.tenant_id, case.case_id)] = replace(copy.deepcopy(case), version=(case.version or 0) + 1)

    def get(self, tenant_id: str, case_id: str) -> Case | None:
        stored = self.cases.get((tenant_id, case_id))
        return copy.deepcopy(stored) if stored else None

    def save(self, case: Case, events: list[CaseEvent]) -> None:
        if self.before_save:
            hook, self.before_save = self.before_save, None
            hook(self)
        stored = self.cases.get((case.tenant_id, case.case_id))
        if stored is None or stored.version != case.version:
            raise ConcurrentUpdate("case version")
        self.saves += 1
        self.events += events
        self.put(case)

    def stored(self) -> Case:
        return self.cases[("acme", CASE_ID)]


class RecordingNotifier:
    def __init__(self) -> None:
        self.notices: list[Notice] = []

    def notify(self, notice: Notice, case: Case, config: TenantConfig) -> None:
        self.notices.append(notice)


class Configs:
    def config_for(self, tenant_id: str) -> TenantConfig:
        assert tenant_id == "acme"
        return CONFIG


def routed_case(owner: str | None = OWNER, wake: datetime | None = None, generation: int = 1) -> Case:
    """A NORMAL case of T0: warning at T0+50m, first-response breach at T0+1h."""
    case = Case(tenant_id="acme", case_id=CASE_ID, channel=Channel.EMAIL, subject="Printer broken", created_at=T0)
    context = RoutingContext(Channel.EMAIL, "Printer broken", "", False, ("email:ann@example.com",), (), T0)
    serve_new_case(case, CONFIG, context, CaseEventLog("acme", CASE_ID, T0))
    case.service.timer_owner, case.service.timer_wake_at, case.service.timer_generation = owner, wake, generation
    return case


@pytest.fixture
def cases() -> MemoryCases:
    return MemoryCases()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def check(cases, notifier) -> TimerCheck:
    return TimerCheck(cases=cases, configs=Configs(), notifier=notifier)


def request(owner: str = OWNER, loops: int = 0, generation: int = 1) -> TimerRequest:
    return TimerRequest(tenant_id="acme", case_id=CASE_ID, owner=owner, generation=generation, loops=loops)


# --- the check ----------------------------------------------------------------------------------------------------


def test_a_superseded_execution_ends_without_writing(cases, notifier, check):
    # Given a case whose timers a newer execution owns, with a breach due
    cases.put(routed_case(owner="acme-0000AB12CD-2-def456", generation=2))
    before = copy.deepcopy(cases.stored())

    # When the old execution wakes at the breach
    outcome = check.check(request(), T0 + 2 * HOUR)

    # Then it ends and leaves the case alone
    assert outcome == {"action": "done", "why": "superseded"}
    assert cases.saves == 0
    assert cases.stored() == before
    assert notifier.notices == []


def test_a_missing_case_ends_the_execution(cases, check):
    assert check.check(request(), T0) == {"action": "done", "why": "no such case"}
    assert cases.saves == 0


def test_an_execution_not_yet_recorded_as_owner_looks_again_shortly(cases, notifier, check):
    # Given generation 2 was started but the starter has not recorded it yet (the case still names generation 1)
    cases.put(routed_case())
    newer = "acme-0000AB12CD-2-def456"

    # When generation 2 checks at the breach
    outcome = check.check(request(owner=newer, generation=2, loops=3), T0 + 2 * HOUR)

    # Then it neither acts nor ends: it looks again in a second
    assert outcome == {"action": "wait", "seconds": 1, "loops": 4}
    assert cases.saves == 0
    assert notifier.notices == []


def test_an_execution_never_recorded_as_owner_gives_up(cases, check):
    cases.put(routed_case())

    outcome = check.check(
        request(owner="acme-0000AB12CD-2-def456", generation=2, loops=MAX_UNRECORDED_LOOPS), T0 + 2 * HOUR
    )

    assert outcome == {"action": "done", "why": "superseded"}
    assert cases.saves == 0


def test_the_check_waits_until_the_next_deadline_rounded_up(cases, notifier, check):
    # Given a case whose next timer (the warning) is due at T0+50m
    cases.put(routed_case())

    # When the check runs at T0+10m and a little
    now = T0 + 10 * MINUTE + timedelta(milliseconds=400)
    outcome = check.check(request(loops=4), now)

    # Then it sleeps until the warning, whole seconds rounded up, and records when it wakes
    assert outcome == {
        "action": "wait",
        "seconds": 2400,  # 39m59.6s
        "wake_at": (T0 + 50 * MINUTE).isoformat(),
        "loops": 5,
    }
    assert cases.stored().service.timer_wake_at == T0 + 50 * MINUTE
    assert cases.events == []
    assert notifier.notices == []


def test_a_wake_already_recorded_is_not_written_again(cases, check):
    cases.put(routed_case(wake=T0 + 50 * MINUTE))

    outcome = check.check(request(), T0 + 10 * MINUTE)

    assert outcome["action"] == "wait"
    assert cases.saves == 0


def test_a_breach_at_wake_writes_its_events_and_notifies_once(cases, notifier, check):
    # Given a case warned already
    cases.put(routed_case())
    check.check(request(), T0 + 50 * MINUTE)
    notifier.notices.clear()
    cases.events.clear()

    # When the check wakes at the breach
    outcome = check.check(request(loops=1), T0 + HOUR)

    # Then the breach and level 1 are stored, the supervisor is told once and the check sleeps until level 2
    assert [e.kind for e in cases.events] == ["sla_breached", "escalated"]
    assert [(n.kind, n.recipients, n.level) for n in notifier.notices] == [("escalation", ("sam",), 1)]
    stored = cases.stored()
    assert stored.service.breached == ("first_response",)
    assert stored.service.escalation_level == 1
    assert stored.service.timer_wake_at == T0 + HOUR + 30 * MINUTE
    assert outcome["seconds"] == 30 * 60


def test_running_the_same_check_twice_at_the_same_instant_notifies_once(cases, notifier, check):
    cases.put(routed_case())

    first = check.check(request(), T0 + HOUR)
    saves = cases.saves
    second = check.check(request(), T0 + HOUR)

    assert [n.kind for n in notifier.notices] == ["sla_warning", "escalation"]
    assert [e.kind for e in cases.events] == ["sla_warning", "sla_breached", "escalated"]
    assert cases.saves == saves  # nothing changed the second time: nothing written
    assert first == second


def test_a_concurrent_change_between_read_and_save_is_retried(cases, notifier, check):
    # Given an agent assigns the case to Ann while the check is at work
    cases.put(routed_case())

    def agent_assigns(store: MemoryCases) -> None:
        case = store.get("acme", CASE_ID)
        assert case is not None
        case.assignee = "ann"
        store.put(case)

    cases.before_save = agent_assigns

    # When the check fires the breach
    check.check(request(), T0 + HOUR)

    # Then it read the case again and fired against the fresh one: Ann kept, notices once, to Ann
    stored = cases.stored()
    assert stored.assignee == "ann"
    assert stored.service.escalation_level == 1
    assert cases.saves == 1
    assert [e.kind for e in cases.events] == ["sla_warning", "sla_breached", "escalated"]
    assert [(n.kind, n.recipients) for n in notifier.notices] == [("sla_warning", ("ann",)), ("escalation", ("ann",))]


def test_a_case_that_keeps_changing_fails_the_check(cases, notifier, check, monkeypatch):
    cases.put(routed_case())

    def always_conflict(case: Case, events: list[CaseEvent]) -> None:
        raise ConcurrentUpdate("case version")

    monkeypatch.setattr(cases, "save", always_conflict)

    with pytest.raises(ConcurrentUpdate):
        check.check(request(), T0 + HOUR)
    assert notifier.notices == []


def test_a_finished_case_ends_the_execution_and_clears_its_wake(cases, notifier, check):
    # Given a solved case whose execution was to wake at T0+50m
    case = routed_case(wake=T0 + 50 * MINUTE)
    serve_status_change(case, CONFIG, CaseStatus.SOLVED, "ann", T0 + 20 * MINUTE, CaseEventLog("acme", CASE_ID, T0))
    cases.put(case)

    # When it wakes
    outcome = check.check(request(), T0 + 50 * MINUTE)

    # Then it ends, and the case says nothing wakes for it any more
    assert outcome == {"action": "done", "why": "solved"}
    assert cases.stored().service.timer_wake_at is None
    assert notifier.notices == []


def test_a_long_lived_execution_hands_over(cases, check):
    # Given an execution that has looped its maximum, with a timer still ahead
    cases.put(routed_case(wake=T0 + 50 * MINUTE))

    # When it checks once more
    outcome = check.check(request(loops=MAX_LOOPS_PER_EXECUTION), T0 + 10 * MINUTE)

    # Then it ends with no wake recorded, so the starter begins a fresh execution
    assert outcome == {"action": "done", "why": "new"}
    stored = cases.stored()
    assert stored.service.timer_wake_at is None
    assert stored.service.next_deadline == T0 + 50 * MINUTE
    assert needs_new_execution(stored)


def test_one_loop_below_the_maximum_still_waits(cases, check):
    cases.put(routed_case(wake=T0 + 50 * MINUTE))

    outcome = check.check(request(loops=MAX_LOOPS_PER_EXECUTION - 1), T0 + 10 * MINUTE)

    assert outcome["action"] == "wait"
    assert outcome["loops"] == MAX_LOOPS_PER_EXECUTION


def test_the_request_reads_the_loops_of_the_previous_check():
    first = {"tenant_id": "acme", "case_id": CASE_ID, "owner": OWNER, "generation": 1}
    later = {**first, "timer": {"action": "wait", "loops": 7}}

    assert TimerRequest.from_state(later) == request(loops=7)
    assert TimerRequest.from_state(first) == request(loops=0)


# --- the starter --------------------------------------------------------------------------------------------------


class FakeExecutions:
    def __init__(self) -> None:
        self.started: list[tuple[str, dict[str, object]]] = []

    def start(self, name: str, payload: dict[str, object]) -> None:
        self.started.append((name, payload))


class FakeOwnership:
    def __init__(self, succeeds: bool = True) -> None:
        self.succeeds = succeeds
        self.handed: list[tuple[str, str, int]] = []

    def hand_timers_to(self, case: Case, owner: str, generation: int) -> bool:
        self.handed.append((case.case_id, owner, generation))
        return self.succeeds


def starter_for(succeeds: bool = True) -> tuple[TimerStarter, FakeExecutions, FakeOwnership]:
    executions, ownership = FakeExecutions(), FakeOwnership(succeeds)
    return TimerStarter(executions, ownership), executions, ownership


def test_the_starter_begins_an_execution_when_nothing_wakes():
    # Given a case with a deadline and no execution waking for it
    case = routed_case(owner=None, wake=None)
    starter, executions, ownership = starter_for()

    # When it changes
    name = starter.on_case_changed(case)

    # Then generation 2 starts, named after the case, and owns its timers
    assert name is not None
    assert name.startswith("acme-0000AB12CD-2-")
    assert executions.started == [(name, {"tenant_id": "acme", "case_id": CASE_ID, "owner": name, "generation": 2})]
    assert ownership.handed == [(CASE_ID, name, 2)]


def test_each_start_has_its_own_name():
    case = routed_case(owner=None, wake=None)
    starter, executions, _ = starter_for()

    first, second = starter.on_case_changed(case), starter.on_case_changed(case)

    assert first != second
    assert [name for name, _ in executions.started] == [first, second]


@pytest.mark.parametrize("wake", [T0 + 50 * MINUTE, T0 + 40 * MINUTE])
def test_the_starter_leaves_a_case_whose_execution_wakes_in_time(wake):
    case = routed_case(wake=wake)  # next deadline T0+50m: the running execution wakes at or before it
    starter, executions, ownership = starter_for()

    assert starter.on_case_changed(case) is None
    assert executions.started == []
    assert ownership.handed == []


def test_the_starter_begins_again_when_the_deadline_moved_earlier():
    # Given an execution waking at T0+50m, and a deadline that moved to T0+5m
    case = routed_case(wake=T0 + 50 * MINUTE)
    case.service.next_deadline = T0 + 5 * MINUTE
    starter, executions, _ = starter_for()

    name = starter.on_case_changed(case)

    assert name is not None and name.startswith("acme-0000AB12CD-2-")
    assert len(executions.started) == 1


def test_the_starter_leaves_finished_cases_and_cases_without_deadlines():
    solved = routed_case(owner=None)
    solved.status = CaseStatus.SOLVED
    no_deadline = routed_case(owner=None)
    no_deadline.service.next_deadline = None
    starter, executions, _ = starter_for()

    assert starter.on_case_changed(solved) is None
    assert starter.on_case_changed(no_deadline) is None
    assert executions.started == []


def test_the_starter_returns_none_when_the_case_changed_meanwhile():
    case = routed_case(owner=None, wake=None)
    starter, executions, ownership = starter_for(succeeds=False)

    assert starter.on_case_changed(case) is None
    assert len(executions.started) == 1  # started first: a crash in between never leaves the case without a timer
    assert len(ownership.handed) == 1
