"""SES bounce / complaint / delivery notifications in the documented shape (events/ses_feedback/) → Feedback."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from omnicase.channels.email.ses_feedback import is_feedback, parse_feedback
from omnicase.domain.errors import RejectedInput
from omnicase.domain.record_feedback import FeedbackKind

EVENTS = Path(__file__).resolve().parents[3] / "events" / "ses_feedback"
OUR_ID = "omc.k3m9qx2a7b.1m82y1bjy79w9ef@acme.example"
SES_ID = "0100019a3c5e7f10-5d2c1a8b-3e4f-4a6b-9c7d-8e1f2a3b4c5d-000000"


def payload(name: str) -> dict:
    return json.loads(json.loads((EVENTS / name).read_text())["Records"][0]["Sns"]["Message"])


def test_permanent_bounce_names_our_message_and_the_diagnostic():
    feedback = parse_feedback(payload("bounce_permanent.json"))
    assert feedback.kind is FeedbackKind.BOUNCE and feedback.permanent
    assert feedback.ses_message_id == SES_ID
    assert feedback.our_message_id == OUR_ID  # brackets gone, lower-case
    assert feedback.source == "support@acme.example"
    assert feedback.senders == ("support@acme.example",)
    assert feedback.recipients == ("ann@example.com",)
    assert feedback.detail == "bounce Permanent/General: 550 5.1.1 <ann@example.com>... User unknown"
    assert feedback.feedback_id.startswith("0100019a3c5e8a2b")


def test_complaint_names_the_complainer_and_feedback_type():
    feedback = parse_feedback(payload("complaint.json"))
    assert feedback.kind is FeedbackKind.COMPLAINT and not feedback.permanent
    assert feedback.our_message_id == OUR_ID
    assert feedback.recipients == ("ann@example.com",)
    assert feedback.detail == "complaint abuse"


def test_delivery_carries_the_smtp_response():
    feedback = parse_feedback(payload("delivery.json"))
    assert feedback.kind is FeedbackKind.DELIVERY
    assert feedback.detail == "delivered: 250 2.6.0 Message received"


def test_soft_bounce_is_not_permanent_and_falls_back_to_the_status():
    data = payload("bounce_permanent.json")
    data["bounce"].update(bounceType="Transient", bounceSubType="MailboxFull")
    data["bounce"]["bouncedRecipients"] = [{"emailAddress": "Ann@Example.com", "status": "4.2.2"}]
    feedback = parse_feedback(data)
    assert not feedback.permanent
    assert feedback.detail == "bounce Transient/MailboxFull: 4.2.2"
    assert feedback.recipients == ("ann@example.com",)


def test_event_publishing_spelling_and_raw_headers_are_read():
    """A configuration set's event destination says `eventType`; the Message-ID may be only in `headers`."""
    data = payload("bounce_permanent.json")
    data["eventType"] = data.pop("notificationType")
    del data["mail"]["commonHeaders"]
    feedback = parse_feedback(data)
    assert feedback.kind is FeedbackKind.BOUNCE and feedback.our_message_id == OUR_ID
    assert feedback.senders == ()


def test_without_original_headers_our_message_id_is_unknown():
    data = payload("complaint.json")
    for field in ("headers", "commonHeaders", "headersTruncated"):
        del data["mail"][field]
    assert parse_feedback(data).our_message_id is None


def test_a_long_diagnostic_is_clipped_to_one_line():
    data = payload("bounce_permanent.json")
    data["bounce"]["bouncedRecipients"][0]["diagnosticCode"] = "smtp; 550 " + "x\r\n" * 400
    detail = parse_feedback(data).detail
    assert len(detail) == 500 and "\n" not in detail and detail.endswith("…")


def test_only_bounces_complaints_and_deliveries_are_feedback():
    assert all(is_feedback(payload(n)) for n in ("bounce_permanent.json", "complaint.json", "delivery.json"))
    assert is_feedback({"eventType": "Complaint"})
    assert not is_feedback({"notificationType": "AmazonSnsSubscriptionSucceeded"})
    assert not is_feedback({"eventType": "Open"})
    assert not is_feedback({})


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("mail"),
        lambda d: d["mail"].pop("messageId"),
        lambda d: d.pop("bounce"),
        lambda d: d["bounce"].pop("bounceType"),
        lambda d: d["bounce"]["bouncedRecipients"].append({"status": "5.0.0"}),
        lambda d: d.update(notificationType="Open"),
        lambda d: d.update(mail="not an object"),
    ],
)
def test_malformed_notifications_are_rejected_with_a_reason(breakage):
    data = copy.deepcopy(payload("bounce_permanent.json"))
    breakage(data)
    with pytest.raises(RejectedInput) as refused:
        parse_feedback(data)
    assert refused.value.reason == "malformed-ses-feedback"
