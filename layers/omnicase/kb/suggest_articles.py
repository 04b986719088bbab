"""The acknowledgement's articles: the tenant's public articles relevant enough to a new case's text, with links.

The domain's ArticleSuggester port on the knowledge base. A suggestion is never worth a lost acknowledgement: any
failure (no index, a secret missing, the table slow) is logged and answers no articles.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from omnicase.domain.channel_traits import traits_of
from omnicase.domain.model import Case
from omnicase.domain.self_service import SuggestedArticle
from omnicase.domain.tenant_config import KbPolicy
from omnicase.kb import links
from omnicase.kb.knowledge_base import KnowledgeBase
from omnicase.kb.search import case_query_text

logger = logging.getLogger(__name__)


class KbArticleSuggester:
    def __init__(
        self,
        knowledge_base: KnowledgeBase,
        base_url: str | None,
        secret: Callable[[str], bytes],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._kb = knowledge_base
        self._base_url = base_url
        self._secret = secret
        self._clock = clock

    def suggest(self, case: Case, text: str, policy: KbPolicy) -> list[SuggestedArticle]:
        """Up to policy.acknowledgement_articles public articles whose relevance reaches the threshold."""
        if not self._base_url or policy.acknowledgement_articles <= 0:
            return []
        try:
            return self._suggest(case, text, policy, self._base_url)
        except Exception:
            logger.exception("no articles for the acknowledgement of %s", case.case_id)
            return []

    def _suggest(self, case: Case, text: str, policy: KbPolicy, base: str) -> list[SuggestedArticle]:
        index = self._kb.index(case.tenant_id)
        if index is None or not index.articles:  # nothing to find: spare the text's analysis (~1 ms a mail)
            return []
        query = case_query_text(None, text)
        result = self._kb.search(case.tenant_id, query, public_only=True, limit=policy.acknowledgement_articles)
        hits = [hit for hit in result.hits if hit.relevance >= policy.suggest_threshold]
        if not hits:
            return []
        # Short-link channels carry no "answered" link (the customer replies "solved"): no secret to read for them.
        secret = None if traits_of(case.channel).short_links else self._secret(case.tenant_id)
        now = self._clock()
        suggestions = []
        for hit in hits:
            article = hit.article
            answered = None
            if secret is not None:
                token = links.answered_token(case.tenant_id, case.case_id, article.article_id, now, secret)
                answered = links.answered_url(base, token)
            suggestions.append(
                SuggestedArticle(
                    article.article_id,
                    article.title,
                    links.article_url(base, case.tenant_id, article.article_id, article.language),
                    links.short_url(base, case.tenant_id, article.article_id),
                    answered,
                )
            )
        return suggestions
