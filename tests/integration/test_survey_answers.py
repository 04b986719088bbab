"""Survey answers end to end on moto: the page (GET form, POST answer), single use, bad links, the low-score
callback case, and a texted digit taken as the answer of a pending survey."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from omnicase.domain.model import Channel
from omnicase.domain.survey import Survey, SurveyStatus
from omnicase.domain.survey_token import issue_token
from omnicase_local.handlers import load_handler
from omnicase_local.streams import drain
from tests.integration.conftest import ROOT, TOKEN
from tests.integration.webhook_client import call, case, cases, twilio_fields, twilio_post

SECRET = "survey-test-secret"
PHONE = "+8613800138000"


@pytest.fixture
def page(stack, monkeypatch) -> Any:
    monkeypatch.setenv("SURVEY_TOKEN_SECRET", SECRET)
    return load_handler(ROOT / "functions" / "survey_page", "app.app")


def texted_case(stack, body: str = "我的包裹丢了", sid: str = "SM" + "1" * 32) -> str:
    twilio_post(stack, twilio_fields(body, sid))
    (only,) = cases(stack)
    return only["case_id"]


def sent_survey(
    case_id: str, *, nonce: str = "nonce1", expires_at: datetime | None = None, pending: bool = True
) -> str:
    """A survey SENT to the customer's phone (as the sender stores it), and its link token."""
    from omnicase.persistence.dynamo_models import IdentityItem
    from omnicase.persistence.keys import SINGLETON_SK, identity_pk
    from omnicase.persistence.survey_store import survey_to_item

    now = datetime.now(UTC)
    expires_at = expires_at or now + timedelta(days=14)
    survey = Survey(
        tenant_id="acme",
        case_id=case_id,
        channel=Channel.SMS,
        contact=PHONE,
        status=SurveyStatus.SENT,
        due_at=now + timedelta(days=2),
        nonce=nonce,
        language="zh",
        sent_at=now,
        expires_at=expires_at,
    )
    # Over whatever the scheduler stored when the case was solved: its change feed may have run already or not yet
    survey_to_item(survey).save(add_version_condition=False)
    if pending:
        IdentityItem(identity_pk("acme", "sms", PHONE), SINGLETON_SK).update(
            actions=[
                IdentityItem.pending_survey_case_id.set(case_id),
                IdentityItem.pending_survey_until.set(expires_at),
            ]
        )
    return issue_token("acme", case_id, nonce, expires_at, SECRET.encode())


def stored_survey(case_id: str) -> Survey:
    from omnicase.persistence.survey_store import DynamoSurveyStore

    survey = DynamoSurveyStore().get("acme", case_id)
    assert survey is not None
    return survey


def get_page(page, token: str, query: str = "") -> Any:
    return call(page, "GET", f"/surveys/{token}{query}")


def post_page(page, token: str, **form: str) -> Any:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return call(page, "POST", f"/surveys/{token}", headers=headers, body=urlencode(form).encode())


