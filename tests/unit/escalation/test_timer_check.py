"""The escalation flow: the check at each deadline (owner, wait, fire once, retry on races, hand-over) and the
starter that begins a case's execution when its next deadline comes sooner than anything wakes. Both work against
an in-memory TimerStore that keeps the case (versioned) and its timer item apart, as DynamoDB does."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_timers import Notice
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case, CaseStatus, Channel, Priority
from omnicase.domain.routing import RoutingContext
from omnicase.domain.serve_case import serve_new_case, serve_status_change
from omnicase.domain.sla_clock import retarget
from omnicase.domain.tenant_config import (
    Agent,
    BusinessCalendar,
    EscalationPolicy,
    Queue,
    SlaPolicy,
    SlaTargets,
    TenantConfig,
)
from omnicase.domain.timer_ownership import CaseTimer
from omnicase.escalation.timer_check import (
    MAX_ATTEMPTS,
    MAX_LOOPS_PER_EXECUTION,
    MAX_UNRECORDED_LOOPS,
    FailedCheck,
    TimerCheck,
    TimerRequest,
)
from omnicase.escalation.timer_starter import TimerStarter, execution_name, needs_new_execution

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CASE_ID = "0000AB12CD"
OWNER = "acme-0000AB12CD-1-abc123"
NEWER = "acme-0000AB12CD-2-def456"
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

Hook = Callable[["MemoryTimers"], None]


class MemoryTimers:
    """TimerStore in dicts: cases as versioned deep copies, timers as a separate item.

    set_wake is all or nothing: it always checks the owner, and when there are events it also checks the case's
    version, saves the case and bumps the version. A wake alone never touches the case. claim succeeds when no
    timer is stored or the stored generation is the one read."""

    def __init__(self) -> None:
        self.cases: dict[tuple[str, str], Case] = {}
        self.timers: dict[tuple[str, str], CaseTimer] = {}
        self.events: list[CaseEvent] = []
        self.case_saves = 0
        self.wake_writes: list[datetime | None] = []
        self.conflicts = 0
        self.claims: list[CaseTimer] = []
        self.before_set_wake: Hook | None = None  # run once before the next set_wake: a concurrent writer
        self.before_claim: Hook | None = None  # run once before the next claim: a concurrent starter

    # test set-up and inspection

    def put(self, case: Case) -> None:
        """Store the case as a writer other than the timers would (an agent, intake): the version goes up."""
        self.cases[(case.tenant_id, case.case_id)] = replace(copy.deepcopy(case), version=(case.version or 0) + 1)

    def put_timer(self, timer: CaseTimer, tenant_id: str = "acme", case_id: str = CASE_ID) -> None:
        self.timers[(tenant_id, case_id)] = timer

    def stored(self) -> Case:
        return copy.deepcopy(self.cases[("acme", CASE_ID)])

    def timer(self) -> CaseTimer:
        return self.timers.get(("acme", CASE_ID), CaseTimer())

    @property
    def writes(self) -> int:
        return self.case_saves + len(self.wake_writes) + len(self.claims)

    # the TimerStore protocol

    def read(self, tenant_id: str, case_id: str) -> tuple[Case | None, CaseTimer]:
        stored = self.cases.get((tenant_id, case_id))
        return (copy.deepcopy(stored) if stored else None), self.timers.get((tenant_id, case_id), CaseTimer())

    def claim(self, case: Case, timer: CaseTimer, read_generation: int) -> bool:
        if self.before_claim:
            hook, self.before_claim = self.before_claim, None
            hook(self)
        key = (case.tenant_id, case.case_id)
        stored = self.timers.get(key)
        if stored is not None and stored.generation != read_generation:
            return False
        self.claims.append(timer)
        self.timers[key] = timer
        return True

    def set_wake(self, case: Case, owner: str, wake_at: datetime | None, events: list[CaseEvent]) -> None:
        if self.before_set_wake:
            hook, self.before_set_wake = self.before_set_wake, None
            hook(self)
        key = (case.tenant_id, case.case_id)
        timer = self.timers.get(key)
        if timer is None or timer.owner != owner:
            self.conflicts += 1
            raise ConcurrentUpdate("timer owner")
        stored = self.cases.get(key)
        if stored is None or stored.version != case.version:  # the wake was computed from this version
            self.conflicts += 1
            raise ConcurrentUpdate("case version")
        if events:
            self.case_saves += 1
            self.events += events
            self.put(case)
        self.wake_writes.append(wake_at)
        self.timers[key] = replace(timer, wake_at=wake_at)

    def record_failed_check(self, event: CaseEvent, owner: str) -> bool:
        key = (event.tenant_id, event.case_id)
        if any((e.at, e.event_id) == (event.at, event.event_id) for e in self.events):
            return True  # stored by an earlier attempt (DynamoDB: the event's put condition fails first)
        timer = self.timers.get(key)
        if timer is None or timer.owner != owner:
            return False
        self.events.append(event)
        self.wake_writes.append(None)
        self.timers[key] = replace(timer, wake_at=None)
        return True


class RecordingNotifier:
    def __init__(self) -> None:
        self.notices: list[Notice] = []

    def notify(self, notice: Notice, case: Case, config: TenantConfig) -> None:
        self.notices.append(notice)


class Configs:
    def config_for(self, tenant_id: str) -> TenantConfig:
        assert tenant_id == "acme"
        return CONFIG


def routed_case() -> Case:
    """A NORMAL case of T0: warning at T0+50m, first-response breach at T0+1h."""
    case = Case(tenant_id="acme", case_id=CASE_ID, channel=Channel.EMAIL, subject="Printer broken", created_at=T0)
    context = RoutingContext(Channel.EMAIL, "Printer broken", "", False, ("email:ann@example.com",), (), T0)
    serve_new_case(case, CONFIG, context, CaseEventLog("acme", CASE_ID, T0))
    return case


@pytest.fixture
def store() -> MemoryTimers:
    return MemoryTimers()


def stored_case(
    store: MemoryTimers,
    owner: str | None = OWNER,
    wake: datetime | None = None,
    generation: int = 1,
    case: Case | None = None,
) -> Case:
    """Put a case (a routed one unless given) and its timer item in the store; returns the case as stored."""
    store.put(case or routed_case())
    if owner is not None or generation:
        store.put_timer(CaseTimer(owner=owner, generation=generation, wake_at=wake))
    return store.stored()


def agent_edit(change: Callable[[Case], None]) -> Hook:
    """A concurrent agent: reads the stored case, changes it and saves it (its version goes up)."""

    def edit(target: MemoryTimers) -> None:
        case, _ = target.read("acme", CASE_ID)
        assert case is not None
        change(case)
        target.put(case)

    return edit


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def check(store, notifier) -> TimerCheck:
    return TimerCheck(timers=store, configs=Configs(), notifier=notifier)


def request(owner: str = OWNER, loops: int = 0, generation: int = 1) -> TimerRequest:
    return TimerRequest(tenant_id="acme", case_id=CASE_ID, owner=owner, generation=generation, loops=loops)


# --- the fake itself: the check's tests below rely on its conflicts -----------------------------------------------


def test_the_memory_store_refuses_a_stale_case_and_a_former_owner(store):
    case = stored_case(store)
    log = CaseEventLog("acme", CASE_ID, T0)
    log.add("noted")
    store.put(store.stored())  # someone else saved the case since `case` was read

    with pytest.raises(ConcurrentUpdate):
        store.set_wake(case, OWNER, T0, log.events)
    with pytest.raises(ConcurrentUpdate):
        store.set_wake(store.stored(), NEWER, T0, [])
    assert store.writes == 0
    assert store.timer().wake_at is None


# --- the check ----------------------------------------------------------------------------------------------------


def test_a_superseded_execution_ends_without_writing(store, notifier, check):
    # Given a case whose timers a newer execution owns, with a breach due
    stored_case(store, owner=NEWER, generation=2, wake=T0 + 50 * MINUTE)
    before, timer = store.stored(), store.timer()

    # When the old execution wakes at the breach
    outcome = check.check(request(), T0 + 2 * HOUR)

    # Then it ends and leaves the case and its timer alone
    assert outcome == {"action": "done", "why": "superseded"}
    assert store.writes == 0
    assert store.stored() == before
    assert store.timer() == timer
    assert notifier.notices == []


def test_a_missing_case_ends_the_execution(store, check):
    assert check.check(request(), T0) == {"action": "done", "why": "no such case"}
    assert store.writes == 0


def test_an_execution_not_yet_recorded_as_owner_looks_again_shortly(store, notifier, check):
    # Given generation 2 was started but the starter has not claimed the timer yet (it still names generation 1)
    stored_case(store)
    before = store.stored()

    # When generation 2 checks at the breach
    outcome = check.check(request(owner=NEWER, generation=2, loops=3), T0 + 2 * HOUR)

    # Then it neither acts nor ends: it looks again in a second
    assert outcome == {"action": "wait", "seconds": 1, "loops": 4}
    assert store.writes == 0
    assert store.stored() == before
    assert notifier.notices == []


def test_an_execution_not_yet_recorded_on_a_case_without_a_timer_looks_again_shortly(store, check):
    stored_case(store, owner=None, generation=0)  # the first start: no timer item yet

    outcome = check.check(request(loops=0), T0 + 2 * HOUR)

    assert outcome == {"action": "wait", "seconds": 1, "loops": 1}
    assert store.writes == 0


def test_an_execution_never_recorded_as_owner_gives_up(store, notifier, check):
    stored_case(store)

    outcome = check.check(request(owner=NEWER, generation=2, loops=MAX_UNRECORDED_LOOPS), T0 + 2 * HOUR)

    assert outcome == {"action": "done", "why": "superseded"}
    assert store.writes == 0
    assert notifier.notices == []


def test_one_unrecorded_loop_below_the_limit_still_waits(store, check):
    stored_case(store)

    outcome = check.check(request(owner=NEWER, generation=2, loops=MAX_UNRECORDED_LOOPS - 1), T0 + 2 * HOUR)

    assert outcome == {"action": "wait", "seconds": 1, "loops": MAX_UNRECORDED_LOOPS}


def test_the_check_waits_until_the_next_deadline_rounded_up(store, notifier, check):
    # Given a case whose next timer (the warning) is due at T0+50m
    stored_case(store)

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
    assert store.timer() == CaseTimer(owner=OWNER, generation=1, wake_at=T0 + 50 * MINUTE)
    assert store.events == []
    assert notifier.notices == []


def test_a_wake_alone_leaves_the_case_and_its_version_as_they_were(store, check):
    # Given a case its agent has open, read at version 1
    case = stored_case(store)
    assert case.version == 1

    # When the check records its next wake (nothing fired)
    check.check(request(), T0 + 10 * MINUTE)

    # Then only the timer item changed: the agent's save at version 1 still goes through
    assert store.wake_writes == [T0 + 50 * MINUTE]
    assert store.case_saves == 0
    assert store.stored() == case
    assert store.stored().version == 1


def test_a_deadline_moved_earlier_while_the_check_works_is_not_overslept(store, check):
    # Given the check finds nothing due at T0+10m, while an agent raises the priority and the warning moves earlier
    stored_case(store)

    def raise_priority(case: Case) -> None:  # first response now due at T0+30m: warned at T0+20m
        targets = SlaTargets(first_response=30 * MINUTE, resolution=8 * HOUR)
        case.service.sla = retarget(case.service.sla, CONFIG.calendars["always"], targets, T0 + 10 * MINUTE)

    store.before_set_wake = agent_edit(raise_priority)

    # When it records its next wake
    outcome = check.check(request(), T0 + 10 * MINUTE)

    # Then the stale wake (T0+50m) was refused and it sleeps until the new, earlier deadline
    assert store.conflicts == 1
    assert store.wake_writes == [T0 + 20 * MINUTE]
    assert outcome["wake_at"] == (T0 + 20 * MINUTE).isoformat()


def test_a_wake_already_recorded_is_not_written_again(store, check):
    stored_case(store, wake=T0 + 50 * MINUTE)

    outcome = check.check(request(), T0 + 10 * MINUTE)

    assert outcome["action"] == "wait"
    assert store.writes == 0


def test_a_breach_at_wake_writes_its_events_and_notifies_once(store, notifier, check):
    # Given a case warned already
    stored_case(store)
    check.check(request(), T0 + 50 * MINUTE)
    notifier.notices.clear()
    store.events.clear()
    version = store.stored().version

    # When the check wakes at the breach
    outcome = check.check(request(loops=1), T0 + HOUR)

    # Then the breach and level 1 are stored, the supervisor is told once and the check sleeps until level 2
    assert [e.kind for e in store.events] == ["sla_breached", "escalated"]
    assert [(n.kind, n.recipients, n.level) for n in notifier.notices] == [("escalation", ("sam",), 1)]
    stored = store.stored()
    assert stored.service.breached == ("first_response",)
    assert stored.service.escalation_level == 1
    assert stored.version == version + 1
    assert store.timer().wake_at == T0 + HOUR + 30 * MINUTE
    assert outcome["seconds"] == 30 * 60


def test_running_the_same_check_twice_at_the_same_instant_notifies_once(store, notifier, check):
    stored_case(store)

    first = check.check(request(), T0 + HOUR)
    writes = store.writes
    second = check.check(request(), T0 + HOUR)

    assert [n.kind for n in notifier.notices] == ["sla_warning", "escalation"]
    assert [e.kind for e in store.events] == ["sla_warning", "sla_breached", "escalated"]
    assert store.writes == writes  # nothing changed the second time: nothing written
    assert first == second


def test_a_concurrent_change_between_read_and_save_is_retried(store, notifier, check):
    # Given an agent assigns the case to Ann while the check is at work
    stored_case(store)
    store.before_set_wake = agent_edit(lambda case: setattr(case, "assignee", "ann"))

    # When the check fires the breach
    check.check(request(), T0 + HOUR)

    # Then its first write failed, it read the case again and fired against the fresh one: Ann kept, notices once,
    # to Ann
    stored = store.stored()
    assert store.conflicts == 1
    assert stored.assignee == "ann"
    assert stored.service.escalation_level == 1
    assert store.case_saves == 1
    assert [e.kind for e in store.events] == ["sla_warning", "sla_breached", "escalated"]
    assert [(n.kind, n.recipients) for n in notifier.notices] == [("sla_warning", ("ann",)), ("escalation", ("ann",))]


def test_an_agent_solving_the_case_while_the_check_works_wins(store, notifier, check):
    # Given the agent solves the case between the check's read and its write
    stored_case(store, wake=T0 + HOUR)

    def solve(case: Case) -> None:
        serve_status_change(case, CONFIG, CaseStatus.SOLVED, "ann", T0 + 59 * MINUTE, CaseEventLog("acme", CASE_ID, T0))

    store.before_set_wake = agent_edit(solve)

    # When the check fires the breach
    outcome = check.check(request(), T0 + HOUR)

    # Then its write with the breach was refused, and the retry saw the solved case: nothing fires, and it sleeps
    # until the case's auto-close only
    assert store.conflicts == 1
    closes_at = T0 + 59 * MINUTE + CONFIG.auto_close_after
    assert outcome["action"] == "wait" and outcome["wake_at"] == closes_at.isoformat()
    stored = store.stored()
    assert stored.status == CaseStatus.SOLVED
    assert stored.service.breached == ()
    assert stored.service.escalation_level == 0
    assert store.case_saves == 0
    assert store.events == []
    assert notifier.notices == []
    assert store.timer().wake_at == closes_at


def test_a_newer_execution_claiming_while_the_check_works_ends_it(store, notifier, check):
    # Given the starter hands the timers to generation 2 between the check's read and its write
    stored_case(store)
    store.before_set_wake = lambda target: target.put_timer(CaseTimer(NEWER, 2, T0 + 50 * MINUTE))
    before = store.stored()

    # When generation 1 fires the breach
    outcome = check.check(request(), T0 + HOUR)

    # Then its write was refused and, reading again, it found itself superseded: the newer one fires instead
    assert store.conflicts == 1
    assert outcome == {"action": "done", "why": "superseded"}
    assert store.stored() == before
    assert store.events == []
    assert store.timer() == CaseTimer(NEWER, 2, T0 + 50 * MINUTE)
    assert notifier.notices == []


def test_a_case_that_keeps_changing_fails_the_check(store, notifier, check, monkeypatch):
    stored_case(store)
    attempts = []

    def always_conflict(case: Case, owner: str, wake_at: datetime | None, events: list[CaseEvent]) -> None:
        attempts.append(owner)
        raise ConcurrentUpdate("case version")

    monkeypatch.setattr(store, "set_wake", always_conflict)

    with pytest.raises(ConcurrentUpdate):
        check.check(request(), T0 + HOUR)
    assert len(attempts) == MAX_ATTEMPTS
    assert notifier.notices == []


def test_a_finished_case_ends_the_execution_and_clears_its_wake(store, notifier, check):
    # Given a closed case whose execution was to wake at T0+50m
    case = routed_case()
    serve_status_change(case, CONFIG, CaseStatus.SOLVED, "ann", T0 + 20 * MINUTE, CaseEventLog("acme", CASE_ID, T0))
    serve_status_change(case, CONFIG, CaseStatus.CLOSED, "ann", T0 + 30 * MINUTE, CaseEventLog("acme", CASE_ID, T0))
    before = stored_case(store, wake=T0 + 50 * MINUTE, case=case)

    # When it wakes
    outcome = check.check(request(), T0 + 50 * MINUTE)

    # Then it ends, and the timer says nothing wakes for the case any more (the case itself untouched)
    assert outcome == {"action": "done", "why": "closed"}
    assert store.timer() == CaseTimer(owner=OWNER, generation=1, wake_at=None)
    assert store.stored() == before
    assert notifier.notices == []


def test_a_finished_case_with_a_deadline_left_still_ends_the_execution(store, notifier, check):
    # Given a case marked solved whose service state still names a deadline
    case = routed_case()
    case.status = CaseStatus.SOLVED
    stored_case(store, wake=T0 + 50 * MINUTE, case=case)

    outcome = check.check(request(), T0 + 10 * MINUTE)

    assert outcome == {"action": "done", "why": "solved"}
    assert store.timer().wake_at is None
    assert notifier.notices == []


def test_a_long_lived_execution_hands_over(store, check):
    # Given an execution that has looped its maximum, with a timer still ahead
    stored_case(store, wake=T0 + 50 * MINUTE)

    # When it checks once more
    outcome = check.check(request(loops=MAX_LOOPS_PER_EXECUTION), T0 + 10 * MINUTE)

    # Then it ends with no wake recorded, so the starter begins a fresh execution
    assert outcome == {"action": "done", "why": "new"}
    case, timer = store.read("acme", CASE_ID)
    assert case is not None
    assert timer.wake_at is None
    assert case.service.next_deadline == T0 + 50 * MINUTE
    assert needs_new_execution(case, timer)


def test_one_loop_below_the_maximum_still_waits(store, check):
    stored_case(store, wake=T0 + 50 * MINUTE)

    outcome = check.check(request(loops=MAX_LOOPS_PER_EXECUTION - 1), T0 + 10 * MINUTE)

    assert outcome["action"] == "wait"
    assert outcome["loops"] == MAX_LOOPS_PER_EXECUTION
    assert store.timer().wake_at == T0 + 50 * MINUTE


def test_the_check_reports_its_events(store):
    seen: list[list[str]] = []
    stored_case(store)
    check = TimerCheck(
        store, Configs(), RecordingNotifier(), on_events=lambda case, events: seen.append([e.kind for e in events])
    )

    check.check(request(), T0 + 50 * MINUTE)

    assert seen == [["sla_warning"]]


def test_the_request_reads_the_loops_of_the_previous_check():
    first = {"tenant_id": "acme", "case_id": CASE_ID, "owner": OWNER, "generation": 1}
    later = {**first, "timer": {"action": "wait", "loops": 7}}

    assert TimerRequest.from_state(later) == request(loops=7)
    assert TimerRequest.from_state(first) == request(loops=0)


# --- a check that kept failing (the flow's Catch) ------------------------------------------------------------------


def failed_state(owner: str = OWNER) -> dict[str, object]:
    """What the state machine's RecordFailedCheck task passes."""
    caught = {"error": "KeyError", "at": "2026-11-02T10:00:00.123Z"}
    return {"tenant_id": "acme", "case_id": CASE_ID, "owner": owner, "generation": 1, "failed_check": caught}


