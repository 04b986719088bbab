"""How well an article answers a query, as a share from 0 to 1 that one threshold can judge for every query.

A raw BM25 score grows with the query's length and the index's size: long mails score high against anything, and
on the fixtures 5 of 12 unanswerable questions outscore correct answers. The share asked here is instead the
idf-weighted fraction of the query's words the article holds — directly, through one of the tenant's synonyms, a
one-typo neighbour, or (Chinese) every character pair of the word — so a query whose specific words no article holds
("Berlin", 招聘) stays low however common its other words are. Character pairs and synonyms are not words the
customer wrote: they only help a word count as matched, never add to the total. Measured in bench/kb.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from omnicase.kb.ranking import KbIndex
from omnicase.kb.synonyms import Synonyms
from omnicase.kb.tokens import BIGRAM


def relevance(index: KbIndex, terms: Sequence[str], synonyms: Synonyms, article_id: str) -> float:
    """The idf-weighted share (0..1) of the query's words that the article holds."""
    words = [term for term in dict.fromkeys(terms) if not term.startswith(BIGRAM)]
    total = sum(index.idf(word) for word in words)
    if not total:
        return 0.0
    held = sum(index.idf(word) for word in words if _holds(index, synonyms, article_id, word))
    return round(held / total, 4)


def _holds(index: KbIndex, synonyms: Synonyms, article_id: str, word: str) -> bool:
    if index.holds(article_id, word):
        return True
    if any(index.holds(article_id, other) for other in (*synonyms.alternatives(word), *index.near(word))):
        return True
    if word.isascii() or len(word) < 2:
        return False
    pairs = [BIGRAM + word[i : i + 2] for i in range(len(word) - 1)]
    return all(index.holds(article_id, pair) for pair in pairs)
