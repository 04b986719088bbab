"""Case timers: SLA warnings and breaches, escalation levels, assignment timeouts and key-account windows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.case_timers import Notice, Timer, apply_due_timers, next_deadline, pending_timers
from omnicase.domain.model import Case, CaseStatus, Channel, Priority
from omnicase.domain.routing import RoutingContext
from omnicase.domain.serve_case import (
    serve_agent_reply,
    serve_assignment,
    serve_customer_message,
    serve_new_case,
    serve_priority_change,
    serve_status_change,
)
from omnicase.domain.sla_clock import ClockName, SlaClock
from omnicase.domain.tenant_config import (
    Agent,
    BusinessCalendar,
    EscalationPolicy,
    KeyAccount,
    Queue,
    SlaPolicy,
    SlaTargets,
    TenantConfig,
    WorkInterval,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
CASE_ID = "0000AB12CD"
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

ALWAYS = BusinessCalendar("always", "UTC", always_open=True)
OFFICE = BusinessCalendar(  # Mon–Fri 09:00–18:00 in Shanghai
    "office", "Asia/Shanghai", ((WorkInterval(time(9), time(18)),),) * 5 + ((),) * 2
)
TARGETS = {
    Priority.LOW: SlaTargets(first_response=4 * HOUR, next_response=8 * HOUR, resolution=48 * HOUR),
    Priority.NORMAL: SlaTargets(first_response=HOUR, next_response=2 * HOUR, resolution=8 * HOUR),
    Priority.HIGH: SlaTargets(first_response=30 * MINUTE, next_response=HOUR, resolution=4 * HOUR),
    Priority.URGENT: SlaTargets(first_response=15 * MINUTE, next_response=30 * MINUTE, resolution=2 * HOUR),
}
CONFIG = TenantConfig(
    tenant_id="acme",
    calendars={"always": ALWAYS, "office": OFFICE},
    sla=SlaPolicy(calendar="always", targets=TARGETS, warning_before=10 * MINUTE),
    escalation=EscalationPolicy(level_interval=30 * MINUTE, queue="escalations"),
    queues={
        "general": Queue("general", supervisor="sam"),
        "escalations": Queue("escalations", supervisor="sam"),
        "globex": Queue("globex", supervisor="sam"),
    },
    agents={
        "ann": Agent("ann", "Ann", queues=("general",)),
        "bob": Agent("bob", "Bob", queues=("general",), available=False),
        "sam": Agent("sam", "Sam", role="supervisor", queues=("general", "escalations")),
        "mia": Agent("mia", "Mia", role="manager"),
        "max": Agent("max", "Max", role="manager"),
    },
    key_accounts=(KeyAccount("globex", "Globex", ("email:*@globex.example",), queue="globex", dedicated_agent="ann"),),
    managers=("mia", "max"),
)
OFFICE_CONFIG = replace(
    CONFIG,
    time_zone="Asia/Shanghai",
    sla=SlaPolicy(calendar="office", targets=TARGETS, warning_before=10 * MINUTE),
)


def new_case(
    config: TenantConfig = CONFIG, at: datetime = T0, sender: str = "email:ann@example.com"
) -> tuple[Case, list[CaseEvent]]:
    case = Case(
        tenant_id="acme",
        case_id=CASE_ID,
        channel=Channel.EMAIL,
        subject="Printer broken",
        contact_address=sender.partition(":")[2],
        mailbox="support@acme.example",
        created_at=at,
        last_inbound_at=at,
    )
    log = CaseEventLog("acme", CASE_ID, at)
    context = RoutingContext(
        channel=Channel.EMAIL,
        subject="Printer broken",
        body="It jams.",
        has_attachments=False,
        identities=(sender,),
        tags=(),
        received_at=at,
    )
    serve_new_case(case, config, context, log)
    return case, log.events


def tick(case: Case, at: datetime, config: TenantConfig = CONFIG) -> tuple[list[Notice], list[CaseEvent]]:
    log = CaseEventLog("acme", CASE_ID, at)
    notices = apply_due_timers(case, config, at, log)
    return notices, log.events


def kinds(events: list[CaseEvent]) -> list[str]:
    return [event.kind for event in events]


def assign(case: Case, agent: str | None, at: datetime = T0, config: TenantConfig = CONFIG) -> None:
    serve_assignment(case, config, agent, None, "sam", at, CaseEventLog("acme", CASE_ID, at))


def change_status(case: Case, status: CaseStatus, at: datetime, config: TenantConfig = CONFIG) -> list[CaseEvent]:
    log = CaseEventLog("acme", CASE_ID, at)
    serve_status_change(case, config, status, "ann", at, log)
    return log.events


def clock(case: Case, name: ClockName) -> SlaClock:
    assert case.service.sla is not None
    return [c for c in case.service.sla.clocks if c.name == name][-1]


def escalated_to(case: Case, level: int) -> None:
    """Walk the NORMAL case of T0 up to the given escalation level (breach at T0+1h, then every 30 minutes)."""
    for step in range(level):
        tick(case, T0 + HOUR + step * 30 * MINUTE)
    assert case.service.escalation_level == level


# --- a new case ---------------------------------------------------------------------------------------------------


def test_a_new_case_is_routed_and_gets_its_deadlines():
    # When a case arrives
    case, events = new_case()

    # Then it is routed to the defaults and its first-response and resolution clocks run
    assert kinds(events) == ["routed", "deadline_set"]
    assert events[0].detail["queue"] == "general"
    assert events[0].detail["priority"] == "normal"
    assert events[1].detail["due"] == {
        "first_response": (T0 + HOUR).isoformat(),
        "resolution": (T0 + 8 * HOUR).isoformat(),
    }
    assert pending_timers(case, CONFIG) == [
        Timer(T0 + 50 * MINUTE, "warning", ClockName.FIRST_RESPONSE),
        Timer(T0 + HOUR, "breach", ClockName.FIRST_RESPONSE),
        Timer(T0 + 7 * HOUR + 50 * MINUTE, "warning", ClockName.RESOLUTION),
        Timer(T0 + 8 * HOUR, "breach", ClockName.RESOLUTION),
    ]
    assert case.service.next_deadline == T0 + 50 * MINUTE == next_deadline(case, CONFIG)


def test_nothing_fires_before_the_first_timer():
    case, _ = new_case()

    notices, events = tick(case, T0 + 50 * MINUTE - timedelta(seconds=1))

    assert (notices, events) == ([], [])
    assert case.service.warned == ()
    assert case.service.next_deadline == T0 + 50 * MINUTE


# --- warning and breach -------------------------------------------------------------------------------------------


def test_the_warning_fires_once_before_the_breach():
    # Given an unassigned case
    case, _ = new_case()

    # When its warning time comes, twice at the same instant
    first = tick(case, T0 + 50 * MINUTE)
    second = tick(case, T0 + 50 * MINUTE)

    # Then the queue's supervisor is warned once, and the breach stays ahead
    notices, events = first
    assert kinds(events) == ["sla_warning"]
    assert events[0].detail["clock"] == "first_response"
    assert [(n.kind, n.recipients) for n in notices] == [("sla_warning", ("sam",))]
    assert second == ([], [])
    assert case.service.warned == ("first_response",)
    assert case.service.breached == ()
    assert case.service.next_deadline == T0 + HOUR


def test_a_breach_escalates_to_level_one_and_tells_the_assignee():
    # Given a case assigned to Ann, already warned
    case, _ = new_case()
    assign(case, "ann")
    tick(case, T0 + 50 * MINUTE)

    # When the first-response deadline passes (twice at the same instant)
    notices, events = tick(case, T0 + HOUR)
    again = tick(case, T0 + HOUR)

    # Then the breach is recorded and Ann hears about it once
    assert kinds(events) == ["sla_breached", "escalated"]
    assert events[1].detail == {"level": 1, "notified": ["ann"]}
    assert [(n.kind, n.recipients, n.level) for n in notices] == [("escalation", ("ann",), 1)]
    assert again == ([], [])
    assert case.service.breached == ("first_response",)
    assert case.service.escalation_level == 1
    assert case.service.escalated_at == T0 + HOUR
    assert case.service.next_deadline == T0 + HOUR + 30 * MINUTE  # level 2
    assert (case.queue, case.priority) == ("general", Priority.NORMAL)


def test_a_breach_of_an_unassigned_case_tells_the_queue_supervisor():
    case, _ = new_case()

    notices, events = tick(case, T0 + HOUR)

    # warning and breach come due together: both fire, in order
    assert kinds(events) == ["sla_warning", "sla_breached", "escalated"]
    assert [(n.kind, n.recipients, n.level) for n in notices] == [
        ("sla_warning", ("sam",), 0),
        ("escalation", ("sam",), 1),
    ]


def test_level_two_raises_priority_moves_to_the_escalation_queue_and_tells_the_supervisor():
    # Given a case at escalation level 1 since T0+1h
    case, _ = new_case()
    assign(case, "ann")
    escalated_to(case, 1)

    # When less than the level interval has passed, nothing happens
    assert tick(case, T0 + HOUR + 30 * MINUTE - timedelta(seconds=1)) == ([], [])

    # When the level interval has passed
    notices, events = tick(case, T0 + HOUR + 30 * MINUTE)

    # Then the case is escalated: higher priority, escalation queue, deadlines of the new priority
    assert kinds(events) == ["escalated"]
    assert events[0].detail == {"level": 2, "notified": ["sam"]}
    assert [(n.kind, n.recipients, n.level) for n in notices] == [("escalation", ("sam",), 2)]
    assert case.priority == Priority.HIGH
    assert case.queue == "escalations"
    assert case.service.escalation_level == 2
    assert clock(case, ClockName.RESOLUTION).due_at == T0 + 4 * HOUR  # HIGH: 4h from the start, not 8h
    assert case.service.next_deadline == T0 + 2 * HOUR  # level 3


def test_level_three_tells_the_managers_and_no_level_follows():
    # Given a case at escalation level 2
    case, _ = new_case()
    assign(case, "ann")
    escalated_to(case, 2)

    # When another level interval passes
    notices, events = tick(case, T0 + 2 * HOUR)

    # Then the managers hear about it
    assert events[0].detail == {"level": 3, "notified": ["mia", "max"]}
    assert [(n.kind, n.recipients, n.level) for n in notices] == [("escalation", ("mia", "max"), 3)]
    assert case.service.escalation_level == 3
    assert "escalate" not in [t.kind for t in pending_timers(case, CONFIG)]

    # And however long the case stays breached, no fourth level comes (the resolution breach is only recorded)
    later = [tick(case, T0 + 2 * HOUR + n * 30 * MINUTE) for n in range(1, 20)]
    later_events = [event for _, events in later for event in events]
    assert kinds(later_events) == ["sla_warning", "sla_breached"]
    assert later_events[1].detail["clock"] == "resolution"
    assert all(notice.kind != "escalation" for notices, _ in later for notice in notices)
    assert case.service.escalation_level == 3
    assert case.service.next_deadline is None


def test_an_answer_after_the_breach_stops_the_escalation():
    # Given a case at level 1
    case, _ = new_case()
    assign(case, "ann")
    escalated_to(case, 1)

    # When Ann answers before level 2
    serve_agent_reply(case, CONFIG, "ann", T0 + HOUR + 10 * MINUTE, CaseEventLog("acme", CASE_ID, T0))

    # Then the customer no longer waits: no level 2
    assert "escalate" not in [t.kind for t in pending_timers(case, CONFIG)]
    assert tick(case, T0 + 2 * HOUR) == ([], [])
    assert (case.service.escalation_level, case.queue, case.priority) == (1, "general", Priority.NORMAL)


def test_an_answered_case_never_breaches_its_first_response():
    # Given a case Ann answers before the deadline
    case, _ = new_case()
    assign(case, "ann")
    serve_agent_reply(case, CONFIG, "ann", T0 + 30 * MINUTE, CaseEventLog("acme", CASE_ID, T0 + 30 * MINUTE))

    # When the first-response deadline passes
    notices, events = tick(case, T0 + 2 * HOUR)

    # Then nothing fires: only the resolution clock is still ahead
    assert (notices, events) == ([], [])
    assert case.service.breached == ()
    assert case.service.escalation_level == 0
    assert [t.clock for t in pending_timers(case, CONFIG)] == [ClockName.RESOLUTION, ClockName.RESOLUTION]
    assert case.service.next_deadline == T0 + 7 * HOUR + 50 * MINUTE


# --- pause and resume ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("waiting", [CaseStatus.PENDING, CaseStatus.ON_HOLD])
def test_a_waiting_case_has_no_timers_and_resumes_later_by_the_pause(waiting):
    # Given an open case
    case, _ = new_case()
    change_status(case, CaseStatus.OPEN, T0 + 5 * MINUTE)

    # When it waits from T0+20m
    paused = change_status(case, waiting, T0 + 20 * MINUTE)

    # Then its clocks stop counting: no timers, nothing fires however long it waits
    assert kinds(paused) == ["status_changed", "paused"]
    assert pending_timers(case, CONFIG) == []
    assert case.service.next_deadline is None
    assert tick(case, T0 + 20 * HOUR) == ([], [])

    # When it is worked on again at T0+1h20m (paused for 1h)
    resumed = change_status(case, CaseStatus.OPEN, T0 + HOUR + 20 * MINUTE)

    # Then the deadlines move one hour later
    assert kinds(resumed) == ["status_changed", "deadline_set"]
    assert resumed[1].actor == "ann"
    assert clock(case, ClockName.FIRST_RESPONSE).due_at == T0 + 2 * HOUR
    assert clock(case, ClockName.RESOLUTION).due_at == T0 + 9 * HOUR
    assert case.service.next_deadline == T0 + HOUR + 50 * MINUTE


def test_a_pause_over_the_weekend_counts_only_business_time():
    # Given a case arriving Friday 16:30 Shanghai (1h first response: due 17:30), paused at 17:00
    friday = datetime(2026, 11, 6, 16, 30, tzinfo=SHANGHAI)
    case, _ = new_case(OFFICE_CONFIG, at=friday)
    change_status(case, CaseStatus.PENDING, friday + 30 * MINUTE, OFFICE_CONFIG)

    # When it resumes Monday 10:00 (paused for 2 business hours: Friday 17–18, Monday 9–10)
    change_status(case, CaseStatus.OPEN, datetime(2026, 11, 9, 10, 0, tzinfo=SHANGHAI), OFFICE_CONFIG)

    # Then the 30 minutes left run from Monday 10:00
    assert clock(case, ClockName.FIRST_RESPONSE).due_at == datetime(2026, 11, 9, 10, 30, tzinfo=SHANGHAI)
    assert clock(case, ClockName.FIRST_RESPONSE).paused_for == 2 * HOUR


# --- priority, solve, reopen --------------------------------------------------------------------------------------


def test_an_urgent_priority_brings_the_deadlines_forward():
    case, _ = new_case()
    log = CaseEventLog("acme", CASE_ID, T0 + 2 * MINUTE)

    serve_priority_change(case, CONFIG, Priority.URGENT, "sam", T0 + 2 * MINUTE, log)

    assert kinds(log.events) == ["priority_changed", "deadline_set"]
    assert log.events[1].detail["due"] == {
        "first_response": (T0 + 15 * MINUTE).isoformat(),
        "resolution": (T0 + 2 * HOUR).isoformat(),
    }
    assert case.service.next_deadline == T0 + 5 * MINUTE  # the warning, 10 minutes ahead of the breach
    notices, events = tick(case, T0 + 15 * MINUTE)
    assert kinds(events) == ["sla_warning", "sla_breached", "escalated"]
    assert [n.kind for n in notices] == ["sla_warning", "escalation"]


def test_a_low_priority_pushes_the_deadlines_back():
    case, _ = new_case()

    serve_priority_change(case, CONFIG, Priority.LOW, "sam", T0 + 2 * MINUTE, CaseEventLog("acme", CASE_ID, T0))

    assert clock(case, ClockName.FIRST_RESPONSE).due_at == T0 + 4 * HOUR
    assert case.service.next_deadline == T0 + 3 * HOUR + 50 * MINUTE
    assert tick(case, T0 + 2 * HOUR) == ([], [])


def test_solving_stops_every_timer():
    # Given an escalated case with an assignment timeout configured
    config = replace(CONFIG, assignment_timeout=2 * HOUR)
    case, _ = new_case(config)
    assign(case, "ann", config=config)
    tick(case, T0 + HOUR, config)
    assert case.service.escalation_level == 1

    # When it is solved
    change_status(case, CaseStatus.SOLVED, T0 + HOUR + 10 * MINUTE, config)

    # Then no SLA, escalation or assignment timer is pending: only the auto-close, auto_close_after past the solve
    closes_at = T0 + HOUR + 10 * MINUTE + config.auto_close_after
    assert pending_timers(case, config) == [Timer(closes_at, "auto_close")]
    assert case.service.next_deadline == closes_at
    assert tick(case, T0 + 30 * HOUR, config) == ([], [])
    assert (case.assignee, case.service.escalation_level) == ("ann", 1)
    assert case.solved_at == T0 + HOUR + 10 * MINUTE


def reopen(case: Case, at: datetime) -> list[CaseEvent]:
    """The customer writes to the solved case: intake moves it to open, then serves the message."""
    previous = case.status
    case.status, case.last_inbound_at = CaseStatus.OPEN, at
    log = CaseEventLog("acme", CASE_ID, at)
    serve_customer_message(case, CONFIG, at, log, previous_status=previous)
    return log.events


def test_a_reopened_case_goes_back_to_its_agent_with_fresh_clocks():
    # Given a case Ann solved
    case, _ = new_case()
    assign(case, "ann")
    change_status(case, CaseStatus.SOLVED, T0 + 30 * MINUTE)

    # When the customer writes again at T0+3h
    events = reopen(case, T0 + 3 * HOUR)

    # Then Ann has it again and next response and resolution run from now
    assert kinds(events) == ["reopened", "deadline_set"]
    assert events[0].detail["assignee"] == "ann"
    assert case.assignee == "ann"
    assert case.service.assigned_at == T0 + 3 * HOUR
    assert events[1].detail["due"] == {
        "next_response": (T0 + 5 * HOUR).isoformat(),
        "resolution": (T0 + 11 * HOUR).isoformat(),
    }
    assert case.service.next_deadline == T0 + 4 * HOUR + 50 * MINUTE
    notices, fired = tick(case, T0 + 5 * HOUR)
    assert kinds(fired) == ["sla_warning", "sla_breached", "escalated"]
    assert [(n.kind, n.recipients, n.level) for n in notices] == [
        ("sla_warning", ("ann",), 0),
        ("escalation", ("ann",), 1),
    ]


def test_a_reopened_case_of_an_away_agent_goes_to_the_queue():
    case, _ = new_case()
    assign(case, "bob")  # away
    change_status(case, CaseStatus.SOLVED, T0 + 30 * MINUTE)

    events = reopen(case, T0 + 3 * HOUR)

    assert case.assignee is None
    assert case.service.assigned_at is None
    assert events[0].detail["assignee"] is None


def test_a_reopened_case_clears_breaches_and_warnings():
    # Given a case that breached, was answered and solved
    case, _ = new_case()
    tick(case, T0 + HOUR)
    serve_agent_reply(case, CONFIG, "ann", T0 + HOUR, CaseEventLog("acme", CASE_ID, T0 + HOUR))
    change_status(case, CaseStatus.SOLVED, T0 + HOUR + 5 * MINUTE)

    # When it is reopened
    reopen(case, T0 + 3 * HOUR)

    # Then the old breach is history: the new clocks warn and breach afresh
    assert (case.service.breached, case.service.warned) == ((), ())
    _, events = tick(case, T0 + 4 * HOUR + 50 * MINUTE)
    assert kinds(events) == ["sla_warning"]
    assert events[0].detail["clock"] == "next_response"


def test_a_breach_after_reopen_escalates_from_level_one_again():
    # Given a case that was escalated to level 1, answered and solved
    case, _ = new_case()
    assign(case, "ann")
    tick(case, T0 + HOUR)
    serve_agent_reply(case, CONFIG, "ann", T0 + HOUR, CaseEventLog("acme", CASE_ID, T0 + HOUR))
    change_status(case, CaseStatus.SOLVED, T0 + HOUR + 5 * MINUTE)

    # When it is reopened and its new next-response clock runs out
    reopen(case, T0 + 3 * HOUR)
    notices, _ = tick(case, T0 + 5 * HOUR)

    # Then escalation starts over at level 1 (Ann), not straight at level 2 (queue move, priority raise)
    assert [(n.recipients, n.level) for n in notices if n.kind == "escalation"] == [(("ann",), 1)]
    assert (case.queue, case.priority) == ("general", Priority.NORMAL)


# --- assignment timeout and key accounts --------------------------------------------------------------------------

TIMEOUT_CONFIG = replace(CONFIG, assignment_timeout=30 * MINUTE)


def test_a_silent_assignee_loses_the_case():
    # Given a case assigned to Ann at T0
    case, _ = new_case(TIMEOUT_CONFIG)
    assign(case, "ann", config=TIMEOUT_CONFIG)
    assert case.service.next_deadline == T0 + 30 * MINUTE

    # When she stays silent for the assignment timeout
    notices, events = tick(case, T0 + 30 * MINUTE, TIMEOUT_CONFIG)

    # Then the case goes back to the queue, remembering her; she and the queue's supervisor are told, and it says so
    assert kinds(events) == ["unassigned"]
    assert [(n.kind, n.recipients) for n in notices] == [("assignment_timeout", ("ann", "sam"))]
    assert events[0].detail == {"timer": "assignment_timeout", "agent_id": "ann", "notified": ["ann", "sam"]}
    assert events[0].reason.endswith("back to queue general; notified ann, sam")
    assert case.assignee is None
    assert case.service.previous_assignee == "ann"
    assert case.service.assigned_at is None
    assert case.queue == "general"
    assert "assignment_timeout" not in [t.kind for t in pending_timers(case, TIMEOUT_CONFIG)]


def test_an_assignee_who_replied_keeps_the_case():
    # Given Ann replied ten minutes after being assigned
    case, _ = new_case(TIMEOUT_CONFIG)
    assign(case, "ann", config=TIMEOUT_CONFIG)
    at = T0 + 10 * MINUTE
    serve_agent_reply(case, TIMEOUT_CONFIG, "ann", at, CaseEventLog("acme", CASE_ID, at))

    # When the timeout would have passed
    _, events = tick(case, T0 + 30 * MINUTE, TIMEOUT_CONFIG)

    # Then she still has it
    assert "unassigned" not in kinds(events)
    assert case.assignee == "ann"
    assert "assignment_timeout" not in [t.kind for t in pending_timers(case, TIMEOUT_CONFIG)]


def test_the_customer_writing_again_restarts_the_assignees_timeout():
    case, _ = new_case(TIMEOUT_CONFIG)
    assign(case, "ann", config=TIMEOUT_CONFIG)
    serve_agent_reply(case, TIMEOUT_CONFIG, "ann", T0 + 10 * MINUTE, CaseEventLog("acme", CASE_ID, T0))

    # When the customer writes at T0+20m
    at = T0 + 20 * MINUTE
    case.last_inbound_at = at
    serve_customer_message(case, TIMEOUT_CONFIG, at, CaseEventLog("acme", CASE_ID, at), previous_status=case.status)

    # Then Ann owes an answer again, from then
    assert Timer(T0 + 50 * MINUTE, "assignment_timeout") in pending_timers(case, TIMEOUT_CONFIG)
    _, events = tick(case, T0 + 50 * MINUTE, TIMEOUT_CONFIG)
    assert "unassigned" in kinds(events)
    assert case.assignee is None


def test_a_key_accounts_dedicated_window_ends_unassigned():
    # Given a key account's case held by its dedicated agent for 4 hours (no SLA in this tenant)
    config = replace(CONFIG, sla=None)
    case, _ = new_case(config, sender="email:joe@globex.example")
    assert (case.queue, case.assignee) == ("globex", "ann")
    assert case.service.dedicated_until == T0 + 4 * HOUR
    assert case.service.next_deadline == T0 + 4 * HOUR

    # When the window is over without a reply
    assert tick(case, T0 + 4 * HOUR - timedelta(seconds=1), config) == ([], [])
    notices, events = tick(case, T0 + 4 * HOUR, config)

    # Then the account's queue takes the case; the agent and the queue's supervisor hear of it
    assert kinds(events) == ["unassigned"]
    assert [(n.kind, n.recipients) for n in notices] == [("dedicated_window_ended", ("ann", "sam"))]
    assert events[0].detail["timer"] == "dedicated_window_ended" and events[0].detail["notified"] == ["ann", "sam"]
    assert case.assignee is None
    assert case.queue == "globex"
    assert case.service.previous_assignee == "ann"
    assert case.service.dedicated_until is None
    assert case.service.next_deadline is None


def test_a_queue_without_a_supervisor_tells_the_agents_own_supervisor():
    config = replace(
        TIMEOUT_CONFIG,
        queues={**CONFIG.queues, "general": Queue("general")},
        agents={**CONFIG.agents, "ann": Agent("ann", "Ann", supervisor="sam")},
    )
    case, _ = new_case(config)
    assign(case, "ann", config=config)

    notices, _ = tick(case, T0 + 30 * MINUTE, config)

    assert [n.recipients for n in notices] == [("ann", "sam")]


def test_a_dedicated_agent_who_replied_keeps_the_case():
    config = replace(CONFIG, sla=None)
    case, _ = new_case(config, sender="email:joe@globex.example")
    serve_agent_reply(case, config, "ann", T0 + HOUR, CaseEventLog("acme", CASE_ID, T0 + HOUR))

    assert tick(case, T0 + 5 * HOUR, config) == ([], [])
    assert case.assignee == "ann"


# --- business calendar --------------------------------------------------------------------------------------------


def test_a_case_arriving_friday_evening_is_due_monday_morning():
    # Given office hours Mon–Fri 09:00–18:00 Shanghai and a 1h first-response target
    friday = datetime(2026, 11, 6, 17, 30, tzinfo=SHANGHAI)
    monday_0930 = datetime(2026, 11, 9, 9, 30, tzinfo=SHANGHAI)

    # When a case arrives Friday 17:30
    case, events = new_case(OFFICE_CONFIG, at=friday)

    # Then its first response is due Monday 09:30 (30 minutes Friday, 30 minutes Monday)
    assert clock(case, ClockName.FIRST_RESPONSE).due_at == monday_0930
    assert events[1].detail["due"]["first_response"] == monday_0930.astimezone(UTC).isoformat()
    assert Timer(monday_0930, "breach", ClockName.FIRST_RESPONSE) in pending_timers(case, OFFICE_CONFIG)
    assert tick(case, datetime(2026, 11, 8, 12, 0, tzinfo=SHANGHAI), OFFICE_CONFIG) == ([], [])
    _, fired = tick(case, monday_0930, OFFICE_CONFIG)
    assert "sla_breached" in kinds(fired)


def test_a_fired_timer_is_a_change_of_the_case_and_a_quiet_tick_is_not():
    case, _ = new_case()
    case.updated_at = T0
    assert tick(case, T0 + MINUTE) == ([], []) and case.updated_at == T0

    breach = T0 + HOUR  # normal priority: first response due an hour after T0
    _, events = tick(case, breach)

    assert "sla_breached" in kinds(events) and case.updated_at == breach  # the changes feed will carry it
