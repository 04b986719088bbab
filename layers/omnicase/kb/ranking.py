"""A tenant's search index: BM25F over title, tags and body, with tolerance for one typo in longer Latin words.

Built whole when the tenant's articles change and loaded by the functions that search; scoring a query is a few
dictionary reads per term, so a warm search takes well under a millisecond for hundreds of articles.
"""

from __future__ import annotations

import json
import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from omnicase.kb.article import Article
from omnicase.kb.tokens import tokenise

FORMAT = 1
K1 = 1.2
FIELD_WEIGHTS = {"title": 3.0, "tags": 2.5, "body": 1.0}  # the product is shown, not ranked: it drowned the intent
FIELD_B = {"title": 0.5, "tags": 0.0, "body": 0.75}
OTHER_LANGUAGE_FACTOR = 0.3  # an article in the other language ranks only when nothing in the reader's fits
TYPO_MIN_LENGTH = 5  # shorter Latin words have too many neighbours one letter away


@dataclass(frozen=True)
class ArticleRef:
    """What a search result needs of an article, without its body."""

    article_id: str
    title: str
    language: str
    public: bool
    product: str | None


@dataclass(frozen=True)
class Hit:
    article: ArticleRef
    score: float
    relevance: float = 0.0  # 0..1, comparable across queries and tenants (kb/relevance.py); set by search_index


class KbIndex:
    """Postings term → {article: weighted term frequency}, and the articles' references."""

    def __init__(self, articles: list[ArticleRef], postings: dict[str, dict[int, float]]) -> None:
        self.articles = articles
        self.postings = postings
        count = len(articles)
        self._idf = {
            term: math.log(1 + (count - len(docs) + 0.5) / (len(docs) + 0.5)) for term, docs in postings.items()
        }
        self._near: dict[str, list[str]] | None = None
        self._numbers = {ref.article_id: number for number, ref in enumerate(articles)}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5)  # a word no article holds: as specific as can be

    @classmethod
    def build(cls, articles: Iterable[Article]) -> KbIndex:
        """The index of `articles` (any order; ranked ties keep the id order)."""
        ordered = sorted(articles, key=lambda a: a.article_id)
        fields = [_fields(article) for article in ordered]
        average = {
            name: (sum(sum(f[name].values()) for f in fields) / len(fields) if fields else 0.0) or 1.0
            for name in FIELD_WEIGHTS
        }
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for number, article_fields in enumerate(fields):
            weighted: Counter[str] = Counter()
            for name, counts in article_fields.items():
                length = sum(counts.values())
                norm = 1 - FIELD_B[name] + FIELD_B[name] * length / average[name]
                for term, tf in counts.items():
                    weighted[term] += FIELD_WEIGHTS[name] * tf / norm
            for term, value in weighted.items():
                postings[term][number] = round(value, 4)
        refs = [ArticleRef(a.article_id, a.title, a.language, a.public, a.product) for a in ordered]
        return cls(refs, dict(postings))

    def search(
        self,
        weights: dict[str, float],
        *,
        language: str | None = None,
        public_only: bool = True,
        limit: int = 3,
    ) -> list[Hit]:
        """The best `limit` articles for the weighted query terms, best first."""
        scores: dict[int, float] = defaultdict(float)
        for term, weight in self._known(weights).items():
            idf = self._idf[term]
            for number, tf in self.postings[term].items():
                scores[number] += weight * idf * tf * (K1 + 1) / (tf + K1)
        hits = []
        for number, score in scores.items():
            ref = self.articles[number]
            if public_only and not ref.public:
                continue
            if language and ref.language != language:
                score *= OTHER_LANGUAGE_FACTOR
            hits.append(Hit(ref, round(score, 4)))
        hits.sort(key=lambda hit: (-hit.score, hit.article.article_id))
        return hits[:limit]

    def idf(self, term: str) -> float:
        """How specific the term is in this index (a term no article holds gets the highest value)."""
        return self._idf.get(term, self._unknown_idf)

    def holds(self, article_id: str, term: str) -> bool:
        """Whether the article holds the term (in its title, tags or body)."""
        number = self._numbers.get(article_id)
        return number is not None and number in self.postings.get(term, {})

    def near(self, term: str) -> list[str]:
        """The index's terms one typo away from a long Latin word (none for other words)."""
        return self._neighbours(term) if term.isascii() and len(term) >= TYPO_MIN_LENGTH else []

    def _known(self, weights: dict[str, float]) -> dict[str, float]:
        """The query terms the index holds; an unknown long Latin word stands for its one-typo neighbours."""
        known: dict[str, float] = {}
        for term, weight in weights.items():
            if term in self.postings:
                known[term] = max(known.get(term, 0.0), weight)
            elif term.isascii() and len(term) >= TYPO_MIN_LENGTH:
                for near in self._neighbours(term):
                    known.setdefault(near, weight * 0.7)
        return known

    def _neighbours(self, term: str) -> list[str]:
        if self._near is None:
            near: dict[str, list[str]] = defaultdict(list)
            for known in self.postings:
                if known.isascii() and len(known) >= TYPO_MIN_LENGTH - 1:
                    for variant in _deletions(known) | {known}:
                        near[variant].append(known)
            self._near = dict(near)
        found: set[str] = set()
        for variant in _deletions(term) | {term}:
            found.update(self._near.get(variant, ()))
        return sorted(found)

    def to_bytes(self) -> bytes:
        """The index, compressed (stored per tenant; see persistence/kb_store.py)."""
        document = {
            "format": FORMAT,
            "articles": [[a.article_id, a.title, a.language, a.public, a.product] for a in self.articles],
            "postings": {term: [[n, tf] for n, tf in docs.items()] for term, docs in self.postings.items()},
        }
        return zlib.compress(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(), 6)

    @classmethod
    def from_bytes(cls, data: bytes) -> KbIndex:
        document = json.loads(zlib.decompress(data))
        if document.get("format") != FORMAT:
            raise ValueError(f"index format {document.get('format')} is not {FORMAT}: rebuild it")
        refs = [ArticleRef(*row) for row in document["articles"]]
        postings = {term: {n: tf for n, tf in docs} for term, docs in document["postings"].items()}
        return cls(refs, postings)


def _fields(article: Article) -> dict[str, Counter[str]]:
    return {
        "title": Counter(tokenise(article.title)),
        "tags": Counter(term for tag in article.tags for term in tokenise(tag)),
        "body": Counter(tokenise(article.body)),
    }


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