def events(stack, case_id: str) -> list[str]:
    response = call(
        stack.handler("api"), "GET", f"/cases/{case_id}/events", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    return [e["kind"] for e in response.json_body["events"]]


def text(response: Any) -> str:
    body = response.body
    return body.decode() if isinstance(body, bytes) else body


def test_the_link_shows_the_form_and_a_low_score_is_recorded_once_with_a_callback_case(stack, page):
    case_id = texted_case(stack)
    token = sent_survey(case_id)

    shown = get_page(page, token, "?score=1")  # a prefetched link: shows, pre-selects, records nothing
    assert shown.status_code == 200 and '<html lang="zh"' in text(shown) and "checked" in text(shown)
    assert shown.headers["Content-Type"] == "text/html; charset=utf-8"
    assert shown.headers["Cache-Control"] == "no-store" and shown.headers["X-Frame-Options"] == "DENY"
    csp = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
    assert shown.headers["Content-Security-Policy"] == csp
    assert stored_survey(case_id).status == SurveyStatus.SENT

    before = datetime.now(UTC).replace(microsecond=0)
    answered = post_page(page, token, score="1", comment="  没人理我  ")
    assert answered.status_code == 200 and "感谢" in text(answered)

    survey = stored_survey(case_id)
    assert (survey.status, survey.score, survey.comment) == (SurveyStatus.ANSWERED, 1, "没人理我")
    callback = case(stack, survey.callback_case_id or "")["case"]
    assert callback["tags"] == ["callback"] and callback["priority"] == "high" and callback["queue"] == "callbacks"
    assert callback["follow_up_of"] == case_id and callback["contact_address"] == PHONE
    first = next(d for d in callback["service"]["deadlines"] if d["clock"] == "first_response")
    started = datetime.fromisoformat(first["started_at"])
    assert started >= before and datetime.fromisoformat(first["due_at"]) == started + timedelta(days=3)
    assert "callback_opened" in events(stack, survey.callback_case_id or "")
    assert {"survey_answered", "callback_opened"} <= set(events(stack, case_id))

    again = post_page(page, token, score="5")
    assert again.status_code == 409 and "您已经评价过了" in text(again)  # in the survey's language
    assert stored_survey(case_id).score == 1 and len(cases(stack)) == 2  # the original and its one callback
    assert get_page(page, token).status_code == 409


def test_a_good_score_is_recorded_without_a_callback_and_counted_for_the_report(stack, page):
    from omnicase.persistence.survey_answers import DynamoSurveyAnswers

    case_id = texted_case(stack)
    start = datetime.now(UTC) - timedelta(minutes=1)
    assert post_page(page, sent_survey(case_id), score="5").status_code == 200
    assert stored_survey(case_id).callback_case_id is None and len(cases(stack)) == 1
    assert [
        a.score for a in DynamoSurveyAnswers().between("acme", start, datetime.now(UTC) + timedelta(minutes=1))
    ] == [5]
    assert DynamoSurveyAnswers().between("acme", start - timedelta(days=1), start) == []
    assert DynamoSurveyAnswers().between("globex", start, datetime.now(UTC) + timedelta(minutes=1)) == []


def test_a_missing_score_shows_the_form_again_and_records_nothing(stack, page):
    case_id = texted_case(stack)
    token = sent_survey(case_id)
    response = post_page(page, token, comment="forgot the score")
    assert response.status_code == 400 and 'aria-describedby="score-error"' in text(response)
    assert "forgot the score" in text(response) and stored_survey(case_id).status == SurveyStatus.SENT


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # changed signature
        lambda token: "not-a-token",
        lambda token: token.replace("acme", "globex", 1),  # another tenant's name on it
    ],
)
def test_forged_tokens_get_the_not_valid_page_and_nothing_is_recorded(stack, page, forge):
    case_id = texted_case(stack)
    token = sent_survey(case_id)
    for response in (get_page(page, forge(token)), post_page(page, forge(token), score="1")):
        assert response.status_code == 400 and "This survey link is not valid" in text(response)
    assert stored_survey(case_id).status == SurveyStatus.SENT and len(cases(stack)) == 1


def test_a_token_signed_with_another_secret_or_for_an_older_survey_is_not_valid(stack, page):
    case_id = texted_case(stack)
    sent_survey(case_id, nonce="current")
    expires = datetime.now(UTC) + timedelta(days=1)
    other_secret = issue_token("acme", case_id, "current", expires, b"someone-else")
    older = issue_token("acme", case_id, "previous", expires, SECRET.encode())
    for token in (other_secret, older):
        assert post_page(page, token, score="1").status_code == 400
    assert stored_survey(case_id).status == SurveyStatus.SENT


def test_an_expired_token_gets_the_expired_page_and_nothing_is_recorded(stack, page):
    case_id = texted_case(stack)
    token = sent_survey(case_id, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    for response in (get_page(page, token), post_page(page, token, score="1")):
        assert response.status_code == 410 and "This survey has expired" in text(response)
    assert stored_survey(case_id).status == SurveyStatus.SENT and len(cases(stack)) == 1


def test_a_texted_digit_answers_the_pending_survey_once_and_is_no_case_message(stack, page):
    case_id = texted_case(stack)
    sent_survey(case_id)
    drain()  # the acknowledgement's delivery status settles first (the outbox runs on its own thread)
    messages_before = case(stack, case_id)["messages"]

    for _ in range(2):  # Twilio redelivers
        response = twilio_post(stack, twilio_fields("1 still waiting", "SM" + "2" * 32))
        assert response.status_code == 200

    survey = stored_survey(case_id)
    assert (survey.status, survey.score, survey.comment) == (SurveyStatus.ANSWERED, 1, "still waiting")
    assert case(stack, case_id)["messages"] == messages_before  # no new case message
    assert len(cases(stack)) == 2  # the original and one callback case, not two
    assert events(stack, case_id).count("survey_answered") == 1

    # No survey pending any more: a message again, on the callback case the low score opened (test_callback_threads)
    twilio_post(stack, twilio_fields("2", "SM" + "3" * 32))
    callback = stored_survey(case_id).callback_case_id or ""
    inbound = [m["body_text"] for m in case(stack, callback)["messages"] if m["direction"] == "inbound"]
    assert inbound == ["2"] and stored_survey(case_id).score == 1


def test_a_text_that_is_not_a_digit_stays_a_case_message_while_a_survey_is_pending(stack, page):
    case_id = texted_case(stack)
    sent_survey(case_id)
    twilio_post(stack, twilio_fields("12 boxes missing", "SM" + "4" * 32))
    inbound = [m["body_text"] for m in case(stack, case_id)["messages"] if m["direction"] == "inbound"]
    assert inbound[-1] == "12 boxes missing" and stored_survey(case_id).status == SurveyStatus.SENT
