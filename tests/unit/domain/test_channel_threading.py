"""SMS and WeChat thread by the sender's current case, chat by conversation; one customer across channels."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from omnicase.domain.ingest_message import ingest_message
from omnicase.domain.model import CaseStatus
from tests.unit.domain.builders import T0, TENANT, chat, email, sms, wechat
from tests.unit.fakes import MemoryIntakeStore


@pytest.fixture
def store():
    return MemoryIntakeStore()


def ingest(message, store, now=None):
    return ingest_message(message, TENANT, store, now=now or message.received_at)


@pytest.mark.parametrize("make", [sms, wechat])
def test_messages_from_one_address_join_its_open_case(store, make):
    first = ingest(make(), store)
    second = ingest(make(), store)
    assert first.new_case and second.case_id == first.case_id
    assert store.cases[("acme", first.case_id)].message_count == 3  # two messages and the acknowledgement


@pytest.mark.parametrize("make", [sms, wechat])
def test_after_solve_a_message_reopens_within_the_window_and_opens_a_new_case_after_it(store, make):
    first = ingest(make(), store)
    key = ("acme", first.case_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.SOLVED, solved_at=T0)
    soon = ingest(make(at=T0 + timedelta(days=2)), store, now=T0 + timedelta(days=2))
    assert soon.case_id == first.case_id and store.cases[key].status == CaseStatus.OPEN

    store.cases[key] = replace(store.cases[key], status=CaseStatus.SOLVED, solved_at=T0 + timedelta(days=2))
    late = ingest(make(at=T0 + timedelta(days=10)), store, now=T0 + timedelta(days=10))
    assert late.new_case and store.cases[("acme", late.case_id)].follow_up_of == first.case_id
    following = ingest(make(at=T0 + timedelta(days=10, minutes=1)), store, now=T0 + timedelta(days=10, minutes=1))
    assert following.case_id == late.case_id  # the new case is now the address's thread


def test_chat_threads_by_conversation_not_by_user(store):
    one = ingest(chat(conversation="c1"), store)
    same = ingest(chat(conversation="c1"), store)
    other = ingest(chat(conversation="c2"), store)
    assert same.case_id == one.case_id and other.new_case and other.case_id != one.case_id


def test_a_chat_user_who_gives_a_known_email_joins_that_customer(store):
    by_mail = ingest(email(sender="ann@example.com"), store)
    customer = store.cases[("acme", by_mail.case_id)].customer_id
    in_chat = ingest(chat(user="web-77", claimed=[("email", "ann@example.com")]), store)
    assert store.cases[("acme", in_chat.case_id)].customer_id == customer
    later = ingest(chat(user="web-77", conversation="c9"), store)
    assert store.cases[("acme", later.case_id)].customer_id == customer  # the chat identity now belongs to Ann


def test_a_new_phone_given_in_chat_becomes_the_customers_identity(store):
    in_chat = ingest(chat(user="web-88", claimed=[("sms", "+8613911112222")]), store)
    by_sms = ingest(sms(sender="+8613911112222"), store)
    assert store.cases[("acme", by_sms.case_id)].customer_id == store.cases[("acme", in_chat.case_id)].customer_id
    assert len(store.customers) == 1


def test_stop_records_opt_out_files_the_message_and_start_lifts_it(store):
    first = ingest(sms("help me"), store)
    stop = ingest(sms("STOP", keyword="stop"), store)
    assert stop.case_id == first.case_id and not stop.acknowledged
    assert store.identities[("acme", "sms", "+8613800138000")].opted_out
    assert store.cases[("acme", first.case_id)].status == CaseStatus.NEW  # a keyword does not wake the case

    ingest(sms("START", keyword="start"), store)
    assert not store.identities[("acme", "sms", "+8613800138000")].opted_out


def test_an_opted_out_number_gets_no_acknowledgement_on_a_new_case(store):
    stop = ingest(sms("STOP", keyword="stop", sender="+8613700000000"), store)
    key = ("acme", stop.case_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.CLOSED)
    new_case = ingest(sms("new problem", sender="+8613700000000"), store)
    assert new_case.new_case and not new_case.acknowledged
    consenting = ingest(sms("new problem", sender="+8613700000001"), store)
    assert consenting.new_case and consenting.acknowledged


def test_two_first_chat_messages_of_one_conversation_make_one_case(store):
    def other_message_of_the_conversation_commits_first(s):
        ingest(chat(conversation="race"), s)

    store.before_commit = other_message_of_the_conversation_commits_first
    outcome = ingest(chat(conversation="race"), store)
    assert len(store.cases) == 1 and outcome.case_id == next(iter(store.cases))[1]


def test_a_closed_conversation_continues_on_a_follow_up_case(store):
    first = ingest(chat(conversation="c-closed"), store)
    key = ("acme", first.case_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.CLOSED)
    follow_up = ingest(chat(conversation="c-closed"), store)
    again = ingest(chat(conversation="c-closed"), store)
    assert follow_up.new_case and store.cases[("acme", follow_up.case_id)].follow_up_of == first.case_id
    assert again.case_id == follow_up.case_id
    assert store.cases[("acme", follow_up.case_id)].conversation_id == "c-closed"
