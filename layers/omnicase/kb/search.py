"""Searching one tenant's index: the query bounded and analysed, synonyms added, results with a reason when empty."""

from __future__ import annotations

from dataclasses import dataclass, replace

from omnicase.kb.ranking import Hit, KbIndex
from omnicase.kb.relevance import relevance
from omnicase.kb.synonyms import Synonyms
from omnicase.kb.tokens import MAX_QUERY_CHARS, analyse

MAX_RESULTS = 20


class QueryTooLong(ValueError):
    """A typed query longer than MAX_QUERY_CHARS (a case's text is cut instead; see case_query_text)."""

    reason = "too-long"

    def __init__(self, length: int) -> None:
        super().__init__(f"the query has {length} characters; at most {MAX_QUERY_CHARS} are searched")


@dataclass(frozen=True)
class SearchResult:
    """The hits, best first, and why there are none when there are none."""

    hits: list[Hit]
    language: str
    note: str | None = None  # empty-kb | no-terms | unknown-script | no-match


def search_index(
    index: KbIndex | None,
    query: str,
    synonyms: Synonyms | None = None,
    *,
    public_only: bool = True,
    limit: int = 3,
    min_relevance: float = 0.0,
) -> SearchResult:
    """The articles of `index` that answer `query` best (a typed query: too long raises QueryTooLong)."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(len(query))
    terms = analyse(query)
    if index is None or not index.articles:
        return SearchResult([], terms.language, "empty-kb")
    if not terms.terms:
        return SearchResult([], terms.language, "no-terms")
    synonyms = synonyms or Synonyms()
    weights = synonyms.expand(terms.terms)
    limit = max(1, min(limit, MAX_RESULTS))
    hits = [
        replace(hit, relevance=relevance(index, terms.terms, synonyms, hit.article.article_id))
        for hit in index.search(weights, language=terms.language, public_only=public_only, limit=limit)
    ]
    hits = [hit for hit in hits if hit.relevance >= min_relevance]
    if hits:
        return SearchResult(hits, terms.language)
    only_other_script = terms.other_script and not (terms.chinese or terms.latin)
    return SearchResult([], terms.language, "unknown-script" if only_other_script else "no-match")


def case_query_text(subject: str | None, body: str) -> str:
    """What to search for a customer's message: the subject and the new text (quoted history cut), bounded."""
    from omnicase.email.strip_quoted_history import strip_quoted_history

    text = f"{subject or ''}\n{strip_quoted_history(body)}".strip()
    return text[:MAX_QUERY_CHARS]