def test_a_failed_check_is_recorded_on_the_case_once_and_frees_its_timer(store, check):
    # Given a case whose execution waits for its first-response deadline
    case = stored_case(store, wake=T0 + 50 * MINUTE)
    failed = FailedCheck.from_state(failed_state())
    assert failed is not None and FailedCheck.from_state({**failed_state(), "failed_check": None}) is None

    # When the flow records the failure, and a retry of that task records it again
    first, again = check.record_failure(failed), check.record_failure(FailedCheck.from_state(failed_state()))

    # Then the case has one timer_check_failed naming the error and the execution, and nothing waits for it any more
    assert first == again == {"recorded": True, "error": "KeyError"}
    (event,) = store.events
    assert (event.kind, event.at) == ("timer_check_failed", datetime(2026, 11, 2, 10, 0, 0, 123000, tzinfo=UTC))
    assert event.detail == {"execution": OWNER, "error": "KeyError"}
    assert store.timer().wake_at is None and needs_new_execution(case, store.timer())


def test_a_failed_check_of_a_superseded_execution_records_nothing(store, check):
    stored_case(store, owner=NEWER, generation=2, wake=T0 + 50 * MINUTE)

    assert check.record_failure(FailedCheck.from_state(failed_state())) == {"recorded": False, "error": "KeyError"}
    assert store.events == [] and store.timer().wake_at == T0 + 50 * MINUTE


