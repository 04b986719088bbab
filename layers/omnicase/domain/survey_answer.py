"""A customer's answer to a survey: the score, the comment, the callback a low score opens and the answer as
reports count it — pure."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import datetime

from omnicase.domain.callback_case import callback_case, has_callback
from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.model import Case
from omnicase.domain.survey import WAITING, Survey, SurveyStatus
from omnicase.domain.tenant_config import TenantConfig

SCORES = range(1, 6)
MAX_COMMENT = 2000
REPLY_MARKER = "survey-answer"  # the message id a text reply's redelivery marker names (no message is stored)


class SurveyRefused(Exception):
    """The survey takes no answer: "invalid" (forged, another survey's token), "expired" or "used"."""

    def __init__(self, reason: str, message: str = "", language: str | None = None) -> None:
        super().__init__(message or reason)
        self.reason = reason
        self.language = language  # the survey's, when the survey is known: the page speaks it


class InvalidAnswer(ValueError):
    """The answer itself is wrong (no score, a score outside 1..5): ask again."""


def parse_score(text: str | None) -> int:
    """A score typed or posted: "1".."5" (full-width digits too); InvalidAnswer otherwise."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if len(cleaned) != 1 or not cleaned.isdigit() or int(cleaned) not in SCORES:
        raise InvalidAnswer("choose a score from 1 to 5")
    return int(cleaned)


def check_open(survey: Survey, now: datetime, nonce: str | None = None) -> None:
    """SurveyRefused unless this survey (and, given a token's nonce, this token) still takes an answer."""
    language = survey.language
    if nonce is not None and nonce != survey.nonce:
        raise SurveyRefused("invalid", "the token belongs to another survey of this case", language)
    if survey.status == SurveyStatus.ANSWERED:
        raise SurveyRefused("used", "answered already", language)
    if survey.status == SurveyStatus.EXPIRED or (survey.expires_at is not None and survey.expires_at <= now):
        raise SurveyRefused("expired", "past its end", language)
    if survey.status not in WAITING:
        raise SurveyRefused("invalid", f"survey is {survey.status}", language)


def answer_survey(
    survey: Survey, score: int, comment: str, now: datetime, config: TenantConfig, case: Case | None
) -> tuple[Survey, tuple[Case, list[CaseEvent]] | None]:
    """The answered survey, and the callback case (with its events) a score at or under the threshold opens."""
    check_open(survey, now)
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        raise InvalidAnswer("choose a score from 1 to 5")
    callback = None
    if case is not None and score <= config.surveys.low_score and not has_callback(case):
        callback = callback_case(case, config, f"survey score {score}", now)
    answered = replace(
        survey,
        status=SurveyStatus.ANSWERED,
        score=score,
        comment=comment.strip()[:MAX_COMMENT],
        answered_at=now,
        due_at=None,
        callback_case_id=callback[0].case_id if callback else survey.callback_case_id,
    )
    return answered, callback


def answered_events(survey: Survey) -> list[CaseEvent]:
    """The original case's audit entry of the answer."""
    assert survey.answered_at is not None
    log = CaseEventLog(survey.tenant_id, survey.case_id, survey.answered_at)
    log.add("survey_answered", f"score {survey.score}", score=survey.score, commented=bool(survey.comment))
    return log.events


def parse_reply(body: str) -> tuple[int, str] | None:
    """A text reply that answers a survey: one digit 1–5 (ASCII or full-width), optionally a space and a comment."""
    text = body.strip()
    if not text:
        return None
    digit = unicodedata.normalize("NFKC", text[0])
    if not (digit.isascii() and digit.isdigit() and int(digit) in SCORES):
        return None
    rest = text[1:]
    if rest and not rest[0].isspace():  # "12", "1分", "1st": not a bare score
        return None
    return int(digit), rest.strip()
