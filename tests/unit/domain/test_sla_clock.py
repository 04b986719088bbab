"""SLA clocks of a case: start, reply, pause, resume, solve, reopen, retarget, breach and storage."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnicase.domain.business_hours import add_business_time, business_time_between
from omnicase.domain.sla_clock import (
    MAX_CLOCKS,
    ClockName,
    SlaClock,
    SlaClocks,
    agent_replied,
    breached_clocks,
    clocks_from_dict,
    clocks_to_dict,
    customer_replied,
    next_due,
    pause,
    reopen,
    resume,
    retarget,
    start_clocks,
    stop_all,
)
from omnicase.domain.tenant_config import BusinessCalendar, SlaTargets, WorkInterval

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = BusinessCalendar(  # Mon–Fri 09:00–18:00
    "office", "Asia/Shanghai", ((WorkInterval(time(9), time(18)),),) * 5 + ((),) * 2
)
NORMAL = SlaTargets(first_response=timedelta(hours=1), next_response=timedelta(hours=2), resolution=timedelta(hours=8))
URGENT = SlaTargets(
    first_response=timedelta(minutes=30), next_response=timedelta(hours=1), resolution=timedelta(hours=4)
)
FIRST, NEXT, RESOLUTION = ClockName.FIRST_RESPONSE, ClockName.NEXT_RESPONSE, ClockName.RESOLUTION


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in October 2026 (the 12th is a Monday)."""
    return datetime(2026, 10, day, hour, minute, tzinfo=SHANGHAI)


def clock(clocks: SlaClocks, name: ClockName) -> SlaClock:
    """The latest clock of this name."""
    return [c for c in clocks.clocks if c.name == name][-1]


def opened_monday() -> SlaClocks:
    return start_clocks(OFFICE, NORMAL, sh(12, 9))


# --- starting -------------------------------------------------------------------------------------------------------


def test_new_case_gets_first_response_and_resolution_clocks():
    clocks = opened_monday()
    assert [c.name for c in clocks.clocks] == [FIRST, RESOLUTION]
    assert clock(clocks, FIRST).due_at == sh(12, 10)
    assert clock(clocks, RESOLUTION).due_at == sh(12, 17)
    assert all(c.running and c.paused_for == timedelta(0) for c in clocks.clocks)
    assert clocks.paused_at is None


def test_case_opened_at_the_weekend_is_due_in_business_time():
    clocks = start_clocks(OFFICE, NORMAL, sh(10, 15))  # Saturday
    assert clock(clocks, FIRST).due_at == sh(12, 10)


def test_clock_without_target_is_not_started():
    clocks = start_clocks(OFFICE, SlaTargets(resolution=timedelta(hours=8)), sh(12, 9))
    assert [c.name for c in clocks.clocks] == [RESOLUTION]
    assert start_clocks(OFFICE, SlaTargets(), sh(12, 9)) == SlaClocks()


def test_instants_are_stored_in_utc_to_the_second():
    clocks = start_clocks(OFFICE, NORMAL, sh(12, 9).replace(microsecond=123_456))
    started = clock(clocks, FIRST).started_at
    assert started == sh(12, 9)
    assert started.tzinfo is UTC


def test_naive_datetimes_are_rejected():
    with pytest.raises(ValueError):
        start_clocks(OFFICE, NORMAL, datetime(2026, 10, 12, 9))


# --- replies --------------------------------------------------------------------------------------------------------


def test_agent_reply_in_time_meets_the_first_response():
    clocks = agent_replied(opened_monday(), sh(12, 9, 30))
    first = clock(clocks, FIRST)
    assert first.stopped_at == sh(12, 9, 30)
    assert not first.breached(sh(13, 9))
    assert clock(clocks, RESOLUTION).running
    assert agent_replied(clocks, sh(12, 9, 45)) == clocks  # a second reply changes nothing


def test_late_agent_reply_is_a_breach_that_stays():
    clocks = agent_replied(opened_monday(), sh(12, 10, 30))
    assert clock(clocks, FIRST).breached(sh(12, 10, 30))
    assert breached_clocks(clocks, sh(12, 11)) == (FIRST,)


