"""The page's flow: token → survey → answer recorded once; a survey that only changed meanwhile is answered."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Channel
from omnicase.domain.ports import DefaultConfigs
from omnicase.domain.survey import Survey, SurveyStatus
from omnicase.domain.survey_answer import SurveyRefused
from omnicase.domain.survey_token import issue_token
from omnicase.secrets import MissingSecret
from omnicase.surveys.answering import SurveyAnswering

NOW = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
SURVEY = Survey("acme", "0AB12CDE34", Channel.SMS, "+86138", SurveyStatus.SENT, None, "n1", language="zh",
                expires_at=NOW + timedelta(days=14), version=1)  # fmt: skip


class Secrets:
    def get(self, tenant_id: str, name: str) -> str:
        if tenant_id != "acme":
            raise MissingSecret(tenant_id)
        return "s3cret"


class Surveys:
    def __init__(self, *versions: Survey) -> None:
        self.versions = list(versions)  # each get() returns the next stored version (the last one stays)

    def get(self, tenant_id: str, case_id: str) -> Survey | None:
        return self.versions.pop(0) if len(self.versions) > 1 else self.versions[0]


class Recorder:
    def __init__(self, lost_races: int = 0) -> None:
        self.lost_races = lost_races
        self.recorded: list[Survey] = []

    def record_answer(self, survey, original_case_events, callback) -> None:
        if self.lost_races:
            self.lost_races -= 1
            raise ConcurrentUpdate("survey changed")
        self.recorded.append(survey)


class NoCases:
    def get(self, tenant_id: str, case_id: str) -> None:
        return None


def answering(surveys: Surveys, recorder: Recorder) -> SurveyAnswering:
    return SurveyAnswering(surveys, NoCases(), DefaultConfigs(), Secrets(), recorder)


def token(tenant: str = "acme", nonce: str = "n1", expires: datetime = NOW + timedelta(days=14)) -> str:
    return issue_token(tenant, "0AB12CDE34", nonce, expires, b"s3cret")


def test_a_valid_token_opens_its_survey_and_the_answer_is_recorded():
    recorder = Recorder()
    flow = answering(Surveys(SURVEY), recorder)
    survey = flow.open(token(), NOW)
    assert flow.record(survey, 5, "好", NOW).status == SurveyStatus.ANSWERED
    assert [s.score for s in recorder.recorded] == [5]


def test_a_survey_reminded_meanwhile_is_read_again_and_answered():
    recorder = Recorder(lost_races=1)
    reminded = replace(SURVEY, status=SurveyStatus.REMINDED, version=2)
    flow = answering(Surveys(SURVEY, reminded), recorder)
    flow.record(flow.open(token(), NOW), 4, "", NOW)
    assert [(s.score, s.version) for s in recorder.recorded] == [(4, 2)]


def test_a_survey_answered_meanwhile_is_used():
    answered = replace(SURVEY, status=SurveyStatus.ANSWERED, score=2, version=2)
    flow = answering(Surveys(SURVEY, answered), Recorder(lost_races=1))
    with pytest.raises(SurveyRefused) as refused:
        flow.record(flow.open(token(), NOW), 4, "", NOW)
    assert (refused.value.reason, refused.value.language) == ("used", "zh")


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        (token(expires=NOW), "expired"),
        (token(nonce="older"), "invalid"),
        (token(tenant="initech"), "invalid"),  # a tenant without a survey secret
        (token()[:-1] + ("A" if token()[-1] != "A" else "B"), "invalid"),
        ("../../etc/passwd", "invalid"),
    ],
)
def test_links_that_take_no_answer_say_why(link, reason):
    with pytest.raises(SurveyRefused) as refused:
        answering(Surveys(SURVEY), Recorder()).open(link, NOW)
    assert refused.value.reason == reason