# --- the starter --------------------------------------------------------------------------------------------------


class FakeExecutions:
    def __init__(self) -> None:
        self.started: list[tuple[str, dict[str, object]]] = []

    def start(self, name: str, payload: dict[str, object]) -> None:
        self.started.append((name, payload))


def starter_for(store: MemoryTimers) -> tuple[TimerStarter, FakeExecutions]:
    executions = FakeExecutions()
    return TimerStarter(executions, store, now=lambda: T0), executions


def test_the_starter_begins_an_execution_when_nothing_wakes(store):
    # Given a case with a deadline and no execution waking for it (generation 1 ended)
    stored_case(store, wake=None)
    starter, executions = starter_for(store)

    # When it changes
    name = starter.on_case_changed("acme", CASE_ID)

    # Then generation 2 starts, named after the case, and owns its timers, asleep until the case's deadline (T0+50m)
    assert name is not None
    assert name.startswith("acme-0000AB12CD-2-")
    first_wake = {"action": "wait", "seconds": 50 * 60, "loops": 0}
    assert executions.started == [
        (name, {"tenant_id": "acme", "case_id": CASE_ID, "owner": name, "generation": 2, "timer": first_wake})
    ]
    assert store.timer() == CaseTimer(owner=name, generation=2, wake_at=T0 + 50 * MINUTE)