def test_running_clock_is_breached_from_its_due_instant():
    first = clock(opened_monday(), FIRST)
    assert not first.breached(sh(12, 9, 59))
    assert first.breached(sh(12, 10))


def test_customer_waiting_for_the_first_response_starts_no_next_response():
    clocks = opened_monday()
    assert customer_replied(clocks, OFFICE, NORMAL, sh(12, 9, 40)) == clocks


def test_customer_reply_after_an_answer_starts_next_response():
    answered = agent_replied(opened_monday(), sh(12, 9, 30))
    waiting = customer_replied(answered, OFFICE, NORMAL, sh(12, 11))
    assert clock(waiting, NEXT).started_at == sh(12, 11)
    assert clock(waiting, NEXT).due_at == sh(12, 13)
    # a second message keeps the earlier start: the customer waits since their first unanswered message
    assert customer_replied(waiting, OFFICE, NORMAL, sh(12, 12)) == waiting


def test_each_answer_meets_the_next_response_and_the_next_message_starts_a_new_one():
    clocks = agent_replied(opened_monday(), sh(12, 9, 30))
    clocks = customer_replied(clocks, OFFICE, NORMAL, sh(12, 11))
    clocks = agent_replied(clocks, sh(12, 12))
    clocks = customer_replied(clocks, OFFICE, NORMAL, sh(12, 14))
    nexts = [c for c in clocks.clocks if c.name == NEXT]
    assert [(c.started_at, c.stopped_at) for c in nexts] == [(sh(12, 11), sh(12, 12)), (sh(12, 14), None)]


def test_no_next_response_target_starts_no_clock():
    targets = replace(NORMAL, next_response=None)
    clocks = agent_replied(start_clocks(OFFICE, targets, sh(12, 9)), sh(12, 9, 30))
    assert customer_replied(clocks, OFFICE, targets, sh(12, 11)) == clocks


# --- pause and resume -----------------------------------------------------------------------------------------------


def test_pause_freezes_running_clocks_and_keeps_the_first_pause():
    clocks = pause(agent_replied(opened_monday(), sh(12, 9, 30)), sh(12, 10))
    assert clocks.paused_at == sh(12, 10)
    assert clock(clocks, RESOLUTION).due_at is None
    assert clock(clocks, FIRST).stopped_at == sh(12, 9, 30)  # stopped clocks are untouched
    assert next_due(clocks) is None
    assert not clock(clocks, RESOLUTION).breached(sh(30, 12))  # a frozen clock cannot run out
    assert pause(clocks, sh(12, 11)) == clocks


def test_resume_adds_the_business_time_of_the_pause():
    # Given paused Monday 10:00 to Tuesday 10:00 (9 business hours), the resolution is due Tuesday 17:00
    clocks = pause(agent_replied(opened_monday(), sh(12, 9, 30)), sh(12, 10))
    clocks = resume(clocks, OFFICE, sh(13, 10))
    resolution = clock(clocks, RESOLUTION)
    assert resolution.paused_for == timedelta(hours=9)
    assert resolution.due_at == sh(13, 17)
    assert clocks.paused_at is None
    assert resume(clocks, OFFICE, sh(13, 11)) == clocks


def test_pause_outside_business_hours_does_not_move_the_due_date():
    clocks = agent_replied(opened_monday(), sh(12, 9, 30))
    paused_overnight = resume(pause(clocks, sh(12, 18, 30)), OFFICE, sh(13, 8))
    assert clock(paused_overnight, RESOLUTION).due_at == clock(clocks, RESOLUTION).due_at


def test_clock_started_during_a_pause_counts_only_its_own_part_of_the_pause():
    # Given a pause from Monday 10:00 and a customer message at 14:00, when work resumes at 16:00,
    # then the next response (2h) has waited paused for 2h and is due at 18:00
    clocks = pause(agent_replied(opened_monday(), sh(12, 9, 30)), sh(12, 10))
    clocks = customer_replied(clocks, OFFICE, NORMAL, sh(12, 14))
    assert clock(clocks, NEXT).due_at is None  # created frozen
    clocks = resume(clocks, OFFICE, sh(12, 16))
    assert clock(clocks, NEXT).paused_for == timedelta(hours=2)
    assert clock(clocks, NEXT).due_at == sh(12, 18)
    assert clock(clocks, RESOLUTION).paused_for == timedelta(hours=6)
    assert clock(clocks, RESOLUTION).due_at == sh(13, 14)


