"""Intake rules: dedupe, threading, customers, acknowledgements, races — on the in-memory store."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.ingest_message import ingest_message
from omnicase.domain.intake_plan import SenderIdentity
from omnicase.domain.model import CaseStatus, DeliveryStatus, Direction, Priority
from omnicase.domain.plan_intake import BounceWithoutOriginal
from omnicase.domain.tenant_config import BusinessCalendar, SlaPolicy, SlaTargets, TenantConfig
from tests.unit.domain.builders import T0, TENANT, email
from tests.unit.fakes import MemoryIntakeStore, QueuedAcknowledgements


@pytest.fixture
def store():
    return MemoryIntakeStore()


@pytest.fixture
def sender(store):
    return QueuedAcknowledgements(store)


def ingest(message, store, sender, now=None):
    return ingest_message(message, TENANT, store, now=now or message.received_at)


def test_new_mail_opens_a_case_and_is_acknowledged_with_token_and_threading(store, sender):
    first = email("Printer broken", message_id="orig@example.com")
    outcome = ingest(first, store, sender)

    assert outcome.new_case and outcome.acknowledged
    case = store.cases[("acme", outcome.case_id)]
    assert case.status == CaseStatus.NEW and case.subject == "Printer broken"
    ((acked_case, ack),) = sender.sent
    assert acked_case.case_id == outcome.case_id
    assert f"[#{outcome.case_id}]" in ack.subject
    assert ack.recipients == ("ann@example.com",) and ack.direction == Direction.OUTBOUND
    kinds = [m.kind for m in store.case_messages("acme", outcome.case_id)]
    assert sorted(kinds) == ["acknowledgement", "human"]


@pytest.mark.parametrize("repeat", range(20))
def test_the_acknowledgement_always_reads_after_the_message_it_answers(store, sender, repeat):
    # Given a message taken in the same millisecond it arrived (ids of one instant differ only by chance)
    outcome = ingest(email(f"Order {repeat}"), store, sender)

    # Then the case's history shows the customer's message first, the acknowledgement second
    kinds = [m.kind for m in store.case_messages("acme", outcome.case_id)]
    assert kinds == ["human", "acknowledgement"]


def test_redelivery_is_stored_once_and_not_acknowledged_twice(store, sender):
    first = email()
    one = ingest(first, store, sender)
    again = ingest(replace(first), store, sender)

    assert again.duplicate and again.case_id == one.case_id
    assert len(store.cases) == 1 and len(sender.sent) == 1
    assert len(store.case_messages("acme", one.case_id)) == 2  # the mail and its acknowledgement


def test_same_message_id_through_another_ses_delivery_is_a_duplicate(store, sender):
    one = ingest(email(message_id="same@example.com", delivery_id="ses-a"), store, sender)
    two = ingest(email(message_id="same@example.com", delivery_id="ses-b"), store, sender)
    assert two.duplicate and two.case_id == one.case_id and len(store.cases) == 1


def test_reply_to_the_acknowledgement_threads_by_in_reply_to(store, sender):
    one = ingest(email(message_id="orig@example.com"), store, sender)
    ack = sender.sent[0][1]
    reply = ingest(email("Re: anything", in_reply_to=(ack.email_message_id,)), store, sender)

    assert reply.case_id == one.case_id and not reply.new_case and not reply.acknowledged
    assert store.cases[("acme", one.case_id)].message_count == 3


def test_references_thread_when_in_reply_to_is_unknown(store, sender):
    one = ingest(email(message_id="orig@example.com"), store, sender)
    reply = ingest(email(in_reply_to=("unknown@x",), references=("orig@example.com", "unknown@x")), store, sender)
    assert reply.case_id == one.case_id


def test_subject_token_threads_and_unknown_token_opens_new_case(store, sender):
    one = ingest(email(), store, sender)
    by_token = ingest(email("Re: [#x] more", message_id="n1@x", tokens=(one.case_id,)), store, sender)
    unknown = ingest(email("Re: more", message_id="n2@x", tokens=("ZZZZZZZZZZ",)), store, sender)
    assert by_token.case_id == one.case_id
    assert unknown.new_case and unknown.case_id != one.case_id


def test_matching_subject_alone_never_merges(store, sender):
    one = ingest(email("Invoice question"), store, sender)
    two = ingest(email("Invoice question"), store, sender)
    assert one.case_id != two.case_id and two.new_case


def test_headers_win_over_subject_token(store, sender):
    first = ingest(email(message_id="a@x"), store, sender)
    second = ingest(email(message_id="b@x", sender="bob@example.com"), store, sender)
    reply = ingest(email(in_reply_to=("a@x",), tokens=(second.case_id,)), store, sender)
    assert reply.case_id == first.case_id


def test_customer_reply_reopens_pending_and_solved_cases(store, sender):
    one = ingest(email(message_id="a@x"), store, sender)
    for status in (CaseStatus.PENDING, CaseStatus.SOLVED):
        key = ("acme", one.case_id)
        store.cases[key] = replace(store.cases[key], status=status, solved_at=T0)
        ingest(email(in_reply_to=("a@x",)), store, sender, now=T0 + timedelta(days=1))
        assert store.cases[key].status == CaseStatus.OPEN


def test_reply_to_closed_or_long_solved_case_opens_a_follow_up(store, sender):
    one = ingest(email(message_id="a@x"), store, sender)
    key = ("acme", one.case_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.SOLVED, solved_at=T0)
    late = ingest(email(in_reply_to=("a@x",)), store, sender, now=T0 + timedelta(days=8))
    store.cases[key] = replace(store.cases[key], status=CaseStatus.CLOSED)
    closed = ingest(email(in_reply_to=("a@x",)), store, sender)

    assert late.new_case and store.cases[("acme", late.case_id)].follow_up_of == one.case_id
    # the next reply to the old (now closed) thread joins that follow-up: test_follow_up_threading.py
    assert not closed.new_case and closed.case_id == late.case_id


@pytest.mark.parametrize("kind", ["auto_reply", "bulk", "loop"])
def test_machine_mail_is_never_acknowledged(store, sender, kind):
    outcome = ingest(email(kind=kind), store, sender)
    assert outcome.new_case and not outcome.acknowledged and sender.sent == []


def test_auto_reply_to_our_acknowledgement_is_filed_without_changing_the_case(store, sender):
    one = ingest(email(message_id="a@x"), store, sender)
    key = ("acme", one.case_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.PENDING)
    auto = ingest(
        email("Out of office", kind="auto_reply", in_reply_to=(sender.sent[0][1].email_message_id,)), store, sender
    )
    assert auto.case_id == one.case_id and store.cases[key].status == CaseStatus.PENDING
    assert len(sender.sent) == 1


def test_own_mailbox_coming_back_is_not_acknowledged(store, sender):
    outcome = ingest(email(sender="support@acme.example"), store, sender)
    assert not outcome.acknowledged and sender.sent == []


def test_bounce_attaches_to_the_bounced_message_and_marks_it(store, sender):
    one = ingest(email(message_id="a@x"), store, sender)
    ack = sender.sent[0][1]
    bounce = ingest(
        email("Undeliverable", sender="mailer-daemon@example.com", kind="bounce", bounced=(ack.email_message_id,)),
        store,
        sender,
    )

    assert bounce.case_id == one.case_id and not bounce.new_case and len(store.cases) == 1
    marked = [m for m in store.case_messages("acme", one.case_id) if m.message_id == ack.message_id]
    assert marked[0].delivery_status == DeliveryStatus.BOUNCED
    assert len(sender.sent) == 1


def test_bounce_of_unknown_mail_never_opens_a_case(store, sender):
    with pytest.raises(BounceWithoutOriginal):
        ingest(email(kind="bounce", bounced=("never-sent@x",)), store, sender)
    assert store.cases == {}


def test_a_flooding_sender_stops_getting_acknowledgements_for_an_hour(store, sender):
    for i in range(8):
        ingest(email(f"spam {i}", at=T0 + timedelta(minutes=i)), store, sender)
    assert len(sender.sent) == TENANT.ack_limit_per_hour
    ingest(email("later", at=T0 + timedelta(minutes=61)), store, sender)
    assert len(sender.sent) == TENANT.ack_limit_per_hour + 1
    assert len(store.cases) == 9  # every mail still became a case


def test_mail_without_sender_becomes_a_case_without_customer_or_ack(store, sender):
    outcome = ingest(email(sender=None), store, sender)
    case = store.cases[("acme", outcome.case_id)]
    assert case.customer_id is None and sender.sent == []


def test_same_sender_is_one_customer(store, sender):
    one = ingest(email(), store, sender)
    two = ingest(email("Other topic"), store, sender)
    assert store.cases[("acme", one.case_id)].customer_id == store.cases[("acme", two.case_id)].customer_id
    assert len(store.customers) == 1


def test_identity_race_joins_the_customer_created_by_the_winner(store, sender):
    def concurrent_first_message(s):
        s.identities[("acme", "email", "ann@example.com")] = SenderIdentity("CU-WINNER")

    store.before_commit = concurrent_first_message
    outcome = ingest(email(), store, sender)
    assert store.cases[("acme", outcome.case_id)].customer_id == "CU-WINNER"
    assert store.customers == {}


def test_concurrent_case_update_is_retried_not_lost(store, sender):
    one = ingest(email(message_id="a@x"), store, sender)
    key = ("acme", one.case_id)

    def agent_edits_case(s):
        s.cases[key] = replace(s.cases[key], priority="high", version=s.cases[key].version + 1)

    store.before_commit = agent_edits_case
    ingest(email(in_reply_to=("a@x",)), store, sender)
    assert store.cases[key].priority == "high" and store.cases[key].message_count == 3


def test_persistent_conflict_surfaces(store, sender):
    ingest(email(message_id="a@x"), store, sender)
    original = store.commit_intake

    def always_conflict(plan):
        raise ConcurrentUpdate("busy")

    store.commit_intake = always_conflict
    with pytest.raises(ConcurrentUpdate):
        ingest(email(in_reply_to=("a@x",)), store, sender)
    store.commit_intake = original


def test_acknowledgement_is_queued_with_threading_headers_for_the_outbox(store, sender):
    outcome = ingest(email(message_id="orig@x", references=("root@x",)), store, sender)
    ((_, ack),) = sender.sent
    assert outcome.acknowledgement == ack
    assert ack.delivery_status == DeliveryStatus.QUEUED
    assert (ack.in_reply_to, ack.references) == ("orig@x", ("root@x",))


def test_tenants_never_thread_into_each_other(store, sender):
    one = ingest(email(message_id="a@x"), store, sender)
    other = ingest(
        email(in_reply_to=("a@x",), tokens=(one.case_id,), tenant_id="globex", message_id="g@x"), store, sender
    )
    assert other.new_case and other.case_id != one.case_id


SLA_CONFIG = TenantConfig(
    tenant_id="acme",
    calendars={"always": BusinessCalendar("always", "UTC", always_open=True)},
    sla=SlaPolicy("always", {Priority.NORMAL: SlaTargets(first_response=timedelta(hours=1))}),
)


@pytest.mark.parametrize(("kind", "clocked"), [("human", True), ("auto_reply", False), ("bulk", False)])
def test_a_new_case_from_a_person_gets_deadlines_machine_mail_does_not(store, kind, clocked):
    message = email(f"Subject {kind}", kind=kind)
    outcome = ingest_message(message, TENANT, store, now=message.received_at, config=SLA_CONFIG)

    service = store.cases[("acme", outcome.case_id)].service
    assert service.routed_by == "default"
    assert (service.sla is not None) is clocked
    if clocked:  # the first-response clock runs an hour; the warning comes 15 minutes before it
        assert [c.due_at for c in service.sla.clocks] == [message.received_at + timedelta(hours=1)]
        assert service.next_deadline == message.received_at + timedelta(minutes=45)
    else:
        assert service.next_deadline is None