def test_the_starter_begins_the_first_execution_of_a_case_without_a_timer(store, check):
    # Given a new case that never had a timer
    stored_case(store, owner=None, generation=0)
    version = store.stored().version
    starter, executions = starter_for(store)

    # When it changes
    name = starter.on_case_changed("acme", CASE_ID)

    # Then generation 1 starts and owns the timers, the case's version untouched, and its first check acts
    assert name is not None and name.startswith("acme-0000AB12CD-1-")
    assert store.timer() == CaseTimer(owner=name, generation=1, wake_at=T0 + 50 * MINUTE)
    assert store.stored().version == version
    (_, payload), *_ = executions.started
    first = check.check(TimerRequest.from_state(payload), T0 + 10 * MINUTE)
    assert first["action"] == "wait" and first["seconds"] == 40 * 60


def test_the_starter_does_nothing_for_a_missing_case(store):
    starter, executions = starter_for(store)

    assert starter.on_case_changed("acme", CASE_ID) is None
    assert executions.started == []
    assert store.claims == []


def test_each_start_has_its_own_name():
    case = routed_case()

    assert execution_name(case, 2) != execution_name(case, 2)
    assert execution_name(case, 2).startswith("acme-0000AB12CD-2-")


@pytest.mark.parametrize("wake", [T0 + 50 * MINUTE, T0 + 40 * MINUTE])
def test_the_starter_leaves_a_case_whose_execution_wakes_in_time(store, wake):
    # Given an execution waking at or before the next deadline (T0+50m)
    stored_case(store, wake=wake)
    timer = store.timer()
    starter, executions = starter_for(store)

    assert starter.on_case_changed("acme", CASE_ID) is None
    assert executions.started == []
    assert store.timer() == timer


