"""The knowledge base's API routes (a Chalice blueprint the agent API registers): articles and agents' search.

Everyone of the tenant reads (agents see internal articles too); supervisors change articles.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from omnicase.api.auth import actor_of, principal_with_role, tenant_of_request
from omnicase.api.errors import http_errors
from omnicase.wiring import knowledge_base

kb_routes = Blueprint(__name__)


@kb_routes.route("/kb/articles", methods=["GET"])
@http_errors
def list_articles() -> dict[str, Any]:
    """Every article of the tenant (without bodies), by id."""
    tenant = tenant_of_request(kb_routes.current_request.headers)
    return {"articles": [article_view(s, body=False) for s in knowledge_base().list(tenant.tenant_id)]}


@kb_routes.route("/kb/articles/{article_id}", methods=["GET"])
@http_errors
def read_article(article_id: str) -> dict[str, Any]:
    tenant = tenant_of_request(kb_routes.current_request.headers)
    return article_view(knowledge_base().get(tenant.tenant_id, article_id.lower()))


@kb_routes.route("/kb/articles/{article_id}", methods=["PUT"])
@http_errors
def put_article(article_id: str) -> dict[str, Any]:
    """Create or replace {title, language, body, tags?, product?, visibility?, revision?} (revision: 409 if moved)."""
    request = kb_routes.current_request
    principal = principal_with_role(request.headers, "supervisor")
    body = request.json_body
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object: {title, language, body, tags, product, visibility}")
    stored = knowledge_base().put(principal.tenant.tenant_id, article_id.lower(), body, actor_of(request.headers))
    return article_view(stored)


@kb_routes.route("/kb/articles/{article_id}", methods=["DELETE"])
@http_errors
def delete_article(article_id: str) -> Response:
    """Remove the article (?revision=N: only if still at N); its history stays readable."""
    request = kb_routes.current_request
    principal = principal_with_role(request.headers, "supervisor")
    revision = (request.query_params or {}).get("revision")
    if revision is not None and not revision.isdigit():
        raise ValueError("revision: a whole number")
    knowledge_base().delete(
        principal.tenant.tenant_id, article_id.lower(), actor_of(request.headers), int(revision) if revision else None
    )
    return Response(status_code=204, body="")


@kb_routes.route("/kb/articles/{article_id}/revisions", methods=["GET"])
@http_errors
def read_revisions(article_id: str) -> dict[str, Any]:
    """Who changed the article when, and what it became (oldest first, deletions included)."""
    tenant = tenant_of_request(kb_routes.current_request.headers)
    revisions = knowledge_base().revisions(tenant.tenant_id, article_id.lower())
    return {"revisions": [{**article_view(r.stored), "action": r.action} for r in revisions]}


@kb_routes.route("/kb/search", methods=["GET"])
@http_errors
def search_articles() -> dict[str, Any]:
    """?q= (at most 2,000 characters), ?limit= (1-20): the tenant's articles, internal ones included."""
    request = kb_routes.current_request
    tenant = tenant_of_request(request.headers)
    params = request.query_params or {}
    limit = params.get("limit", "5")
    if not limit.isdigit() or not 1 <= int(limit) <= 20:
        raise ValueError("limit: a whole number from 1 to 20")
    result = knowledge_base().search(tenant.tenant_id, params.get("q", ""), public_only=False, limit=int(limit))
    return {
        "results": [
            {
                "id": h.article.article_id,
                "title": h.article.title,
                "language": h.article.language,
                "public": h.article.public,
                "score": h.score,
            }
            for h in result.hits
        ],
        "language": result.language,
        "note": result.note,
    }


@kb_routes.route("/cases/{case_id}/suggestions", methods=["GET"])
@http_errors
def read_case_suggestions(case_id: str) -> dict[str, Any]:
    """The articles (internal ones too) and canned replies that fit the case's latest text."""
    from omnicase.kb.case_suggestions import case_suggestions
    from omnicase.persistence.case_reader import get_case
    from omnicase.wiring import tenant_configs

    tenant = tenant_of_request(kb_routes.current_request.headers)
    case, thread = get_case(tenant.tenant_id, case_id.upper())
    return case_suggestions(case, thread, tenant_configs().config_for(tenant.tenant_id), knowledge_base())


@kb_routes.route("/canned-replies", methods=["GET"])
@http_errors
def list_canned_replies() -> dict[str, Any]:
    """The tenant's canned replies and the configuration version they belong to (for a conditional change)."""
    from omnicase.kb.canned_reply_admin import canned_reply_view
    from omnicase.wiring import canned_reply_admin

    tenant = tenant_of_request(kb_routes.current_request.headers)
    replies, version = canned_reply_admin().list(tenant.tenant_id)
    return {"canned_replies": [canned_reply_view(r) for r in replies], "version": version}


@kb_routes.route("/canned-replies/{reply_id}", methods=["GET"])
@http_errors
def read_canned_reply(reply_id: str) -> dict[str, Any]:
    from omnicase.kb.canned_reply_admin import canned_reply_view
    from omnicase.wiring import canned_reply_admin

    tenant = tenant_of_request(kb_routes.current_request.headers)
    reply, version = canned_reply_admin().get(tenant.tenant_id, reply_id.lower())
    return {**canned_reply_view(reply), "version": version}


@kb_routes.route("/canned-replies/{reply_id}", methods=["PUT"])
@http_errors
def put_canned_reply(reply_id: str) -> dict[str, Any]:
    """Create or replace {title, texts: {en, zh}, keywords?, set?: {status, priority, tags}, version?} (409: moved)."""
    from omnicase.kb.canned_reply_admin import canned_reply_view
    from omnicase.wiring import canned_reply_admin

    request = kb_routes.current_request
    principal = principal_with_role(request.headers, "supervisor")
    body = request.json_body
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object: {title, texts: {en, zh}, keywords, set}")
    reply, version = canned_reply_admin().put(principal.tenant.tenant_id, reply_id.lower(), body)
    return {**canned_reply_view(reply), "version": version}


@kb_routes.route("/canned-replies/{reply_id}", methods=["DELETE"])
@http_errors
def delete_canned_reply(reply_id: str) -> Response:
    """Remove it (?version=N: only if the configuration is still at N)."""
    from omnicase.wiring import canned_reply_admin

    request = kb_routes.current_request
    principal = principal_with_role(request.headers, "supervisor")
    version = (request.query_params or {}).get("version")
    if version is not None and not version.isdigit():
        raise ValueError("version: a whole number")
    canned_reply_admin().delete(principal.tenant.tenant_id, reply_id.lower(), int(version) if version else None)
    return Response(status_code=204, body="")


@kb_routes.route("/kb/report", methods=["GET"])
@http_errors
def read_kb_report() -> dict[str, Any]:
    """?from=&to= (local dates, to exclusive, ≤ 92 days; default the last 7): the self-service rate, the articles
    that solved most, and canned replies and article links by use."""
    from omnicase.kb.kb_report import kb_report

    request = kb_routes.current_request
    principal = principal_with_role(request.headers, "supervisor")
    return kb_report(principal.tenant.tenant_id, request.query_params or {})


def article_view(stored: Any, *, body: bool = True) -> dict[str, Any]:
    article = stored.article
    view = {
        "id": article.article_id,
        "title": article.title,
        "language": article.language,
        "tags": list(article.tags),
        "product": article.product,
        "visibility": article.visibility,
        "revision": stored.revision,
        "updated_by": stored.updated_by,
        "updated_at": stored.updated_at.isoformat(),
    }
    if body:
        view["body"] = article.body
    return view
