"""Late replies to one old case make one follow-up: the old case names it (`followed_up_by`), later late replies join
it while it takes replies, and a new follow-up continues the latest once that one is closed too."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from omnicase.domain.ingest_message import IngestOutcome, ingest_message
from omnicase.domain.intake_plan import IntakeSnapshot, StoredMessageRef
from omnicase.domain.model import Case, CaseStatus, Channel
from omnicase.domain.plan_intake import plan_intake
from omnicase.domain.tenant_config import TenantConfig
from omnicase.domain.thread_message import MAX_FOLLOW_UP_HOPS, follow_up_to_read
from tests.unit.domain.builders import T0, TENANT, email
from tests.unit.fakes import MemoryIntakeStore

DAY = timedelta(days=1)
CONFIG = replace(TenantConfig("acme"), reopen_window=2 * DAY)


def closed_case(store: MemoryIntakeStore) -> Case:
    """A case opened by mail a@x, closed at T0."""
    outcome = ingest_message(email(message_id="a@x", at=T0 - DAY), TENANT, store, now=T0 - DAY, config=CONFIG)
    key = ("acme", outcome.case_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.CLOSED, solved_at=T0)
    return store.cases[key]


def late_reply(store: MemoryIntakeStore, at=T0 + DAY) -> IngestOutcome:
    return ingest_message(email(in_reply_to=("a@x",), at=at), TENANT, store, now=at, config=CONFIG)


def stored(store: MemoryIntakeStore, case_id: str) -> Case:
    return store.cases[("acme", case_id)]


def test_a_second_late_reply_joins_the_open_follow_up_the_old_case_names():
    store = MemoryIntakeStore()
    old = closed_case(store)

    first, second = late_reply(store), late_reply(store, T0 + 2 * DAY)

    assert first.new_case and not second.new_case and second.case_id == first.case_id
    assert stored(store, old.case_id).followed_up_by == first.case_id
    assert stored(store, old.case_id).status == CaseStatus.CLOSED
    assert stored(store, first.case_id).message_count >= 2
    assert [c.follow_up_of for c in store.cases.values()].count(old.case_id) == 1


def test_once_the_follow_up_is_closed_too_a_new_one_continues_it_and_both_name_it():
    store = MemoryIntakeStore()
    old = closed_case(store)
    first = late_reply(store)
    key = ("acme", first.case_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.CLOSED, solved_at=T0 + DAY)

    second = late_reply(store, T0 + 5 * DAY)
    third = late_reply(store, T0 + 6 * DAY)

    assert second.new_case and stored(store, second.case_id).follow_up_of == first.case_id
    assert stored(store, old.case_id).followed_up_by == second.case_id
    assert stored(store, first.case_id).followed_up_by == second.case_id
    assert third.case_id == second.case_id  # the pointer moved: one hop again


def test_two_late_replies_racing_end_in_one_follow_up():
    # Given a closed case, and a second late reply that commits between the first one's read and its commit
    store = MemoryIntakeStore()
    old = closed_case(store)
    other: list[IngestOutcome] = []
    store.before_commit = lambda target: other.append(late_reply(target))

    # When the first reply is taken in
    outcome = late_reply(store, T0 + DAY + timedelta(hours=1))

    # Then its commit lost on the old case's pointer, and the retry joined the follow-up the other one opened
    (won,) = other
    assert won.new_case and outcome.case_id == won.case_id and not outcome.new_case
    assert [c.case_id for c in store.cases.values() if c.follow_up_of == old.case_id] == [won.case_id]


def test_the_chain_is_read_one_hop_at_a_time_and_bounded():
    cases = [
        Case("acme", f"C{n}", Channel.EMAIL, "x", status=CaseStatus.CLOSED, solved_at=T0, followed_up_by=f"C{n + 1}")
        for n in range(MAX_FOLLOW_UP_HOPS + 3)
    ]
    inbound = email(in_reply_to=("a@x",), at=T0 + DAY)
    snapshot = IntakeSnapshot(email_refs={"a@x": StoredMessageRef("C0", "m1")}, cases={"C0": cases[0]})

    asked = []
    while wanted := follow_up_to_read(inbound, snapshot):
        asked += wanted
        snapshot.cases.update({c.case_id: c for c in cases if c.case_id in wanted})
    plan = plan_intake(inbound, TENANT, snapshot, T0 + DAY, CONFIG)

    assert asked == [f"C{n}" for n in range(1, MAX_FOLLOW_UP_HOPS + 1)]
    assert plan.is_new_case and plan.case.follow_up_of == f"C{MAX_FOLLOW_UP_HOPS}"
    assert [c.case_id for c in plan.followed_up] == [f"C{n}" for n in range(MAX_FOLLOW_UP_HOPS + 1)]


def test_a_case_naming_itself_does_not_loop():
    case = Case("acme", "C0", Channel.EMAIL, "x", status=CaseStatus.CLOSED, solved_at=T0, followed_up_by="C0")
    inbound = email(in_reply_to=("a@x",), at=T0 + DAY)
    snapshot = IntakeSnapshot(email_refs={"a@x": StoredMessageRef("C0", "m1")}, cases={"C0": case})

    assert follow_up_to_read(inbound, snapshot) == ()
    assert plan_intake(inbound, TENANT, snapshot, T0 + DAY, CONFIG).case.follow_up_of == "C0"