def test_the_starter_leaves_a_deadline_later_than_the_wake(store):
    # Given an execution waking at T0+40m and the case's next deadline at T0+50m
    stored_case(store, wake=T0 + 40 * MINUTE)
    case, timer = store.read("acme", CASE_ID)
    assert case is not None

    starter, executions = starter_for(store)

    assert not needs_new_execution(case, timer)
    assert starter.on_case_changed("acme", CASE_ID) is None
    assert executions.started == []
    assert store.claims == []


def test_the_starter_begins_again_when_the_deadline_moved_earlier(store):
    # Given an execution waking at T0+50m, and a deadline that moved to T0+5m
    case = routed_case()
    case.service.next_deadline = T0 + 5 * MINUTE
    stored_case(store, wake=T0 + 50 * MINUTE, case=case)
    starter, executions = starter_for(store)

    name = starter.on_case_changed("acme", CASE_ID)

    assert name is not None and name.startswith("acme-0000AB12CD-2-")
    assert len(executions.started) == 1
    assert store.timer() == CaseTimer(owner=name, generation=2, wake_at=T0 + 5 * MINUTE)


def test_the_starter_leaves_finished_paused_and_deadline_free_cases(store):
    closed = routed_case()
    closed.status = CaseStatus.CLOSED  # its deadline left in place: the status alone decides
    paused = routed_case()
    serve_status_change(paused, CONFIG, CaseStatus.PENDING, "ann", T0 + MINUTE, CaseEventLog("acme", CASE_ID, T0))
    assert paused.service.next_deadline is None
    no_deadline = routed_case()
    no_deadline.service.next_deadline = None
    starter, executions = starter_for(store)

    for case in (closed, paused, no_deadline):
        store.cases.clear()
        stored_case(store, owner=None, generation=0, case=case)
        assert starter.on_case_changed("acme", CASE_ID) is None
    assert executions.started == []
    assert store.claims == []


