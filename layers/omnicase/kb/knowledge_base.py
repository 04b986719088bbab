"""The knowledge-base service: change articles (API or sync), keep the tenant's index in step, search it.

The store is a port (persistence/kb_store.py implements it on DynamoDB); the index is cached per container and
re-read only when its generation moved, checked at most every `check_seconds`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from omnicase.domain.errors import ConcurrentUpdate, NotFound
from omnicase.kb.article import Article, build_article
from omnicase.kb.ranking import KbIndex
from omnicase.kb.search import SearchResult, search_index
from omnicase.kb.sync_plan import SyncPlan, plan_sync
from omnicase.kb.synonyms import Synonyms

logger = logging.getLogger(__name__)
PUBLISH_ATTEMPTS = 4


class KbStore(Protocol):
    def list_articles(self, tenant_id: str) -> list[Any]: ...
    def get_article(self, tenant_id: str, article_id: str) -> Any: ...
    def put_article(
        self, tenant_id: str, article: Article, actor: str, expected_revision: int | None, now: datetime
    ) -> Any: ...
    def delete_article(self, tenant_id: str, current: Any, actor: str, now: datetime) -> None: ...
    def revisions(self, tenant_id: str, article_id: str) -> list[Any]: ...
    def index_generation(self, tenant_id: str) -> int: ...
    def load_index(self, tenant_id: str) -> tuple[int, bytes] | None: ...
    def publish_index(self, tenant_id: str, data: bytes, after_generation: int, article_count: int) -> int: ...


class KnowledgeBase:
    def __init__(
        self,
        store: KbStore,
        synonyms_of: Callable[[str], Sequence[Sequence[str]]] = lambda tenant_id: (),
        *,
        check_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._synonyms_of = synonyms_of
        self._check_seconds = check_seconds
        self._clock = clock
        self._indexes: dict[str, tuple[float, int, KbIndex | None]] = {}

    # Changing articles

    def put(self, tenant_id: str, article_id: str, fields: dict[str, Any], actor: str) -> Any:
        """Create or replace one article from an API body; `revision` in the body makes it conditional (409)."""
        body = fields.get("body")
        if not isinstance(body, str):
            raise ValueError("body: the article's Markdown text is required")
        values = {name: fields.get(name) for name in ("title", "language", "tags", "product", "visibility")}
        article = build_article("", {**values, "id": article_id}, body)
        expected = fields.get("revision")
        if expected is None:
            expected = self._current_revision(tenant_id, article.article_id)
        elif not isinstance(expected, int) or isinstance(expected, bool) or expected < 1:
            raise ValueError("revision: the article's revision you changed (a whole number from 1)")
        stored = self._store.put_article(tenant_id, article, actor, expected, datetime.now(UTC))
        self.reindex(tenant_id)
        return stored

    def delete(self, tenant_id: str, article_id: str, actor: str, expected_revision: int | None = None) -> None:
        current = self._store.get_article(tenant_id, article_id)
        if expected_revision is not None and current.revision != expected_revision:
            raise ConcurrentUpdate(f"article {article_id} is at revision {current.revision}, not {expected_revision}")
        self._store.delete_article(tenant_id, current, actor, datetime.now(UTC))
        self.reindex(tenant_id)

    def sync(self, tenant_id: str, articles: list[Article], actor: str, *, dry_run: bool = False) -> SyncPlan:
        """Make the tenant's articles exactly `articles` (already checked); one index rebuild at the end."""
        stored = {s.article.article_id: s for s in self._store.list_articles(tenant_id)}
        plan = plan_sync(articles, {i: s.article.digest() for i, s in stored.items()})
        if dry_run or not plan.changes:
            return plan
        now = datetime.now(UTC)
        for article in plan.add:
            self._store.put_article(tenant_id, article, actor, None, now)
        for article in plan.update:
            self._store.put_article(tenant_id, article, actor, stored[article.article_id].revision, now)
        for article_id in plan.remove:
            self._store.delete_article(tenant_id, stored[article_id], actor, now)
        self.reindex(tenant_id)
        return plan

    def reindex(self, tenant_id: str) -> int:
        """Build the index from every stored article and publish it; returns its generation.

        Each writer reads the articles after its own write and publishes only over the generation it saw, so the
        last index published always holds every change that finished before it (a lost race reads again).
        """
        for _ in range(PUBLISH_ATTEMPTS):
            generation = self._store.index_generation(tenant_id)
            articles = [s.article for s in self._store.list_articles(tenant_id)]
            index = KbIndex.build(articles)
            try:
                published = self._store.publish_index(tenant_id, index.to_bytes(), generation, len(articles))
            except ConcurrentUpdate:
                continue
            self._indexes[tenant_id] = (self._clock() + self._check_seconds, published, index)
            return published
        raise ConcurrentUpdate(f"tenant {tenant_id}: the index kept changing while it was rebuilt; try again")

    # Reading

    def get(self, tenant_id: str, article_id: str) -> Any:
        return self._store.get_article(tenant_id, article_id)

    def list(self, tenant_id: str) -> list[Any]:
        return self._store.list_articles(tenant_id)

    def revisions(self, tenant_id: str, article_id: str) -> list[Any]:
        found = self._store.revisions(tenant_id, article_id)
        if not found:
            raise NotFound(f"no article {article_id!r}")
        return found

    def search(self, tenant_id: str, query: str, *, public_only: bool = True, limit: int = 3) -> SearchResult:
        """The tenant's best articles for `query` (only its own index is ever read)."""
        synonyms = Synonyms(self._synonyms_of(tenant_id))
        return search_index(self.index(tenant_id), query, synonyms, public_only=public_only, limit=limit)

    def index(self, tenant_id: str) -> KbIndex | None:
        """The tenant's index, from this container's cache while its generation has not moved."""
        cached = self._indexes.get(tenant_id)
        now = self._clock()
        if cached and cached[0] > now:
            return cached[2]
        if cached and self._store.index_generation(tenant_id) == cached[1]:
            self._indexes[tenant_id] = (now + self._check_seconds, cached[1], cached[2])
            return cached[2]
        loaded = self._store.load_index(tenant_id)
        generation, index = (loaded[0], KbIndex.from_bytes(loaded[1])) if loaded else (0, None)
        self._indexes[tenant_id] = (now + self._check_seconds, generation, index)
        return index

    def _current_revision(self, tenant_id: str, article_id: str) -> int | None:
        try:
            return self._store.get_article(tenant_id, article_id).revision
        except NotFound:
            return None
