"""Tenant synonyms (`kb.synonyms`: 退款 = 退钱 = refund): a query term in a group also searches the group's others.

Applied to the query only, so a changed synonym list works at once, without rebuilding any index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from omnicase.kb.tokens import BIGRAM, tokenise

SYNONYM_WEIGHT = 0.8  # a synonym counts a little less than the customer's own word
BIGRAM_WEIGHT = 0.4  # character pairs catch mis-segmented words; as much weight as words they add noise


class Synonyms:
    """Groups of equivalent phrases, by the terms they analyse to."""

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        self._groups: list[list[tuple[str, ...]]] = []
        for group in groups:
            phrases = [tuple(tokenise(phrase)) for phrase in group]
            phrases = [phrase for phrase in phrases if phrase]
            if len(phrases) > 1:
                self._groups.append(phrases)

    def expand(self, terms: Sequence[str]) -> dict[str, float]:
        """Each query term with weight 1, plus the terms of every synonym of a phrase the query holds."""
        weights = {term: BIGRAM_WEIGHT if term.startswith(BIGRAM) else 1.0 for term in terms}
        present = set(terms)
        for phrases in self._groups:
            if any(set(phrase) <= present for phrase in phrases):
                for phrase in phrases:
                    for term in phrase:
                        weights.setdefault(term, BIGRAM_WEIGHT if term.startswith(BIGRAM) else SYNONYM_WEIGHT)
        return weights

    def alternatives(self, term: str) -> set[str]:
        """The terms of every group one of whose phrases holds `term` (the term itself left out)."""
        found: set[str] = set()
        for phrases in self._groups:
            if any(term in phrase for phrase in phrases):
                found.update(t for phrase in phrases for t in phrase)
        found.discard(term)
        return found