def test_pause_cannot_undo_a_breach():
    # Given the first response was due at 10:00, when the case is put on hold at 11:00, it stays breached
    clocks = pause(opened_monday(), sh(12, 11))
    assert clock(clocks, FIRST).due_at == sh(12, 10)
    assert breached_clocks(clocks, sh(12, 11)) == (FIRST,)
    resumed = resume(clocks, OFFICE, sh(13, 9))
    assert clock(resumed, FIRST) == clock(clocks, FIRST)
    assert clock(resumed, RESOLUTION).due_at == sh(13, 15)  # paused 11:00–18:00: 7h


def test_reply_while_paused_is_met_and_not_breached():
    clocks = agent_replied(pause(opened_monday(), sh(12, 9, 30)), sh(20, 9))
    assert clock(clocks, FIRST).stopped_at == sh(20, 9)
    assert breached_clocks(clocks, sh(20, 9)) == ()


# --- solving and reopening ------------------------------------------------------------------------------------------


def test_stop_all_stops_every_clock_and_ends_a_pause():
    clocks = stop_all(pause(agent_replied(opened_monday(), sh(12, 9, 30)), sh(12, 10)), sh(12, 11))
    assert all(c.stopped_at is not None for c in clocks.clocks)
    assert clock(clocks, FIRST).stopped_at == sh(12, 9, 30)
    assert clock(clocks, RESOLUTION).stopped_at == sh(12, 11)
    assert clocks.paused_at is None
    assert next_due(clocks) is None
    assert stop_all(clocks, sh(12, 12)) == clocks


def test_late_solve_is_a_resolution_breach():
    clocks = stop_all(agent_replied(opened_monday(), sh(12, 9, 30)), sh(13, 9))
    assert breached_clocks(clocks, sh(13, 9)) == (RESOLUTION,)


def test_reopen_starts_fresh_clocks_and_keeps_history():
    solved = stop_all(agent_replied(opened_monday(), sh(12, 9, 30)), sh(12, 11))
    reopened = reopen(solved, OFFICE, NORMAL, sh(14, 10))
    assert reopened.clocks[: len(solved.clocks)] == solved.clocks
    assert clock(reopened, NEXT).due_at == sh(14, 12)
    assert clock(reopened, RESOLUTION).started_at == sh(14, 10)
    assert clock(reopened, RESOLUTION).due_at == sh(14, 18)
    assert reopen(reopened, OFFICE, NORMAL, sh(14, 11)) == reopened  # already open


def test_reopen_without_next_response_target_starts_only_resolution():
    targets = replace(NORMAL, next_response=None)
    reopened = reopen(stop_all(opened_monday(), sh(12, 9, 30)), OFFICE, targets, sh(14, 10))
    assert [c.name for c in reopened.clocks if c.running] == [RESOLUTION]


def test_history_is_capped_keeping_the_latest_clock_of_each_name():
    clocks = agent_replied(opened_monday(), sh(12, 9, 30))
    for day in range(13, 24):
        clocks = customer_replied(clocks, OFFICE, NORMAL, sh(day, 9))
        clocks = stop_all(clocks, sh(day, 10))
        clocks = reopen(clocks, OFFICE, NORMAL, sh(day, 11))
    assert len(clocks.clocks) == MAX_CLOCKS
    assert clock(clocks, FIRST).started_at == sh(12, 9)  # the only first-response clock survives
    assert [c.name for c in clocks.clocks if c.running] == [NEXT, RESOLUTION]
    assert clock(clocks, RESOLUTION).started_at == sh(23, 11)
    starts = [c.started_at for c in clocks.clocks if c.name != FIRST]
    assert starts == sorted(starts)  # the oldest were dropped


