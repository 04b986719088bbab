"""Answering a survey through its link: check the token, find the survey, record the answer once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from omnicase.channels.unicode_text import clean_text
from omnicase.domain.case_events import CaseEvent
from omnicase.domain.errors import ConcurrentUpdate
from omnicase.domain.model import Case
from omnicase.domain.ports import TenantConfigs
from omnicase.domain.survey import Survey
from omnicase.domain.survey_answer import SurveyRefused, answer_survey, answered_events, check_open
from omnicase.domain.survey_token import InvalidSurveyToken, read_token, token_tenant

SECRET_NAME = "survey_token_secret"  # key of the tenant secret (env SURVEY_TOKEN_SECRET locally)
MAX_ATTEMPTS = 3


class Surveys(Protocol):
    def get(self, tenant_id: str, case_id: str) -> Survey | None: ...


class Cases(Protocol):
    def get(self, tenant_id: str, case_id: str) -> Case | None: ...


class Secrets(Protocol):
    def get(self, tenant_id: str, name: str) -> str: ...


class AnswerRecorder(Protocol):
    def record_answer(
        self, survey: Survey, original_case_events: list[CaseEvent], callback: tuple[Case, list[CaseEvent]] | None
    ) -> None:
        """All or nothing; ConcurrentUpdate when the survey was answered meanwhile."""
        ...


@dataclass
class SurveyAnswering:
    surveys: Surveys
    cases: Cases
    configs: TenantConfigs
    secrets: Secrets
    answers: AnswerRecorder

    def open(self, token: str, now: datetime) -> Survey:
        """The survey the token is for, if it still takes an answer; SurveyRefused (invalid / expired / used)."""
        try:
            tenant_id = token_tenant(token)
            claims = read_token(token, self._secret(tenant_id), now)
        except InvalidSurveyToken as error:
            raise SurveyRefused("expired" if error.reason == "expired" else "invalid", str(error)) from error
        survey = self.surveys.get(claims.tenant_id, claims.case_id)
        if survey is None:
            raise SurveyRefused("invalid", "no survey for this token")
        check_open(survey, now, claims.nonce)
        return survey

    def record(self, survey: Survey, score: int, comment: str, now: datetime) -> Survey:
        """Record the answer (and the callback a low score opens) once; SurveyRefused("used") when it was answered
        meanwhile. A survey that only changed meanwhile (the reminder went out) is read again and answered."""
        config = self.configs.config_for(survey.tenant_id)
        case = self.cases.get(survey.tenant_id, survey.case_id)
        comment = clean_text(comment)  # the page's form, as every channel's text (a text reply is cleaned at intake)
        for _ in range(MAX_ATTEMPTS):
            answered, callback = answer_survey(survey, score, comment, now, config, case)
            try:
                self.answers.record_answer(answered, answered_events(answered), callback)
                return answered
            except ConcurrentUpdate:
                fresh = self.surveys.get(survey.tenant_id, survey.case_id)
                if fresh is None:
                    raise SurveyRefused("invalid", "the survey is gone", survey.language) from None
                check_open(fresh, now, survey.nonce)
                survey = fresh
        raise ConcurrentUpdate(f"answer to the survey of {survey.case_id} lost {MAX_ATTEMPTS} races")

    def _secret(self, tenant_id: str) -> bytes:
        from omnicase.secrets import MissingSecret

        try:
            return self.secrets.get(tenant_id, SECRET_NAME).encode()
        except MissingSecret as error:
            raise InvalidSurveyToken("bad-signature") from error
