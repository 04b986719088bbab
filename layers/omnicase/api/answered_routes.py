"""The "this answered my question" link's routes (a Chalice blueprint the public pages' function registers).

GET shows a confirmation and changes nothing (mail scanners prefetch links); POST solves the case as self-served.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from chalice import Blueprint, Response

from omnicase.api.html_headers import HTML_SECURITY_HEADERS
from omnicase.domain.survey_answer import SurveyRefused
from omnicase.kb.answered_pages import confirm_page, refused_page, thanks_page

answered_routes = Blueprint(__name__)
logger = logging.getLogger(__name__)
HEADERS = {**HTML_SECURITY_HEADERS, "Cache-Control": "no-store"}  # no-referrer matters: the token is in the URL
REFUSED_STATUS = {"invalid": 400, "expired": 410, "used": 409}


@answered_routes.route("/answered/{token}", methods=["GET"])
def answered_form(token: str) -> Response:
    def render() -> Response:
        from omnicase.wiring import answered_links

        link = answered_links().open(token, datetime.now(UTC))
        return _html(200, confirm_page(link.language, link.case.case_id, _title(link)))

    return _page(render)


@answered_routes.route("/answered/{token}", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
def answered_confirm(token: str) -> Response:
    def render() -> Response:
        from omnicase.wiring import answered_links

        link = answered_links().confirm(token, datetime.now(UTC))
        return _html(200, thanks_page(link.language, link.case.case_id))

    return _page(render)


def _title(link) -> str | None:  # noqa: ANN001 - an AnsweredLink
    from omnicase.wiring import knowledge_base

    try:
        return knowledge_base().get(link.claim.tenant_id, link.claim.article_id).article.title
    except Exception:  # the article was removed meanwhile: the page still works without its title
        return None


def _page(render: Callable[[], Response]) -> Response:
    try:
        return render()
    except SurveyRefused as refused:
        logger.info("answered link refused: %s", refused.reason)
        return _html(
            REFUSED_STATUS.get(refused.reason, 400), refused_page(refused.language or _language(), refused.reason)
        )
    except Exception:
        logger.exception("answered link failed")
        return _html(500, refused_page(_language(), "unavailable"))


def _language() -> str:
    accepted = (answered_routes.current_request.headers or {}).get("accept-language", "")
    return "zh" if accepted.lower().startswith("zh") else "en"


def _html(status: int, body: str) -> Response:
    return Response(body=body, status_code=status, headers=dict(HEADERS))