# --- priority change ------------------------------------------------------------------------------------------------


def test_retarget_recomputes_due_dates_from_each_clocks_own_start():
    clocks = retarget(opened_monday(), OFFICE, URGENT, sh(12, 9, 20))
    assert clock(clocks, FIRST).target == timedelta(minutes=30)
    assert clock(clocks, FIRST).due_at == sh(12, 9, 30)
    assert clock(clocks, RESOLUTION).due_at == sh(12, 13)


def test_retarget_leaves_stopped_clocks_alone_and_stops_clocks_without_target():
    answered = agent_replied(opened_monday(), sh(12, 9, 30))
    clocks = retarget(answered, OFFICE, SlaTargets(first_response=timedelta(minutes=5)), sh(12, 11))
    assert clock(clocks, FIRST) == clock(answered, FIRST)
    assert clock(clocks, RESOLUTION).stopped_at == sh(12, 11)
    assert not any(c.running for c in clocks.clocks)


def test_retarget_while_paused_keeps_the_clock_frozen_until_resume():
    clocks = pause(agent_replied(opened_monday(), sh(12, 9, 30)), sh(12, 10))
    clocks = retarget(clocks, OFFICE, URGENT, sh(12, 11))
    assert clock(clocks, RESOLUTION).due_at is None
    clocks = resume(clocks, OFFICE, sh(12, 12))
    assert clock(clocks, RESOLUTION).due_at == sh(12, 15)  # 4h from 09:00 plus the 2h pause


def test_retarget_while_paused_can_reveal_a_breach_before_the_pause():
    clocks = pause(opened_monday(), sh(12, 9, 45))  # the first response (1h) had 15 minutes left
    clocks = retarget(clocks, OFFICE, URGENT, sh(12, 11))  # 30 minutes: due at 09:30, before the pause
    assert clock(clocks, FIRST).due_at == sh(12, 9, 30)
    assert breached_clocks(clocks, sh(12, 11)) == (FIRST,)


# --- due dates and breaches -----------------------------------------------------------------------------------------


def test_next_due_is_the_earliest_running_due_date():
    assert next_due(opened_monday()) == sh(12, 10)
    assert next_due(agent_replied(opened_monday(), sh(12, 9, 30))) == sh(12, 17)
    assert next_due(SlaClocks()) is None


def test_breached_clocks_name_each_clock_once():
    # Given a late first response, then a next response answered late and another one still running
    at_noon = customer_replied(agent_replied(opened_monday(), sh(12, 10, 30)), OFFICE, NORMAL, sh(12, 11))
    assert breached_clocks(at_noon, sh(12, 12)) == (FIRST,)
    clocks = customer_replied(agent_replied(at_noon, sh(12, 14)), OFFICE, NORMAL, sh(12, 14, 30))
    assert breached_clocks(clocks, sh(12, 16)) == (FIRST, NEXT)
    assert breached_clocks(clocks, sh(13, 12)) == (FIRST, RESOLUTION, NEXT)


# --- storage --------------------------------------------------------------------------------------------------------


def test_clocks_round_trip_through_json():
    clocks = pause(
        customer_replied(agent_replied(opened_monday(), sh(12, 9, 30)), OFFICE, NORMAL, sh(12, 11)), sh(12, 12)
    )
    stored = json.loads(json.dumps(clocks_to_dict(clocks)))
    assert clocks_from_dict(stored) == clocks
    assert stored["paused_at"] == "2026-10-12T04:00:00+00:00"
    assert stored["clocks"][0] == {
        "name": "first_response",
        "started_at": "2026-10-12T01:00:00+00:00",
        "target_seconds": 3600,
        "paused_seconds": 0,
        "due_at": "2026-10-12T02:00:00+00:00",
        "stopped_at": "2026-10-12T01:30:00+00:00",
    }


