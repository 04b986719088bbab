"""The survey page customers open from a survey link: GET shows the form, POST records the answer (a Chalice app).

A GET never records anything, not even with ?score=N (mail scanners prefetch links): it only pre-selects the score.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs

from chalice import Response

from omnicase.api.answered_routes import answered_routes
from omnicase.api.edge import edge_app
from omnicase.api.help_routes import help_routes
from omnicase.api.html_headers import HTML_SECURITY_HEADERS
from omnicase.domain.survey_answer import InvalidAnswer, SurveyRefused, parse_score
from omnicase.surveys.page import error_page, form_page, thanks_page
from omnicase.wiring import survey_answering

app = edge_app("omnicase-survey-page")  # every request passes the edge's guards (omnicase.api.edge)
app.register_blueprint(help_routes)  # the help centre's public pages (omnicase.api.help_routes)
app.register_blueprint(answered_routes)  # "this answered my question" links (omnicase.api.answered_routes)
logger = logging.getLogger(__name__)

# no-referrer (in the shared headers) matters here: the token is in the URL.
HEADERS = {**HTML_SECURITY_HEADERS, "Cache-Control": "no-store"}
REFUSED_STATUS = {"invalid": 400, "expired": 410, "used": 409}
MAX_FORM_BYTES = 16_384


@app.route("/surveys/{token}", methods=["GET"])
def survey_form(token: str) -> Response:
    query = app.current_request.query_params or {}
    return _page(lambda: _form(token, query.get("score")))


@app.route("/surveys/{token}", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
def survey_answer(token: str) -> Response:
    raw = app.current_request.raw_body or b""
    form = parse_qs(raw[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)
    return _page(lambda: _answer(token, form.get("score", [""])[0], form.get("comment", [""])[0]))


def _form(token: str, score: str | None) -> Response:
    survey = survey_answering().open(token, datetime.now(UTC))
    try:
        selected = parse_score(score) if score else None
    except InvalidAnswer:
        selected = None
    return _html(200, form_page(survey.language, survey.case_id, selected))


def _answer(token: str, score_text: str, comment: str) -> Response:
    answering = survey_answering()
    now = datetime.now(UTC)
    survey = answering.open(token, now)
    try:
        score = parse_score(score_text)
    except InvalidAnswer:
        return _html(400, form_page(survey.language, survey.case_id, None, comment, error=True))
    answered = answering.record(survey, score, comment, now)
    return _html(200, thanks_page(answered.language))


def _page(render: Callable[[], Response]) -> Response:
    try:
        return render()
    except SurveyRefused as refused:
        logger.info("survey link refused: %s (%s)", refused.reason, refused)
        page = error_page(refused.language or _language(), refused.reason)
        return _html(REFUSED_STATUS.get(refused.reason, 400), page)
    except Exception:
        logger.exception("survey page failed")
        return _html(500, error_page(_language(), "unavailable"))


def _language() -> str:
    """The visitor's language for pages shown before (or without) a survey: their browser's."""
    accepted = (app.current_request.headers or {}).get("accept-language", "")
    return "zh" if accepted.lower().startswith("zh") else "en"


def _html(status: int, body: str) -> Response:
    return Response(body=body, status_code=status, headers=dict(HEADERS))
