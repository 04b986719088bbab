"""The page a survey link opens: GET shows the form, POST records the answer; a link that takes no answer (forged,
expired, used) shows why, in the survey's language or else the visitor's.

Showing the form records nothing, not even with ?score=N (mail scanners prefetch links): the score only pre-selects.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from omnicase.domain.survey_answer import InvalidAnswer, SurveyRefused, parse_score
from omnicase.surveys.page import error_page, form_page, thanks_page

if TYPE_CHECKING:
    from omnicase.surveys.answering import SurveyAnswering  # built on the first request (wiring), not at import

logger = logging.getLogger(__name__)
REFUSED_STATUS = {"invalid": 400, "expired": 410, "used": 409}


@dataclass(frozen=True)
class Page:
    status: int
    html: str


def show_form(answering: SurveyAnswering, token: str, score: str | None, visitor: str, now: datetime) -> Page:
    """The form, `score` pre-selected when it is one; `visitor` is the browser's Accept-Language."""
    try:
        survey = answering.open(token, now)
    except SurveyRefused as refused:
        return _refused(refused, visitor)
    return Page(200, form_page(survey.language, survey.case_id, _selected(score)))


def record_answer(
    answering: SurveyAnswering, token: str, score: str, comment: str, visitor: str, now: datetime
) -> Page:
    """Thanks once the answer is recorded; the form again (400) without a score, the comment kept."""
    try:
        survey = answering.open(token, now)
        try:
            chosen = parse_score(score)
        except InvalidAnswer:
            return Page(400, form_page(survey.language, survey.case_id, None, comment, error=True))
        answered = answering.record(survey, chosen, comment, now)
    except SurveyRefused as refused:
        return _refused(refused, visitor)
    return Page(200, thanks_page(answered.language))


def _selected(score: str | None) -> int | None:
    try:
        return parse_score(score) if score else None
    except InvalidAnswer:
        return None


def _refused(refused: SurveyRefused, visitor: str) -> Page:
    logger.info("survey link refused: %s (%s)", refused.reason, refused)
    return Page(REFUSED_STATUS.get(refused.reason, 400), error_page(refused.language or visitor, refused.reason))
