"""A customer's answer lands on their open callback case, on moto through the real paths: a low survey score or a
solved key complaint opens the callback, and the customer's next SMS, chat or mail reply to the original's thread
goes there (not reopening the original), marks it reached and counts in the report; redelivery stores once; a
message racing the opening lands on one case; once solved, the usual rules apply again; another tenant is apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from omnicase.console_api.sla_report_view import load_sla_report
from omnicase.persistence.intake_store import DynamoIntakeStore
from omnicase.reports.sla_report import report_to_dict
from omnicase_local.streams import drain
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.test_sla_report import change_stored
from tests.integration.test_survey_answers import page, post_page, sent_survey, texted_case  # noqa: F401 - fixture
from tests.integration.webhook_client import case, cases, chat_post, twilio_fields, twilio_post

ANSWER_SID = "SM" + "7" * 32
SHANGHAI = ZoneInfo("Asia/Shanghai")  # acme's report days


def callback_of(stack, case_id: str) -> str:
    """The callback case opened for `case_id` (its "callback_opened" event names it)."""
    status, body = request(stack, "GET", f"/cases/{case_id}/events")
    assert status == 200
    (opened,) = [e for e in body["events"] if e["kind"] == "callback_opened"]
    return opened["detail"]["callback_case_id"]


def solve(stack, case_id: str) -> None:
    assert request(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})[0] == 200


def low_score_callback(stack, page, case_id: str) -> str:  # noqa: F811
    solve(stack, case_id)
    assert post_page(page, sent_survey(case_id), score="1").status_code == 200
    drain()
    return callback_of(stack, case_id)


def key_complaint_callback(stack, case_id: str) -> str:
    change_stored(case_id, lambda c: setattr(c.service, "tags", (*c.service.tags, "key-complaint")))
    solve(stack, case_id)
    drain()
    return callback_of(stack, case_id)


def own_message_id(case_id: str, message_id: str) -> str:
    """acme's Message-ID of an outbound mail (outbound_message_id.py: omc.<case>.<message>@<ack_from's domain>)."""
    return f"omc.{case_id}.{message_id}@acme.example".lower()


def reached_at(case_id: str) -> datetime | None:
    """When the callback case reached its customer (stored; the report counts it)."""
    from omnicase.wiring import case_store

    stored = case_store().get("acme", case_id)
    assert stored is not None
    return stored.service.customer_reached_at


def inbound_texts(stack, case_id: str) -> list[str]:
    return [m["body_text"] for m in case(stack, case_id)["messages"] if m["direction"] == "inbound"]


def rates() -> dict:
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    window = {"from": (today - timedelta(days=3)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}
    return report_to_dict(load_sla_report("acme", window))


def test_an_sms_after_a_low_score_lands_once_on_the_callback_case_and_counts_as_reached(stack, page, acme_config):  # noqa: F811
    original = texted_case(stack)
    callback = low_score_callback(stack, page, original)
    assert rates()["low_score_callback_3d"]["numerator"] == 0

    for _ in range(2):  # Twilio redelivers
        assert twilio_post(stack, twilio_fields("Please call after 6pm", ANSWER_SID)).status_code == 200
    drain()

    assert inbound_texts(stack, callback) == ["Please call after 6pm"]  # once
    assert "Please call after 6pm" not in inbound_texts(stack, original)
    assert case(stack, original)["case"]["status"] == "solved"  # not reopened
    assert reached_at(callback) is not None
    assert rates()["low_score_callback_3d"] == {"numerator": 1, "denominator": 1, "rate": 1.0}


def test_an_sms_after_a_solved_key_complaint_lands_on_its_callback_case(stack, acme_config):  # noqa: F811
    original = texted_case(stack)
    callback = key_complaint_callback(stack, original)

    twilio_post(stack, twilio_fields("Thanks, I am home now", ANSWER_SID))
    drain()

    assert inbound_texts(stack, callback) == ["Thanks, I am home now"]
    assert case(stack, original)["case"]["status"] == "solved"
    assert reached_at(callback) is not None
    assert rates()["key_complaint_callback_3d"] == {"numerator": 1, "denominator": 1, "rate": 1.0}


def test_a_chat_during_an_open_callback_lands_on_it(stack, acme_config):  # noqa: F811
    first = {"conversation_id": "conv-1", "message_id": "m-1", "user_id": "visitor-9", "text": "Broken again"}
    original = chat_post(stack, first).json_body["case_id"]
    callback = key_complaint_callback(stack, original)

    later = chat_post(stack, {**first, "message_id": "m-2", "text": "Call me now"})
    again = chat_post(stack, {**first, "message_id": "m-3", "text": "Still here"})

    assert later.json_body["case_id"] == callback == again.json_body["case_id"]
    assert inbound_texts(stack, callback) == ["Call me now", "Still here"]
    assert reached_at(callback) is not None


def test_a_mail_reply_to_the_originals_thread_lands_on_the_callback_and_a_new_mail_does_not(stack, page, acme_config):  # noqa: F811
    ((mailed,), _) = deliver(stack, mail("Parcel lost", sender="a@example.com", message_id="a@x"), "a")
    original = mailed["case_id"]
    status, body = request(stack, "POST", f"/cases/{original}/replies", {"body": "Found it, on its way."})
    assert status == 201
    callback = key_complaint_callback(stack, original)
    # What the survey mail and every agent mail of the original carry: our own Message-ID naming the original
    ours = own_message_id(original, body["message"]["message_id"])

    reply = mail("Re: Parcel lost", sender="a@example.com", message_id="a2@x", extra=f"In-Reply-To: <{ours}>\r\n")
    ((answered,), _) = deliver(stack, reply, "a2")
    ((fresh,), _) = deliver(stack, mail("Another topic", sender="a@example.com", message_id="a3@x"), "a3")

    assert answered["case_id"] == callback
    assert reached_at(callback) is not None
    assert fresh["case_id"] not in (original, callback)  # a mail threads by its headers only


def test_a_message_racing_the_callbacks_opening_is_planned_again_and_lands_on_it(stack, page, monkeypatch):  # noqa: F811
    original = texted_case(stack)
    solve(stack, original)
    token = sent_survey(original, pending=False)
    drain()
    commit = DynamoIntakeStore.commit_intake
    opened = []

    def callback_opens_between_read_and_commit(self, plan):
        if not opened:  # once: the survey is answered while the SMS's intake holds its read
            assert post_page(page, token, score="1").status_code == 200
            opened.append(True)
        return commit(self, plan)

    monkeypatch.setattr(DynamoIntakeStore, "commit_intake", callback_opens_between_read_and_commit)
    twilio_post(stack, twilio_fields("Any news?", ANSWER_SID))
    drain()

    callback = callback_of(stack, original)
    assert inbound_texts(stack, callback) == ["Any news?"]
    assert "Any news?" not in inbound_texts(stack, original)
    assert case(stack, original)["case"]["status"] == "solved"


def test_once_the_callback_is_solved_the_usual_rules_apply(stack, page, acme_config):  # noqa: F811
    original = texted_case(stack)
    callback = low_score_callback(stack, page, original)
    solve(stack, callback)
    change_stored(callback, lambda c: setattr(c, "solved_at", datetime.now(UTC) - timedelta(days=30)))

    twilio_post(stack, twilio_fields("New problem", ANSWER_SID))

    newest = {c["case_id"]: c for c in cases(stack)}
    assert len(newest) == 3  # the original, the callback, and a follow-up of the long-solved callback
    (follow_up,) = [c for c in newest.values() if c["case_id"] not in (original, callback)]
    assert case(stack, follow_up["case_id"])["case"]["follow_up_of"] == callback
    assert case(stack, callback)["case"]["status"] == "solved"


def test_another_tenants_mail_from_the_same_customer_stays_apart(stack, acme_config):  # noqa: F811
    ((mailed,), _) = deliver(stack, mail("Parcel lost", sender="a@example.com", message_id="a@x"), "a")
    original = mailed["case_id"]
    callback = key_complaint_callback(stack, original)
    ours = own_message_id(original, "1M82Y1BJY79W9EF")

    to_globex = mail("Re: Parcel lost", sender="a@example.com", message_id="g@x", extra=f"In-Reply-To: <{ours}>\r\n")
    to_globex = to_globex.replace(b"To: support@acme.example", b"To: help@globex.example")
    ((result,), _) = deliver(stack, to_globex, "g", recipients=("help@globex.example",))

    assert result["case_id"] not in (original, callback)
    assert reached_at(callback) is None
    assert inbound_texts(stack, callback) == []
