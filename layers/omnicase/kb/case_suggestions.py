"""What agents are offered for one case: the articles (internal ones too) and the canned replies that fit it."""

from __future__ import annotations

from typing import Any

from omnicase.domain.canned_replies import fitting_replies
from omnicase.domain.case_token import NO_SUBJECT
from omnicase.domain.model import Case, Direction, Message
from omnicase.domain.tenant_config import TenantConfig
from omnicase.kb.canned_reply_admin import canned_reply_view
from omnicase.kb.knowledge_base import KnowledgeBase
from omnicase.kb.search import case_query_text

MAX_ARTICLES = 5


def case_suggestions(
    case: Case, thread: list[Message], config: TenantConfig, knowledge_base: KnowledgeBase
) -> dict[str, Any]:
    """{"articles": best first, with score and relevance; "canned_replies": those that fit, in the case's language}."""
    latest = next((m for m in reversed(thread) if m.direction == Direction.INBOUND and m.body_text), None)
    subject = case.subject if case.subject != NO_SUBJECT else ""
    text = case_query_text(subject, latest.body_text if latest else case.first_line)
    result = knowledge_base.search(case.tenant_id, text, public_only=False, limit=MAX_ARTICLES)
    language = case.service.language or result.language
    articles = [
        {
            "id": hit.article.article_id,
            "title": hit.article.title,
            "language": hit.article.language,
            "public": hit.article.public,
            "score": hit.score,
            "relevance": hit.relevance,
        }
        for hit in result.hits
    ]
    replies = fitting_replies(config.canned_replies, f"{subject}\n{text}", language)
    return {
        "case_id": case.case_id,
        "articles": articles,
        "note": result.note,
        "canned_replies": [canned_reply_view(reply, language) for reply in replies],
        "offered_to_customer": list(case.service.suggested_articles),
        "self_served": case.service.self_served,
    }
