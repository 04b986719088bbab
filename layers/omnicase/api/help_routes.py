"""The help centre's routes: a tenant's public articles as plain HTML pages, cacheable, no JavaScript.

A Chalice blueprint served by the public pages' function (functions/survey_page): like the survey page it needs
no token, reads with GetItem only and answers HTML with the same security headers.
"""

from __future__ import annotations

import hashlib
import logging

from chalice import Blueprint, Response

from omnicase.api.html_headers import HTML_SECURITY_HEADERS
from omnicase.kb.help_pages import language_of, missing_page
from omnicase.wiring import help_centre

help_routes = Blueprint(__name__)
logger = logging.getLogger(__name__)
CACHE_SECONDS = 300  # an edited article reaches browsers and CDNs within five minutes


@help_routes.route("/help/{tenant_id}", methods=["GET"])
def help_index(tenant_id: str) -> Response:
    query = help_routes.current_request.query_params or {}
    lang = _language(query.get("lang"))
    return _page(lambda: help_centre().index(tenant_id, lang, query.get("q", "")), lang)


@help_routes.route("/help/{tenant_id}/{article_id}", methods=["GET"])
def help_article(tenant_id: str, article_id: str) -> Response:
    lang = _language((help_routes.current_request.query_params or {}).get("lang"))
    return _page(lambda: help_centre().article(tenant_id, lang, article_id), lang)


@help_routes.route("/help/{tenant_id}/a/{code}", methods=["GET"])
def help_short_link(tenant_id: str, code: str) -> Response:
    """A short link from an SMS or WeChat acknowledgement: the article's page itself (no redirect to follow)."""
    lang = _language((help_routes.current_request.query_params or {}).get("lang"))
    return _page(lambda: help_centre().short_link(tenant_id, lang, code), lang)


def _page(render, lang: str) -> Response:  # noqa: ANN001 - a zero-argument callable answering (status, html)
    try:
        status, body = render()
    except Exception:
        logger.exception("help centre page failed")
        return Response(body=missing_page("", lang), status_code=503, headers={**HTML_SECURITY_HEADERS})
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    headers = {**HTML_SECURITY_HEADERS, "ETag": etag, "Vary": "Accept-Language"}
    headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}" if status == 200 else "no-store"
    if status == 200 and etag in (help_routes.current_request.headers or {}).get("if-none-match", ""):
        return Response(body="", status_code=304, headers=headers)
    return Response(body=body, status_code=status, headers=headers)


def _language(asked: str | None) -> str:
    return language_of((help_routes.current_request.headers or {}).get("accept-language"), asked)
