"""The knowledge base in the single table: articles, every revision of each, and the tenant's search index.

An article write and its revision record go in one transaction conditioned on the article's revision, so two
supervisors editing at once cannot lose a change. The index is derived data: rebuilt after changes and published
under a generation number that only moves forward (a conditional write), read back by the functions that search.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pynamodb.exceptions import PutError
from pynamodb.transactions import TransactWrite

from omnicase.domain.errors import ConcurrentUpdate, NotFound
from omnicase.kb.article import Article
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import (
    KbArticleItem,
    KbIndexItem,
    KbRevisionItem,
    OmnicaseItem,
    transaction_connection,
)
from omnicase.persistence.errors import transaction_errors

INDEX_PART_BYTES = 350 * 1024  # under DynamoDB's 400 KB item limit, with room for the other attributes


@dataclass(frozen=True)
class StoredArticle:
    """An article with its bookkeeping: revision (1 on creation), who changed it last and when."""

    article: Article
    revision: int
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class Revision:
    """One change of an article: created | updated | deleted, by whom, when, and the article as it became."""

    stored: StoredArticle
    action: str


class DynamoKbStore:
    def list_articles(self, tenant_id: str) -> list[StoredArticle]:
        """Every article of the tenant, by id (bodies included)."""
        items = OmnicaseItem.query(keys.kb_pk(tenant_id), OmnicaseItem.sk.startswith(keys.KB_ARTICLE_PREFIX))
        return [_stored(item) for item in items if type(item) is KbArticleItem]

    def get_article(self, tenant_id: str, article_id: str) -> StoredArticle:
        try:
            item = KbArticleItem.get(keys.kb_pk(tenant_id), keys.kb_article_sk(article_id), consistent_read=True)
        except KbArticleItem.DoesNotExist:
            raise NotFound(f"no article {article_id!r}") from None
        return _stored(item)

    def put_article(
        self, tenant_id: str, article: Article, actor: str, expected_revision: int | None, now: datetime
    ) -> StoredArticle:
        """Create (expected_revision None: must not exist) or replace (must be at expected_revision) the article."""
        revision = (expected_revision or 0) + 1
        stored = StoredArticle(article, revision, actor, now)
        item = _article_item(KbArticleItem, tenant_id, stored)
        condition = (
            KbArticleItem.pk.does_not_exist()
            if expected_revision is None
            else KbArticleItem.revision == expected_revision
        )
        action = "created" if expected_revision is None else "updated"
        with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
            tx.save(item, condition=condition)
            tx.save(_revision_item(tenant_id, stored, action), condition=KbRevisionItem.pk.does_not_exist())
        return stored

    def delete_article(self, tenant_id: str, current: StoredArticle, actor: str, now: datetime) -> None:
        """Delete the article if it is still at `current.revision`; the deletion is kept as a revision."""
        gone = StoredArticle(current.article, current.revision + 1, actor, now)
        item = KbArticleItem(keys.kb_pk(tenant_id), keys.kb_article_sk(current.article.article_id))
        with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
            tx.delete(item, condition=KbArticleItem.revision == current.revision)
            tx.save(_revision_item(tenant_id, gone, "deleted"), condition=KbRevisionItem.pk.does_not_exist())

    def revisions(self, tenant_id: str, article_id: str) -> list[Revision]:
        """The article's changes, oldest first (also after it was deleted)."""
        items = OmnicaseItem.query(keys.kb_pk(tenant_id), OmnicaseItem.sk.startswith(f"REV#{article_id}#"))
        return [Revision(_stored(item), item.action) for item in items if isinstance(item, KbRevisionItem)]

    def index_generation(self, tenant_id: str) -> int:
        """The generation of the published index (0: none yet); one small consistent read."""
        try:
            item = KbIndexItem.get(
                keys.kb_pk(tenant_id), keys.KB_INDEX_SK, consistent_read=True, attributes_to_get=["generation"]
            )
        except KbIndexItem.DoesNotExist:
            return 0
        return int(item.generation)

    def load_index(self, tenant_id: str) -> tuple[int, bytes] | None:
        """The published index's generation and bytes, or None when the tenant has none."""
        try:
            head = KbIndexItem.get(keys.kb_pk(tenant_id), keys.KB_INDEX_SK, consistent_read=True)
        except KbIndexItem.DoesNotExist:
            return None
        generation, data = int(head.generation), bytes(head.data)
        for chunk in range(1, int(head.parts)):
            sk = keys.kb_index_part_sk(generation, chunk)
            try:
                data += bytes(KbIndexItem.get(keys.kb_pk(tenant_id), sk, consistent_read=True).data)
            except KbIndexItem.DoesNotExist:
                raise ConcurrentUpdate("the index was replaced while it was read; read it again") from None
        return generation, data

    def publish_index(self, tenant_id: str, data: bytes, after_generation: int, article_count: int) -> int:
        """Publish `data` as generation after_generation + 1, unless someone published since (ConcurrentUpdate)."""
        generation = after_generation + 1
        chunks = [data[i : i + INDEX_PART_BYTES] for i in range(0, len(data), INDEX_PART_BYTES)] or [b""]
        now = datetime.now(UTC)
        pk = keys.kb_pk(tenant_id)
        for chunk, part in enumerate(chunks[1:], start=1):
            KbIndexItem(
                pk,
                keys.kb_index_part_sk(generation, chunk),
                tenant_id=tenant_id,
                generation=generation,
                data=part,
                built_at=now,
            ).save()
        head = KbIndexItem(
            pk,
            keys.KB_INDEX_SK,
            tenant_id=tenant_id,
            generation=generation,
            parts=len(chunks),
            data=chunks[0],
            article_count=article_count,
            built_at=now,
        )
        condition = (
            KbIndexItem.pk.does_not_exist() if not after_generation else KbIndexItem.generation == after_generation
        )
        try:
            head.save(condition=condition)
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentUpdate(
                    f"tenant {tenant_id}: the index moved past generation {after_generation}"
                ) from error
            raise
        self._drop_parts_before(tenant_id, generation)
        return generation

    @staticmethod
    def _drop_parts_before(tenant_id: str, generation: int) -> None:
        # Older generations' parts: a reader still loading one gets ConcurrentUpdate and reads again.
        items = OmnicaseItem.query(keys.kb_pk(tenant_id), OmnicaseItem.sk.startswith("INDEXPART#"))
        for item in items:
            if isinstance(item, KbIndexItem) and int(item.generation) < generation:
                item.delete()


def _article_item(
    model: type[KbArticleItem], tenant_id: str, stored: StoredArticle, sk: str | None = None
) -> KbArticleItem:
    article = stored.article
    return model(
        keys.kb_pk(tenant_id),
        sk or keys.kb_article_sk(article.article_id),
        tenant_id=tenant_id,
        article_id=article.article_id,
        title=article.title,
        language=article.language,
        tags=list(article.tags),
        product=article.product,
        visibility=article.visibility,
        body=article.body,
        digest=article.digest(),
        revision=stored.revision,
        updated_by=stored.updated_by,
        updated_at=stored.updated_at,
    )


def _revision_item(tenant_id: str, stored: StoredArticle, action: str) -> KbRevisionItem:
    sk = keys.kb_revision_sk(stored.article.article_id, stored.revision)
    item = _article_item(KbRevisionItem, tenant_id, stored, sk)
    item.action = action
    return item


def _stored(item: KbArticleItem) -> StoredArticle:
    article = Article(
        item.article_id, item.title, item.language, item.body, tuple(item.tags or ()), item.product, item.visibility
    )
    return StoredArticle(article, int(item.revision), item.updated_by, item.updated_at)
