"""The key-complaint callback rate (重点客诉3天回访率) apart from the low-score one, on moto through the real paths:
callback cases opened by a low survey score and by solving a key complaint, reached by a logged call or by the
customer's written answer (an agent's written reply alone is no callback), counted by hand; the tenant's report
thresholds, and a changed threshold applied to the days already counted by `omnicase report rebuild`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from omnicase.console_api.sla_report_view import load_sla_report, scanned_sla_report
from omnicase.domain.report_policy import ReportPolicy
from omnicase.reports.sla_report import report_to_dict
from omnicase_local.cli import main
from omnicase_local.streams import drain
from tests.integration.test_case_actions_api import request
from tests.integration.test_ingest_email import deliver, mail
from tests.integration.test_routing_at_intake import acme_config  # noqa: F401 - fixture
from tests.integration.test_sla_report import backdate, change_stored
from tests.integration.test_survey_answers import page, post_page, sent_survey  # noqa: F401 - fixture

SHANGHAI = ZoneInfo("Asia/Shanghai")


def callback_of(stack, case_id: str) -> str:
    """The callback case opened for `case_id` (its "callback_opened" event names it)."""
    status, body = request(stack, "GET", f"/cases/{case_id}/events")
    assert status == 200
    (opened,) = [e for e in body["events"] if e["kind"] == "callback_opened"]
    return opened["detail"]["callback_case_id"]


def solve(stack, case_id: str) -> None:
    assert request(stack, "PATCH", f"/cases/{case_id}", {"status": "solved"})[0] == 200


def low_score(stack, page, case_id: str, score: str) -> str:  # noqa: F811
    solve(stack, case_id)
    assert post_page(page, sent_survey(case_id, nonce=f"n-{case_id}"), score=score).status_code == 200
    drain()
    return callback_of(stack, case_id)


def key_complaint(stack, n: int) -> str:
    ((result,), _) = deliver(stack, mail(f"Complaint {n}", sender=f"k{n}@example.com", message_id=f"k{n}@x"), f"k{n}")
    change_stored(result["case_id"], lambda case: setattr(case.service, "tags", (*case.service.tags, "key-complaint")))
    solve(stack, result["case_id"])
    drain()
    return callback_of(stack, result["case_id"])


def window() -> dict[str, str]:
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    return {"from": (today - timedelta(days=3)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}


def counted_and_scanned() -> tuple[dict[str, Any], dict[str, Any]]:
    return report_to_dict(load_sla_report("acme", window())), report_to_dict(scanned_sla_report("acme", window()))


@pytest.fixture
def callbacks(stack, acme_config, page):  # noqa: F811
    """Four callback cases: two of key complaints, two of low scores; one of each reached in time."""
    # Low score 1: the agent writes from the callback case, the customer answers it → reached within seconds
    ((mailed,), _) = deliver(stack, mail("Parcel lost", sender="a@example.com", message_id="a@x"), "a")
    reached_by_answer = low_score(stack, page, mailed["case_id"], "1")
    assert request(stack, "POST", f"/cases/{reached_by_answer}/replies", {"body": "When may we call?"})[0] == 201
    answer = mail(f"Re: Callback [#{reached_by_answer}]", sender="a@example.com", message_id="a2@x", body="Now.")
    assert deliver(stack, answer, "a2")[0][0]["case_id"] == reached_by_answer
    # Low score 2 (mail): only an agent's written reply → not reached
    ((mailed,), _) = deliver(stack, mail("Invoice wrong", sender="d@example.com", message_id="d@x"), "d")
    replied_only = low_score(stack, page, mailed["case_id"], "2")
    assert request(stack, "POST", f"/cases/{replied_only}/replies", {"body": "We will call you."})[0] == 201
    # Key complaint 1: an agent's written reply only → not reached
    complaint_replied = key_complaint(stack, 1)
    assert request(stack, "POST", f"/cases/{complaint_replied}/replies", {"body": "Sorry."})[0] == 201
    # Key complaint 2: opened two days ago, a call reached the customer now → reached 2 days after it opened
    complaint_called = key_complaint(stack, 2)
    change_stored(complaint_called, backdate(timedelta(days=2)))
    call = {
        "direction": "outbound",
        "outcome": "reached",
        "started_at": datetime.now(UTC).isoformat(),
        "duration_s": 300,
    }
    assert request(stack, "POST", f"/cases/{complaint_called}/calls", call)[0] == 201
    drain()
    return {
        "reached_by_answer": reached_by_answer,
        "replied_only": replied_only,
        "complaint_replied": complaint_replied,
        "complaint_called": complaint_called,
    }


def test_the_key_complaint_and_low_score_callback_rates_agree_with_a_hand_count(stack, callbacks):
    counted, scanned = counted_and_scanned()

    assert counted == scanned
    # key complaints: called 2 days after (met), replied in writing only (not) → 1/2
    assert counted["key_complaint_callback_3d"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
    # low scores: the customer answered in writing (met), the agent replied in writing only (not) → 1/2
    assert counted["low_score_callback_3d"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
    assert counted["callback_3d"] == {"numerator": 2, "denominator": 4, "rate": 0.5}
    assert counted["key_complaints"] == 2  # the two complaints (their callback cases are not tagged so)
    assert counted["thresholds"] == {
        "chat_answer_within_s": 30,
        "ticket_response_within_s": 1800,
        "callback_within_s": 259200,
    }

    status, daily = request(stack, "GET", f"/reports/sla/daily?from={window()['from']}&to={window()['to']}")
    assert status == 200
    days = {d["date"]: d for d in daily["days"]}
    two_days_ago = (datetime.now(UTC).astimezone(SHANGHAI) - timedelta(days=2)).date().isoformat()
    assert days[two_days_ago]["key_complaint_callback_rate"] == {"met": 1, "total": 1, "rate": 1.0}


def test_a_changed_threshold_applies_to_counted_days_after_a_rebuild(stack, callbacks):
    from omnicase.wiring import config_store, rebind

    store = config_store()
    config = store.load("acme", cached=False)
    assert config is not None
    store.save(replace(config, report=ReportPolicy(callback_within=timedelta(days=1))), expected_version=config.version)
    rebind()

    before = report_to_dict(load_sla_report("acme", window()))
    assert before["thresholds"]["callback_within_s"] == 86_400
    # counted at 3 days: the days already counted keep what they counted until they are recounted
    assert before["key_complaint_callback_3d"]["numerator"] == 1

    assert main(["report", "rebuild", "--tenant", "acme", "--table", stack.table]) == 0
    counted, scanned = counted_and_scanned()

    assert counted == scanned
    assert counted["key_complaint_callback_3d"] == {"numerator": 0, "denominator": 2, "rate": 0.0}  # 2 days > 1 day
    assert counted["low_score_callback_3d"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
