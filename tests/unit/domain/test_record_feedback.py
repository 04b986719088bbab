"""Bounces and complaints land on the outbound message they name: once, worst news wins, strangers ignored."""

from __future__ import annotations

from dataclasses import replace

import pytest

from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import DeliveryStatus
from omnicase.domain.outbound_message_id import outbound_message_id
from omnicase.domain.record_feedback import (
    DeliveryState,
    Feedback,
    FeedbackKind,
    FeedbackRecorder,
    MessageKey,
    plan_feedback,
)
from tests.unit.domain.builders import T0, TENANT

GLOBEX = replace(TENANT, tenant_id="globex", mailboxes=("help@globex.example",), ack_from="help@globex.example")
CASE, MESSAGE = "K3M9QX2A7B", "1M82Y1BJY79W9EF"
KEY = MessageKey("acme", CASE, MESSAGE)
HARD = "bounce Permanent/General: 550 5.1.1 <ann@example.com>... User unknown"
SOFT = "bounce Transient/MailboxFull: 452 4.2.2 mailbox full"


class Directory:
    def __init__(self, *tenants) -> None:
        self.by_address = {m: t for t in tenants for m in t.mailboxes}

    def tenant_for_address(self, address):
        return self.by_address.get(address)


class MemoryFeedbackStore:
    """FeedbackStore in a dict, conditional like the DynamoDB one; `meddle` changes the message before a write."""

    def __init__(self, states=None) -> None:
        self.states: dict[MessageKey, DeliveryState] = dict(states or {})
        self.events: list = []
        self.writes = 0
        self.meddle = None

    def delivery_state(self, key):
        return self.states.get(key)

    def record_feedback(self, key, expected, new, events):
        if self.meddle:
            meddle, self.meddle = self.meddle, None
            meddle(self)
        if self.states.get(key) != expected:
            return False
        self.writes += 1
        self.states[key] = new
        self.events.extend(events)
        return True


def feedback(kind=FeedbackKind.BOUNCE, *, permanent=True, detail=HARD, message_id=None, source="support@acme.example"):
    return Feedback(
        kind=kind,
        ses_message_id="0100019a3c5e7f10-ses",
        our_message_id=message_id if message_id is not None else outbound_message_id(CASE, MESSAGE, TENANT),
        source=source,
        recipients=("ann@example.com",),
        detail=detail,
        permanent=permanent,
        feedback_id="fb-1",
        reported_at="2026-11-02T09:15:05.118Z",
    )


SOFT_BOUNCE = feedback(permanent=False, detail=SOFT)
COMPLAINT = feedback(FeedbackKind.COMPLAINT, permanent=False, detail="complaint abuse")
DELIVERY = feedback(FeedbackKind.DELIVERY, permanent=False, detail="delivered: 250 ok")


def recorder(status=DeliveryStatus.SENT, detail=None):
    store = MemoryFeedbackStore({KEY: DeliveryState(status, detail)})
    return FeedbackRecorder(Directory(TENANT, GLOBEX), store), store


def test_hard_bounce_marks_the_message_bounced_with_the_diagnostic_and_an_audit_event():
    rec, store = recorder()
    outcome = rec.record(feedback(), T0)
    assert (outcome.result, outcome.case_id, outcome.message_id) == ("recorded", CASE, MESSAGE)
    assert store.states[KEY] == DeliveryState(DeliveryStatus.BOUNCED, HARD)
    (event,) = store.events
    assert (event.tenant_id, event.case_id, event.kind, event.at, event.reason) == (
        "acme",
        CASE,
        "delivery_bounced",
        T0,
        HARD,
    )
    assert event.detail["message_id"] == MESSAGE and event.detail["recipients"] == ["ann@example.com"]
    assert event.detail["permanent"] is True and event.detail["provider_message_id"] == "0100019a3c5e7f10-ses"


def test_complaint_marks_the_message_complained():
    rec, store = recorder()
    assert rec.record(COMPLAINT, T0).status == DeliveryStatus.COMPLAINED
    assert store.states[KEY] == DeliveryState(DeliveryStatus.COMPLAINED, "complaint abuse")
    assert [e.kind for e in store.events] == ["delivery_complained"]


def test_soft_bounce_keeps_the_message_sent_but_says_why():
    rec, store = recorder()
    assert rec.record(SOFT_BOUNCE, T0).result == "recorded"
    assert store.states[KEY] == DeliveryState(DeliveryStatus.SENT, SOFT)
    assert store.events[0].kind == "delivery_bounced" and store.events[0].detail["permanent"] is False


