"""A solved case's end by the tenant's rules: reopen within `reopen_window`, auto-close after `auto_close_after`
without a reply, a follow-up case (linked, an event on both) for a reply after either — and a reply racing the close."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnicase.domain.case_events import CaseEventLog
from omnicase.domain.case_lifecycle import auto_close_at, reopens, span
from omnicase.domain.case_timers import Timer, apply_due_timers, pending_timers
from omnicase.domain.ingest_message import ingest_message
from omnicase.domain.intake_plan import IntakeSnapshot, StoredMessageRef
from omnicase.domain.model import Case, CaseStatus, Channel
from omnicase.domain.plan_intake import plan_intake
from omnicase.domain.serve_case import serve_status_change
from omnicase.domain.tenant_config import TenantConfig
from tests.unit.domain.builders import T0, TENANT, email
from tests.unit.fakes import MemoryIntakeStore

DAY = timedelta(days=1)
DEFAULTS = TenantConfig("acme")
SHORT = replace(DEFAULTS, reopen_window=2 * DAY, auto_close_after=10 * DAY)


def solved_case(at=T0, status: CaseStatus = CaseStatus.SOLVED) -> Case:
    return Case("acme", "0000AB12CD", Channel.EMAIL, "Printer broken", status=status, solved_at=at, created_at=at)


# --- the rules, pure ------------------------------------------------------------------------------------------------


def test_the_defaults_are_a_seven_day_reopen_window_and_a_four_day_auto_close():
    assert DEFAULTS.reopen_window == 7 * DAY and DEFAULTS.auto_close_after == 4 * DAY


@given(st.integers(min_value=0, max_value=30 * 86400), st.integers(min_value=1, max_value=90 * 86400))
def test_a_reply_reopens_exactly_within_the_window(seconds_after, window_seconds):
    case, window = solved_case(), timedelta(seconds=window_seconds)
    assert reopens(case, T0 + timedelta(seconds=seconds_after), window) == (seconds_after <= window_seconds)


def test_a_closed_case_never_reopens_and_an_open_one_always_takes_the_reply():
    assert not reopens(solved_case(status=CaseStatus.CLOSED), T0, 90 * DAY)
    assert reopens(solved_case(status=CaseStatus.OPEN, at=None), T0 + 365 * DAY, DAY)


def test_a_solved_case_closes_after_the_tenants_silence_and_never_when_it_is_off():
    case = solved_case()
    assert auto_close_at(case, SHORT) == T0 + 10 * DAY
    assert pending_timers(case, SHORT) == [Timer(T0 + 10 * DAY, "auto_close")]
    assert auto_close_at(case, replace(SHORT, auto_close_after=None)) is None
    assert pending_timers(case, replace(SHORT, auto_close_after=None)) == []
    assert pending_timers(replace(case, status=CaseStatus.CLOSED), SHORT) == []


def test_the_auto_close_fires_once_at_its_time_keeping_the_solve_time():
    # Given a case solved at T0
    case = solved_case()
    log = CaseEventLog("acme", case.case_id, T0 + 4 * DAY - timedelta(seconds=1))

    # When the flow wakes a second early, nothing happens
    assert apply_due_timers(case, DEFAULTS, log.at, log) == [] and log.events == []
    assert case.status == CaseStatus.SOLVED

    # When it wakes at T0 + 4 days, the case closes, the solve time stays, and nothing is left to wake for
    log = CaseEventLog("acme", case.case_id, T0 + 4 * DAY)
    assert apply_due_timers(case, DEFAULTS, log.at, log) == []
    assert case.status == CaseStatus.CLOSED and case.solved_at == T0
    assert case.service.next_deadline is None and case.updated_at == T0 + 4 * DAY
    (event,) = log.events
    assert event.kind == "status_changed" and event.actor == "system"
    assert event.detail == {"before": CaseStatus.SOLVED, "after": CaseStatus.CLOSED, "auto_close": True}
    assert "4d" in event.reason

    # And a second wake at the same instant changes nothing
    again = CaseEventLog("acme", case.case_id, T0 + 4 * DAY)
    assert apply_due_timers(case, DEFAULTS, again.at, again) == [] and again.events == []


def test_solving_sets_the_auto_close_as_the_next_deadline_and_an_agents_close_keeps_the_solve_time():
    case = replace(solved_case(at=None), status=CaseStatus.OPEN)
    serve_status_change(case, SHORT, CaseStatus.SOLVED, "ann", T0, CaseEventLog("acme", case.case_id, T0))
    assert case.service.next_deadline == T0 + 10 * DAY

    serve_status_change(case, SHORT, CaseStatus.CLOSED, "ann", T0 + DAY, CaseEventLog("acme", case.case_id, T0))
    assert case.solved_at == T0 and case.service.next_deadline is None


@pytest.mark.parametrize(("duration", "text"), [(4 * DAY, "4d"), (36 * 3600, "36h"), (90 * 60, "90m"), (45, "45s")])
def test_durations_read_as_the_configuration_writes_them(duration, text):
    assert span(timedelta(seconds=duration) if isinstance(duration, int) else duration) == text


# --- through intake -------------------------------------------------------------------------------------------------


@pytest.fixture
def store():
    return MemoryIntakeStore()


def first_case(store: MemoryIntakeStore, status: CaseStatus = CaseStatus.SOLVED) -> Case:
    """A case opened by mail a@x, then solved (or closed) at T0."""
    outcome = ingest_message(email(message_id="a@x", at=T0 - DAY), TENANT, store, now=T0 - DAY, config=SHORT)
    key = ("acme", outcome.case_id)
    store.cases[key] = replace(store.cases[key], status=status, solved_at=T0)
    return store.cases[key]


def test_a_reply_within_the_tenants_window_reopens_the_case(store):
    case = first_case(store)
    at = T0 + 2 * DAY
    outcome = ingest_message(email(in_reply_to=("a@x",), at=at), TENANT, store, now=at, config=SHORT)
    assert outcome.case_id == case.case_id and not outcome.new_case
    assert store.cases[("acme", case.case_id)].status == CaseStatus.OPEN


def test_a_reply_after_the_tenants_window_opens_a_linked_follow_up_with_an_event_on_both(store):
    # Given a case solved at T0 and the tenant's two-day window (the default would still reopen it)
    case = first_case(store)
    at = T0 + 2 * DAY + timedelta(seconds=1)
    inbound = email(in_reply_to=("a@x",), at=at)
    snapshot = IntakeSnapshot(email_refs={"a@x": StoredMessageRef(case.case_id, "m1")}, cases={case.case_id: case})

    # When the customer replies past it
    plan = plan_intake(inbound, TENANT, snapshot, at, SHORT)

    # Then a new case continues the old one, which only comes to name it, and both carry follow_up_opened
    assert plan.is_new_case and plan.case.follow_up_of == case.case_id and plan.followed_up == (case,)
    opened = [(e.case_id, e.detail) for e in plan.events if e.kind == "follow_up_opened"]
    assert opened == [
        (plan.case.case_id, {"follow_up_of": case.case_id}),
        (case.case_id, {"follow_up_case_id": plan.case.case_id}),
    ]
    assert "reopen window" in plan.events[-2].reason
    assert plan_intake(inbound, TENANT, snapshot, at, DEFAULTS).case.case_id == case.case_id  # 7 days: reopened


def test_a_reply_to_a_closed_case_opens_a_follow_up_even_within_the_window(store):
    case = first_case(store, CaseStatus.CLOSED)
    outcome = ingest_message(email(in_reply_to=("a@x",), at=T0 + DAY), TENANT, store, now=T0 + DAY, config=SHORT)
    assert outcome.new_case and store.cases[("acme", outcome.case_id)].follow_up_of == case.case_id
    assert store.cases[("acme", case.case_id)].status == CaseStatus.CLOSED


def test_a_reply_racing_the_auto_close_lands_on_a_follow_up_not_lost(store):
    # Given a solved case the customer answers just as its auto-close commits
    case = first_case(store)
    key = ("acme", case.case_id)

    def close_meanwhile(target: MemoryIntakeStore) -> None:
        stored = target.cases[key]
        log = CaseEventLog("acme", case.case_id, T0 + 4 * DAY)
        apply_due_timers(stored, DEFAULTS, log.at, log)  # the timer's close, saved with a new version
        target.cases[key] = replace(stored, version=(stored.version or 0) + 1)

    store.before_commit = close_meanwhile
    at = T0 + 4 * DAY - timedelta(seconds=1)  # read while still solved: the first plan reopens the case

    # When the reply is taken in
    outcome = ingest_message(email(in_reply_to=("a@x",), at=at), TENANT, store, now=at, config=DEFAULTS)

    # Then the reopen lost on the case's version, the retry saw the closed case, and the reply opened a follow-up
    assert store.cases[key].status == CaseStatus.CLOSED
    assert outcome.new_case and store.cases[("acme", outcome.case_id)].follow_up_of == case.case_id
    assert [m.case_id for m in store.messages[("acme", outcome.case_id)]][:1] == [outcome.case_id]