def test_clocks_read_back_from_dynamodb_numbers():
    stored = clocks_to_dict(resume(pause(opened_monday(), sh(12, 9, 30)), OFFICE, sh(12, 10)))
    for item in stored["clocks"]:
        item["target_seconds"] = Decimal(item["target_seconds"])
        item["paused_seconds"] = Decimal(item["paused_seconds"])
    assert clock(clocks_from_dict(stored), RESOLUTION).paused_for == timedelta(minutes=30)


# --- properties -----------------------------------------------------------------------------------------------------

TARGETS = st.sampled_from((NORMAL, URGENT, SlaTargets(resolution=timedelta(hours=20)), SlaTargets()))
EVENTS = ("agent", "customer", "pause", "resume", "solve", "reopen", "retarget")
events = st.lists(
    st.tuples(st.sampled_from(EVENTS), st.integers(0, 3 * 86_400), TARGETS),
    max_size=25,
)
openings = st.integers(0, 14 * 86_400).map(lambda seconds: sh(12, 0) + timedelta(seconds=seconds))


def apply(clocks: SlaClocks, event: str, at: datetime, targets: SlaTargets) -> SlaClocks:
    if event == "agent":
        return agent_replied(clocks, at)
    if event == "customer":
        return customer_replied(clocks, OFFICE, targets, at)
    if event == "pause":
        return pause(clocks, at)
    if event == "resume":
        return resume(clocks, OFFICE, at)
    if event == "solve":
        return stop_all(clocks, at)
    if event == "reopen":
        return reopen(clocks, OFFICE, targets, at)
    return retarget(clocks, OFFICE, targets, at)


@settings(max_examples=150, deadline=None)
@given(TARGETS, openings, events)
def test_any_history_keeps_the_clocks_consistent(targets, opened_at, history):
    clocks = start_clocks(OFFICE, targets, opened_at)
    at = opened_at
    for event, gap, event_targets in history:
        at += timedelta(seconds=gap)
        before = clocks
        clocks = apply(clocks, event, at, event_targets)
        # Then: at most one running clock per name, history is bounded and survives storage exactly
        running = [c.name for c in clocks.clocks if c.running]
        assert len(running) == len(set(running))
        assert len(clocks.clocks) <= MAX_CLOCKS
        assert clocks_from_dict(json.loads(json.dumps(clocks_to_dict(clocks)))) == clocks
        # a stopped clock never changes (only the history cap drops it, on reopen) and pauses never shrink
        if event != "reopen":
            assert all(c in clocks.clocks for c in before.clocks if not c.running)
        earlier = {(c.name, c.started_at): c.paused_for for c in before.clocks}
        assert all(c.paused_for >= earlier.get((c.name, c.started_at), c.paused_for) for c in clocks.clocks)
        for c in clocks.clocks:
            if not c.running:
                continue
            if clocks.paused_at is None:
                # a running, unpaused clock is due after its target plus its counted pauses
                assert c.due_at == add_business_time(OFFICE, c.started_at, c.target + c.paused_for)
            elif c.due_at is not None:
                assert c.due_at <= clocks.paused_at  # only clocks breached before the pause keep a due date


@settings(max_examples=150, deadline=None)
@given(openings, st.integers(0, 7 * 86_400), st.integers(0, 7 * 86_400))
def test_a_pause_moves_the_due_date_by_its_business_time(opened_at, pause_after, pause_length):
    # Given the resolution clock is not breached when the pause starts
    clocks = start_clocks(OFFICE, NORMAL, opened_at)
    paused_at = opened_at + timedelta(seconds=pause_after)
    original_due = clock(clocks, RESOLUTION).due_at
    if paused_at >= original_due:
        paused_at = opened_at
    resumed_at = paused_at + timedelta(seconds=pause_length)
    # When it is paused and resumed
    clocks = resume(pause(clocks, paused_at), OFFICE, resumed_at)
    # Then it still gets its full target of unpaused business time
    pause_time = business_time_between(OFFICE, paused_at, resumed_at)
    resolution = clock(clocks, RESOLUTION)
    assert resolution.paused_for == pause_time
    assert business_time_between(OFFICE, opened_at, resolution.due_at) == NORMAL.resolution + pause_time
    assert resolution.due_at >= resumed_at
