"""A survey answer: scores 1..5, comments trimmed, single use, expiry, and the callback a low score opens."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from omnicase.domain.model import Case, CaseService, CaseStatus, Channel
from omnicase.domain.survey import Survey, SurveyStatus
from omnicase.domain.survey_answer import (
    InvalidAnswer,
    SurveyRefused,
    answer_survey,
    answered_events,
    check_open,
    parse_reply,
    parse_score,
)
from omnicase.domain.tenant_config import SurveyPolicy, TenantConfig
from tests.unit.domain.builders import T0

NOW = T0 + timedelta(days=2)
CONFIG = TenantConfig("acme")


def survey(status: SurveyStatus = SurveyStatus.SENT, **fields: object) -> Survey:
    values: dict[str, object] = {
        "tenant_id": "acme",
        "case_id": "0AB12CDE34",
        "channel": Channel.SMS,
        "contact": "+8613800138000",
        "status": status,
        "due_at": NOW + timedelta(days=1),
        "nonce": "n1",
        "expires_at": NOW + timedelta(days=10),
        "version": 2,
    }
    values.update(fields)
    return Survey(**values)  # type: ignore[arg-type]


def case(**service: object) -> Case:
    return Case(
        "acme",
        "0AB12CDE34",
        Channel.SMS,
        "Parcel lost",
        status=CaseStatus.SOLVED,
        assignee="li.na",
        service=CaseService(**service),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("score", [1, 2])
def test_a_score_at_or_under_the_threshold_is_recorded_and_opens_a_callback(score):
    answered, callback = answer_survey(survey(), score, "  slow  ", NOW, CONFIG, case())

    assert answered.status == SurveyStatus.ANSWERED and answered.score == score and answered.comment == "slow"
    assert answered.answered_at == NOW and answered.due_at is None
    assert callback is not None and answered.callback_case_id == callback[0].case_id
    assert callback[0].follow_up_of == "0AB12CDE34"


@pytest.mark.parametrize("score", [3, 4, 5])
def test_a_higher_score_opens_no_callback(score):
    answered, callback = answer_survey(survey(), score, "", NOW, CONFIG, case())
    assert answered.score == score and callback is None and answered.callback_case_id is None


def test_the_tenant_threshold_decides():
    strict = TenantConfig("acme", surveys=SurveyPolicy(low_score=3))
    assert answer_survey(survey(), 3, "", NOW, strict, case())[1] is not None


def test_a_case_that_already_has_a_callback_gets_no_second_one():
    assert answer_survey(survey(), 1, "", NOW, CONFIG, case(links=("callback:0AB12CDE99",)))[1] is None


def test_a_reminded_survey_still_takes_its_answer():
    answered, _ = answer_survey(survey(SurveyStatus.REMINDED), 4, "", NOW, CONFIG, case())
    assert answered.status == SurveyStatus.ANSWERED


def test_the_comment_is_trimmed_to_2000_characters():
    answered, _ = answer_survey(survey(), 5, " " + "好" * 2500, NOW, CONFIG, case())
    assert answered.comment == "好" * 2000


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (survey(SurveyStatus.ANSWERED, score=4), "used"),
        (survey(SurveyStatus.EXPIRED), "expired"),
        (survey(expires_at=NOW), "expired"),
        (survey(SurveyStatus.SKIPPED), "invalid"),
    ],
)
def test_a_survey_that_takes_no_answer_is_refused_with_its_reason(given, reason):
    with pytest.raises(SurveyRefused) as refused:
        answer_survey(given, 1, "", NOW, CONFIG, case())
    assert refused.value.reason == reason


def test_a_token_of_another_survey_nonce_is_refused_as_invalid():
    with pytest.raises(SurveyRefused) as refused:
        check_open(survey(), NOW, nonce="older")
    assert refused.value.reason == "invalid"
    check_open(survey(), NOW, nonce="n1")  # its own nonce: open


@pytest.mark.parametrize("score", [0, 6, -1, True])
def test_scores_outside_one_to_five_are_refused(score):
    with pytest.raises(InvalidAnswer):
        answer_survey(survey(), score, "", NOW, CONFIG, case())


@pytest.mark.parametrize(("text", "score"), [("1", 1), (" 5 ", 5), ("３", 3)])
def test_posted_scores_parse(text, score):
    assert parse_score(text) == score


@pytest.mark.parametrize("text", ["", None, "0", "6", "12", "x", "1.0"])
def test_posted_non_scores_are_refused(text):
    with pytest.raises(InvalidAnswer):
        parse_score(text)


@pytest.mark.parametrize(
    ("body", "parsed"),
    [
        ("1", (1, "")),
        (" 5\n", (5, "")),
        ("２", (2, "")),
        ("4 quick and kind", (4, "quick and kind")),
        ("３　服务很好", (3, "服务很好")),
    ],
)
def test_a_text_reply_of_a_digit_with_an_optional_comment_is_an_answer(body, parsed):
    assert parse_reply(body) == parsed


@pytest.mark.parametrize("body", ["", "0", "6", "12", "1分", "1st", "my order 123", "十", "٣"])
def test_other_texts_are_no_answer(body):
    assert parse_reply(body) is None


def test_the_answer_is_written_to_the_original_case_trail():
    answered, _ = answer_survey(replace(survey()), 2, "meh", NOW, CONFIG, case())
    (event,) = answered_events(answered)
    assert (event.case_id, event.kind, event.detail) == (
        "0AB12CDE34",
        "survey_answered",
        {"score": 2, "commented": True},
    )
