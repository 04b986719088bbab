"""ingest_ses_feedback on moto: SES bounces and complaints about an acknowledgement come back onto its message."""

from __future__ import annotations

import json

import pytest

from omnicase.domain.model import DeliveryStatus
from omnicase.domain.record_feedback import DeliveryState, MessageKey
from omnicase.persistence.feedback_store import DynamoFeedbackStore
from omnicase_local.handlers import load_handler
from tests.integration.conftest import ROOT
from tests.integration.test_ingest_email import FakeContext, api, deliver, mail, sent_mail

FEEDBACK_EVENTS = ROOT / "events" / "ses_feedback"


def feedback_handler(stack):
    """The deployed function once template.yaml has it; until then its code folder, loaded as Lambda would."""
    if "ingest_ses_feedback" in stack.handlers:
        return stack.handler("ingest_ses_feedback")
    return load_handler(ROOT / "functions" / "ingest_ses_feedback", "app.handler")


def feedback_event(name: str, our_message_id: str, source: str = "support@acme.example") -> dict:
    """A documented notification (events/ses_feedback/) about the mail with this Message-ID."""
    event = json.loads((FEEDBACK_EVENTS / name).read_text())
    notification = json.loads(event["Records"][0]["Sns"]["Message"])
    sent = notification["mail"]
    sent["source"] = source
    sent["commonHeaders"]["from"] = [source]
    sent["commonHeaders"]["messageId"] = f"<{our_message_id}>"
    sent["headers"] = [h for h in sent["headers"] if h["name"] != "Message-ID"]
    sent["headers"].append({"name": "Message-ID", "value": f"<{our_message_id}>"})
    event["Records"][0]["Sns"]["Message"] = json.dumps(notification)
    return event


@pytest.fixture
def acknowledged(stack) -> tuple[str, str]:
    """A case whose acknowledgement went out through SES: (case id, the acknowledgement's Message-ID)."""
    (result,), _ = deliver(stack, mail(), "ses-1")
    (ack,) = sent_mail()
    return result["case_id"], ack["Message-ID"].strip("<>")


def outbound(stack, case_id: str) -> dict:
    _, body = api(stack, f"/cases/{case_id}")
    (message,) = [m for m in body["messages"] if m["direction"] == "outbound"]
    return message


def feedback_events(stack, case_id: str) -> list[dict]:
    _, body = api(stack, f"/cases/{case_id}/events")
    return [e for e in body["events"] if e["kind"].startswith("delivery_")]


def test_permanent_bounce_marks_the_acknowledgement_bounced_with_the_diagnostic(stack, acknowledged):
    case_id, ack_id = acknowledged
    assert outbound(stack, case_id)["delivery_status"] == "sent"

    (result,) = feedback_handler(stack)(feedback_event("bounce_permanent.json", ack_id), FakeContext())["results"]

    assert (result["result"], result["case_id"], result["status"]) == ("recorded", case_id, "bounced")
    message = outbound(stack, case_id)
    assert message["delivery_status"] == "bounced"
    stored = DynamoFeedbackStore().delivery_state(MessageKey("acme", case_id, message["message_id"]))
    assert stored.detail == "bounce Permanent/General: 550 5.1.1 <ann@example.com>... User unknown"
    (event,) = feedback_events(stack, case_id)
    assert event["kind"] == "delivery_bounced"
    assert event["reason"] == "bounce Permanent/General: 550 5.1.1 <ann@example.com>... User unknown"
    assert event["detail"]["recipients"] == ["ann@example.com"] and event["detail"]["permanent"] is True


def test_complaint_marks_the_acknowledgement_complained(stack, acknowledged):
    case_id, ack_id = acknowledged

    (result,) = feedback_handler(stack)(feedback_event("complaint.json", ack_id), FakeContext())["results"]

    assert result["status"] == "complained"
    assert outbound(stack, case_id)["delivery_status"] == "complained"
    assert [(e["kind"], e["reason"]) for e in feedback_events(stack, case_id)] == [
        ("delivery_complained", "complaint abuse")
    ]


def test_a_redelivered_notification_changes_nothing_more(stack, acknowledged):
    case_id, ack_id = acknowledged
    event = feedback_event("bounce_permanent.json", ack_id)
    handler = feedback_handler(stack)

    first = handler(event, FakeContext())["results"]
    again = handler(event, FakeContext())["results"]

    assert [r["result"] for r in first + again] == ["recorded", "unchanged"]
    assert outbound(stack, case_id)["delivery_status"] == "bounced"
    assert len(feedback_events(stack, case_id)) == 1


def test_a_complaint_after_a_bounce_wins_and_a_late_delivery_does_not_undo_it(stack, acknowledged):
    case_id, ack_id = acknowledged
    handler = feedback_handler(stack)
    for name in ("bounce_permanent.json", "complaint.json", "delivery.json"):
        handler(feedback_event(name, ack_id), FakeContext())

    assert outbound(stack, case_id)["delivery_status"] == "complained"
    assert [e["kind"] for e in feedback_events(stack, case_id)] == ["delivery_bounced", "delivery_complained"]


@pytest.mark.parametrize(
    ("message_id", "source", "reason"),
    [
        ("CAF=somebody-else@mail.gmail.com", "support@acme.example", "not-ours"),
        ("omc.k3m9qx2a7b.1m82y1bjy79w9ef@globex.example", "support@acme.example", "not-ours"),
        ("omc.k3m9qx2a7b.1m82y1bjy79w9ef@acme.example", "support@acme.example", "unknown-message"),
        ("omc.k3m9qx2a7b.1m82y1bjy79w9ef@acme.example", "news@unknown.example", "unknown-sender"),
    ],
)
def test_feedback_about_mail_that_is_not_ours_is_ignored_without_an_error(
    stack, acknowledged, message_id, source, reason
):
    case_id, _ = acknowledged

    (result,) = feedback_handler(stack)(
        feedback_event("bounce_permanent.json", message_id, source=source), FakeContext()
    )["results"]

    assert (result["result"], result["reason"]) == ("ignored", reason)
    assert outbound(stack, case_id)["delivery_status"] == "sent" and feedback_events(stack, case_id) == []


def test_the_topic_setup_notice_is_skipped(stack):
    event = json.loads((ROOT / "events" / "ingest_email" / "sns_ses_setup_notification.json").read_text())
    assert feedback_handler(stack)(event, FakeContext()) == {"results": []}


def test_the_store_writes_only_over_the_state_it_was_given(stack, acknowledged):
    """Compare-and-set: a feedback planned on a state that changed meanwhile is refused, and writes no event."""
    case_id, _ = acknowledged
    key = MessageKey("acme", case_id, outbound(stack, case_id)["message_id"])
    store = DynamoFeedbackStore()
    sent = store.delivery_state(key)
    assert sent == DeliveryState(DeliveryStatus.SENT, None)
    bounced = DeliveryState(DeliveryStatus.BOUNCED, "bounce Permanent/General")

    assert store.record_feedback(key, sent, bounced, []) is True
    assert store.record_feedback(key, sent, DeliveryState(DeliveryStatus.COMPLAINED, "complaint abuse"), []) is False
    assert store.delivery_state(key) == bounced
    assert store.record_feedback(MessageKey("acme", case_id, "0" * 15), sent, bounced, []) is False