def test_the_starter_returns_none_when_another_start_claimed_meanwhile(store):
    # Given another starter claims generation 2 between this one's read and its claim
    stored_case(store, wake=None)
    rival = CaseTimer(owner=NEWER, generation=2, wake_at=T0 + 50 * MINUTE)
    store.before_claim = lambda target: target.put_timer(rival)
    starter, executions = starter_for(store)

    # When this one starts
    name = starter.on_case_changed("acme", CASE_ID)

    # Then it started first (a crash in between never leaves the case without a timer) but the rival keeps the timer
    assert name is None
    assert len(executions.started) == 1
    assert store.claims == []
    assert store.timer() == rival


# --- a solved case's auto-close (domain/case_lifecycle.py) ---------------------------------------------------------


def solved_case(at: datetime = T0 + 20 * MINUTE) -> Case:
    case = routed_case()
    serve_status_change(case, CONFIG, CaseStatus.SOLVED, "ann", at, CaseEventLog("acme", CASE_ID, at))
    return case


def test_a_solved_case_sleeps_until_its_auto_close_then_closes_and_ends(store, notifier, check):
    # Given a case solved at T0+20m whose execution still waited for its SLA warning
    stored_case(store, wake=T0 + 50 * MINUTE, case=solved_case())
    closes_at = T0 + 20 * MINUTE + CONFIG.auto_close_after

    # When it wakes at the old deadline, it only moves its wake to the auto-close, writing nothing on the case
    outcome = check.check(request(), T0 + 50 * MINUTE)
    assert outcome["action"] == "wait" and outcome["wake_at"] == closes_at.isoformat()
    assert store.case_saves == 0 and store.timer().wake_at == closes_at

    # When it wakes then, the case closes (one save, one event) and the execution ends
    outcome = check.check(request(loops=1), closes_at)
    assert outcome == {"action": "done", "why": "closed"}
    assert store.stored().status == CaseStatus.CLOSED and store.stored().solved_at == T0 + 20 * MINUTE
    assert [e.kind for e in store.events] == ["status_changed"] and store.case_saves == 1
    assert store.timer().wake_at is None and notifier.notices == []


def test_a_customer_reply_racing_the_auto_close_wins(store, notifier, check):
    # Given the customer's reply reopens the case between the check's read and its close
    case = solved_case()
    closes_at = case.service.next_deadline
    stored_case(store, wake=closes_at, case=case)

    def reopen(case: Case) -> None:
        case.status, case.solved_at = CaseStatus.OPEN, None
        case.service.next_deadline = None

    store.before_set_wake = agent_edit(reopen)

    # When the auto-close fires
    outcome = check.check(request(), closes_at)

    # Then the close was refused on the case's version and the retry saw the open case: it stays open
    assert store.conflicts == 1
    assert store.stored().status == CaseStatus.OPEN
    assert store.events == [] and outcome == {"action": "done", "why": "open"}


def test_the_starter_starts_a_solved_cases_auto_close_timer(store):
    stored_case(store, owner=None, generation=0, case=solved_case())
    starter, executions = starter_for(store)

    name = starter.on_case_changed("acme", CASE_ID)

    assert name is not None and len(executions.started) == 1
    assert store.timer().wake_at == T0 + 20 * MINUTE + CONFIG.auto_close_after
