"""Threading while a callback case is open: the customer's identities point at it (as its opening leaves them), so
their next message lands on it and marks it reached; once it is solved the usual rules apply; two reads at most."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from omnicase.domain.callback_case import callback_case
from omnicase.domain.ingest_message import ingest_message
from omnicase.domain.intake_plan import SenderIdentity
from omnicase.domain.model import CaseStatus
from omnicase.domain.tenant_config import TenantConfig
from tests.unit.domain.builders import T0, TENANT, chat, email, sms
from tests.unit.fakes import MemoryIntakeStore

LATER = T0 + timedelta(hours=1)


@pytest.fixture
def store():
    return MemoryIntakeStore()


def ingest(message, store):
    return ingest_message(message, TENANT, store, now=message.received_at)


def open_callback(store: MemoryIntakeStore, original_id: str) -> str:
    """What a low score's transaction writes: the original solved, the callback case, every identity pointing at it."""
    key = ("acme", original_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.SOLVED, solved_at=T0)
    callback, _ = callback_case(store.cases[key], TenantConfig("acme"), "survey score 1", T0)
    store.cases[("acme", callback.case_id)] = replace(callback, version=1)
    for identity, held in store.identities.items():
        if held.customer_id == callback.customer_id:
            store.identities[identity] = replace(held, thread_case_id=callback.case_id)
    return callback.case_id


def solve(store: MemoryIntakeStore, case_id: str) -> None:
    key = ("acme", case_id)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.SOLVED, solved_at=LATER)


def test_a_text_lands_on_the_open_callback_and_marks_it_reached(store):
    original = ingest(sms(), store).case_id
    callback = open_callback(store, original)
    reads = store.reads

    answer = ingest(sms("call me", at=LATER), store)

    assert answer.case_id == callback and store.reads - reads <= 2  # the batch and the callback case
    assert store.cases[("acme", callback)].service.customer_reached_at == LATER
    assert store.cases[("acme", original)].status == CaseStatus.SOLVED


def test_a_chat_in_any_conversation_lands_on_the_open_callback_then_threads_as_usual(store):
    original = ingest(chat(conversation="c1"), store).case_id
    callback = open_callback(store, original)

    in_old = ingest(chat(conversation="c1", at=LATER), store)
    in_new = ingest(chat(conversation="c2", at=LATER + timedelta(minutes=1)), store)
    assert in_old.case_id == callback == in_new.case_id

    solve(store, callback)
    afterwards = ingest(chat(conversation="c3", at=LATER + timedelta(days=1)), store)
    assert afterwards.new_case and afterwards.case_id not in (original, callback)


def test_a_mail_answering_the_original_thread_lands_on_the_open_callback_only(store):
    original = ingest(email(message_id="a@x"), store).case_id
    callback = open_callback(store, original)
    reads = store.reads

    reply = ingest(email("Re: Printer broken", in_reply_to=("a@x",), at=LATER), store)
    assert reply.case_id == callback and store.reads - reads <= 2
    fresh = ingest(email("Something else", at=LATER + timedelta(minutes=1)), store)
    assert fresh.new_case  # mail threads by its headers: a new mail is a new case

    solve(store, callback)
    store.cases[("acme", original)] = replace(store.cases[("acme", original)], solved_at=LATER)
    after = ingest(email("Re: Printer broken", in_reply_to=("a@x",), at=LATER + timedelta(hours=1)), store)
    assert after.case_id == original  # the callback is done: the thread's own case again


def test_a_message_read_before_the_callback_opened_is_planned_again_and_lands_on_it(store):
    original = ingest(sms(), store).case_id
    key = ("acme", original)
    store.cases[key] = replace(store.cases[key], status=CaseStatus.SOLVED, solved_at=T0)
    opened: list[str] = []
    store.before_commit = lambda s: opened.append(open_callback(s, original))  # between read and commit

    answer = ingest(sms("hello?", at=LATER), store)

    assert answer.case_id == opened[0]
    assert store.cases[key].status == CaseStatus.SOLVED and store.cases[key].message_count == 2


def test_an_identity_pointing_at_a_case_that_is_no_callback_changes_nothing_for_chat(store):
    original = ingest(chat(conversation="c1"), store).case_id
    other = ingest(sms(), store).case_id
    chat_key = next(k for k in store.identities if k[1] == "chat")
    store.identities[chat_key] = SenderIdentity(store.identities[chat_key].customer_id, thread_case_id=other)

    assert ingest(chat(conversation="c1", at=LATER), store).case_id == original
