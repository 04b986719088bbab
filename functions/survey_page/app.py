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
from omnicase.surveys.link_page import Page, record_answer, show_form
from omnicase.surveys.page import error_page
from omnicase.wiring import survey_answering

app = edge_app("omnicase-survey-page")  # every request passes the edge's guards (omnicase.api.edge)
app.register_blueprint(help_routes)  # the help centre's public pages (omnicase.api.help_routes)
app.register_blueprint(answered_routes)  # "this answered my question" links (omnicase.api.answered_routes)
logger = logging.getLogger(__name__)

# no-referrer (in the shared headers) matters here: the token is in the URL.
HEADERS = {**HTML_SECURITY_HEADERS, "Cache-Control": "no-store"}
MAX_FORM_BYTES = 16_384


@app.route("/surveys/{token}", methods=["GET"])
def survey_form(token: str) -> Response:
    score = (app.current_request.query_params or {}).get("score")
    return _html(lambda: show_form(survey_answering(), token, score, _visitor(), datetime.now(UTC)))


@app.route("/surveys/{token}", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
def survey_answer(token: str) -> Response:
    raw = app.current_request.raw_body or b""
    form = parse_qs(raw[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)
    score, comment = form.get("score", [""])[0], form.get("comment", [""])[0]
    return _html(lambda: record_answer(survey_answering(), token, score, comment, _visitor(), datetime.now(UTC)))


def _html(render: Callable[[], Page]) -> Response:
    try:
        page = render()
    except Exception:  # the visitor sees a page saying it is our fault, never a trace
        logger.exception("survey page failed")
        page = Page(500, error_page(_visitor(), "unavailable"))
    return Response(body=page.html, status_code=page.status, headers=dict(HEADERS))


def _visitor() -> str:
    """The browser's languages: the pages shown before (or without) a survey speak them."""
    return (app.current_request.headers or {}).get("accept-language", "")
