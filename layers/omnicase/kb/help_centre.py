"""The help centre's pages for one tenant: public articles only, each page with its HTTP status."""

from __future__ import annotations

from typing import Any

from omnicase.domain.errors import NotFound, TooLong
from omnicase.kb import help_pages
from omnicase.kb.links import short_code
from omnicase.kb.search import QueryTooLong

MAX_LISTED = 500  # the index page lists at most this many; beyond, customers search


class HelpCentre:
    def __init__(self, knowledge_base: Any, tenants: Any) -> None:
        self._kb = knowledge_base
        self._tenants = tenants

    def index(self, tenant_id: str, lang: str, query: str = "") -> tuple[int, str]:
        """The article list in `lang` (every language when it has none), or the search results for `query`."""
        if not self._known(tenant_id):
            return 404, help_pages.missing_page(tenant_id, lang)
        query = query.strip()
        if query:
            try:
                result = self._kb.search(tenant_id, query, public_only=True, limit=10)
            except QueryTooLong:
                return 400, help_pages.index_page(tenant_id, lang, [], query[:100], note="too-long")
            return 200, help_pages.index_page(tenant_id, lang, [h.article for h in result.hits], query)
        index = self._kb.index(tenant_id)
        public = [a for a in (index.articles if index else []) if a.public]
        listed = [a for a in public if a.language == lang] or public
        return 200, help_pages.index_page(tenant_id, lang, sorted(listed, key=lambda a: a.title)[:MAX_LISTED])

    def article(self, tenant_id: str, lang: str, article_id: str) -> tuple[int, str]:
        """One public article; internal, missing and other tenants' articles are the same 404."""
        if not self._known(tenant_id):
            return 404, help_pages.missing_page(tenant_id, lang)
        try:
            stored = self._kb.get(tenant_id, article_id.lower())
        except (NotFound, TooLong):
            return 404, help_pages.missing_page(tenant_id, lang)
        article = stored.article
        if not article.public:
            return 404, help_pages.missing_page(tenant_id, lang)
        return 200, help_pages.article_page(tenant_id, article.language, article.title, article.body)

    def short_link(self, tenant_id: str, lang: str, code: str) -> tuple[int, str]:
        """The public article a short link (SMS, WeChat) names; anything else is the same 404 as a missing one."""
        index = self._kb.index(tenant_id) if self._known(tenant_id) else None
        public = (a for a in (index.articles if index else []) if a.public)
        found = next((a.article_id for a in public if short_code(a.article_id) == code.lower()), None)
        if found is None:
            return 404, help_pages.missing_page(tenant_id, lang)
        return self.article(tenant_id, lang, found)

    def _known(self, tenant_id: str) -> bool:
        try:
            return self._tenants.tenant(tenant_id) is not None
        except TooLong:
            return False