@pytest.mark.parametrize("notice", [feedback(), SOFT_BOUNCE, COMPLAINT, DELIVERY])
def test_a_redelivered_notification_changes_nothing_more(notice):
    rec, store = recorder(DeliveryStatus.QUEUED)
    first = rec.record(notice, T0)
    state, events = store.states[KEY], list(store.events)
    again = rec.record(notice, T0)
    assert first.result == "recorded" and (again.result, again.status) == ("unchanged", first.status)
    assert store.writes == 1 and store.states[KEY] == state and store.events == events


@pytest.mark.parametrize(
    ("first", "second"), [(feedback(), COMPLAINT), (COMPLAINT, feedback()), (SOFT_BOUNCE, COMPLAINT)]
)
def test_worse_news_wins_whatever_the_order(first, second):
    rec, store = recorder()
    rec.record(first, T0)
    rec.record(second, T0)
    assert store.states[KEY].status == DeliveryStatus.COMPLAINED


def test_a_soft_bounce_after_a_hard_one_does_not_undo_it():
    rec, store = recorder()
    rec.record(feedback(), T0)
    assert rec.record(SOFT_BOUNCE, T0).result == "unchanged"
    assert store.states[KEY] == DeliveryState(DeliveryStatus.BOUNCED, HARD)


def test_delivery_only_moves_a_message_whose_sending_was_not_recorded():
    rec, store = recorder(DeliveryStatus.QUEUED)
    assert rec.record(DELIVERY, T0).status == DeliveryStatus.SENT
    assert store.states[KEY] == DeliveryState(DeliveryStatus.SENT, None) and store.events == []
    assert rec.record(DELIVERY, T0).result == "unchanged"


def test_feedback_on_a_queued_message_counts_it_as_sent_first():
    """SES reported on it, so it was sent (the sender crashed before recording): a soft bounce leaves it sent."""
    rec, store = recorder(DeliveryStatus.QUEUED)
    rec.record(SOFT_BOUNCE, T0)
    assert store.states[KEY] == DeliveryState(DeliveryStatus.SENT, SOFT)


@pytest.mark.parametrize("status", [DeliveryStatus.FAILED, None])
def test_failed_and_non_outbound_messages_take_no_feedback(status):
    rec, store = recorder(status)
    assert rec.record(feedback(), T0).result == "unchanged"
    assert store.writes == 0


@pytest.mark.parametrize(
    ("notice", "reason"),
    [
        (feedback(message_id="CAF=abc@mail.gmail.com"), "not-ours"),
        (feedback(message_id=outbound_message_id(CASE, MESSAGE, GLOBEX)), "not-ours"),  # globex's id from acme
        (feedback(source="someone@elsewhere.example"), "unknown-sender"),
        (feedback(message_id=""), "no-message-id"),
        (feedback(message_id=outbound_message_id(CASE, "2M82Y1BJY79W9EF", TENANT)), "unknown-message"),
    ],
)
def test_feedback_about_mail_that_is_not_ours_is_ignored_not_failed(notice, reason, caplog):
    rec, store = recorder()
    caplog.set_level("INFO")
    outcome = rec.record(notice, T0)
    assert (outcome.result, outcome.reason) == ("ignored", reason)
    assert store.writes == 0 and store.events == []
    assert reason in caplog.text


def test_tenant_is_found_from_the_from_header_when_the_envelope_sender_is_not_a_mailbox():
    rec, store = recorder()
    notice = replace(feedback(), source="bounces@mail.acme.example", senders=("support@acme.example",))
    assert rec.record(notice, T0).result == "recorded"
    assert store.states[KEY].status == DeliveryStatus.BOUNCED


def test_a_concurrent_change_is_re_read_and_decided_again():
    rec, store = recorder()

    def complained_meanwhile(s):
        s.states[KEY] = DeliveryState(DeliveryStatus.COMPLAINED, "complaint abuse")

    store.meddle = complained_meanwhile
    assert rec.record(feedback(), T0).result == "unchanged"
    assert store.states[KEY].status == DeliveryStatus.COMPLAINED and store.events == []


def test_plan_is_a_pure_ordering_of_states():
    sent = DeliveryState(DeliveryStatus.SENT)
    assert plan_feedback(feedback(), sent).state == DeliveryState(DeliveryStatus.BOUNCED, HARD)
    other_recipient = replace(feedback(), detail="bounce Permanent/NoEmail: 550 no such user")
    bounced = DeliveryState(DeliveryStatus.BOUNCED, HARD)
    assert plan_feedback(other_recipient, bounced).state.detail == "bounce Permanent/NoEmail: 550 no such user"
    assert plan_feedback(DELIVERY, bounced) is None


def test_a_message_that_keeps_changing_is_left_to_a_retry_of_the_invocation():
    rec, store = recorder()
    store.record_feedback = lambda *args: False  # every write loses its race
    with pytest.raises(ConcurrentUpdate):
        rec.record(feedback(), T0)
