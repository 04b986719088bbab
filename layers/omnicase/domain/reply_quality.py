"""Quality check on agents' replies: a tenant's banned phrases, found however they are disguised.

Matching ignores width (full-width Ｆｕｃｋ), case, and any spaces, punctuation, symbols, control, format
(zero-width) and combining characters put between the letters ("f.u.c.k", "傻 逼", "f\u200buck"). Phrases that
start or end with a letter of a script written with spaces (Latin, Cyrillic, Greek, …) only match whole words
at that end, so "ass" blocks "ass" and "a.s.s" but not "class", "passport" or "assistant", and "cunt" does not
block "Scunthorpe"; inflections are not implied ("fuck" does not block "fucking": list both). Scripts written
without spaces (Chinese, Japanese, Thai, …) have no word boundaries to guard, so "傻逼" matches anywhere.

Not covered: look-alike letters of other scripts (Cyrillic "а" for Latin "a"), digits for letters ("f4ck"),
traditional vs simplified Chinese — list those spellings as phrases of their own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

# Replies are refused above work_case.MAX_REPLY_CHARS (20,000) before this check runs, so the cap hides nothing
# in a real reply; it bounds the cost (text x phrases) for any other caller handing in a huge text.
SCAN_LIMIT = 50_000

# Z* spaces, P* punctuation, S* symbols, C* control/format (zero-width joiners, soft hyphens, bidi marks),
# Mn combining marks (stacked accents, variation selectors): nothing a reader needs to read the word.
_SEPARATOR_CATEGORIES = ("Z", "P", "S", "C")
_SEPARATOR_EXACT = ("Mn",)

# Scripts written without spaces between words: no word boundary exists to guard a phrase's end with.
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x31FF),  # Hiragana, Katakana, Bopomofo, Kanbun
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def _is_separator(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in _SEPARATOR_CATEGORIES or category in _SEPARATOR_EXACT


def _is_spaced_letter(char: str) -> bool:
    """A letter of a script that separates words with spaces: a neighbour like this makes a part of a word."""
    if not char.isalpha():
        return False
    code = ord(char)
    return not any(low <= code <= high for low, high in _UNSPACED_RANGES)


def _fold(text: str) -> str:
    # NFKC maps full-width and compatibility forms (Ｆ → F, ﬁ → fi); NFKC again after casefolding, which can
    # leave letters decomposed.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def normalize_for_matching(text: str) -> str:
    """The letters and digits a phrase is matched on: width, case and every separator character ignored."""
    return "".join(char for char in _fold(text) if not _is_separator(char))


@dataclass(frozen=True)
class _Needle:
    phrase: str  # as configured: what a match reports
    letters: str  # normalize_for_matching(phrase)
    guard_start: bool  # the phrase must not continue a word on its left
    guard_end: bool  # … nor on its right


@lru_cache(maxsize=256)
def _needles(phrases: tuple[str, ...]) -> tuple[_Needle, ...]:
    """Normalized once per list of phrases (a tenant's list is the same tuple on every reply)."""
    needles = []
    for phrase in phrases:
        letters = normalize_for_matching(phrase)
        if letters:  # a phrase of only separators would match everything; the config refuses it
            needles.append(_Needle(phrase, letters, _is_spaced_letter(letters[0]), _is_spaced_letter(letters[-1])))
    return tuple(needles)


class _Scanned:
    """A folded text, with its letters and digits in a row and where each of them sits in the folded text."""

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self.positions = [i for i, char in enumerate(self.folded) if not _is_separator(char)]
        self.letters = "".join(self.folded[i] for i in self.positions)

    def continues_word(self, index: int, step: int) -> bool:
        """Whether the folded text has a spaced-script letter next to `index` (combining marks skipped)."""
        index += step
        while 0 <= index < len(self.folded) and unicodedata.category(self.folded[index]) == "Mn":
            index += step
        return 0 <= index < len(self.folded) and _is_spaced_letter(self.folded[index])

    def matches(self, needle: _Needle) -> Iterator[tuple[int, int]]:
        """Each occurrence as (first, last) index into the folded text."""
        start = self.letters.find(needle.letters)
        while start >= 0:
            end = start + len(needle.letters) - 1
            left_ok = not (needle.guard_start and self.continues_word(self.positions[start], -1))
            if left_ok and not (needle.guard_end and self.continues_word(self.positions[end], +1)):
                yield self.positions[start], self.positions[end]
            start = self.letters.find(needle.letters, start + 1)

    def contains(self, needle: _Needle) -> bool:
        return next(self.matches(needle), None) is not None


def find_banned_phrase(text: str, phrases: tuple[str, ...] | list[str]) -> str | None:
    """The first configured phrase (in list order) the text contains, as configured; None for a clean text."""
    needles = _needles(tuple(phrases))
    if not needles or not text:
        return None
    scanned = _Scanned(_fold(text[:SCAN_LIMIT]))
    return next((needle.phrase for needle in needles if scanned.contains(needle)), None)


def _fold_aligned(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The folded text, and for each of its characters the [start, end) in `text` it came from.

    Folded a character with its combining marks at a time (folding can merge, split or drop characters), so every
    folded character points back at the characters of `text` it stands for.
    """
    folded: list[str] = []
    origin: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.category(text[end]).startswith("M"):
            end += 1
        piece = _fold(text[start:end])
        folded.append(piece)
        origin += [(start, end)] * len(piece)
        start = end
    return "".join(folded), origin


def banned_spans(text: str, phrases: tuple[str, ...] | list[str]) -> tuple[tuple[int, int], ...]:
    """Where each configured phrase occurs in `text`: [start, end) offsets in code points, in order."""
    needles = _needles(tuple(phrases))
    if not needles or not text:
        return ()
    folded, origin = _fold_aligned(text[:SCAN_LIMIT])
    scanned = _Scanned(folded)
    found = {(origin[first][0], origin[last][1]) for needle in needles for first, last in scanned.matches(needle)}
    return tuple(sorted(found))


@dataclass(frozen=True)
class QualityVerdict:
    blocked: bool
    phrase: str | None = None  # the configured phrase that blocked the reply
    spans: tuple[tuple[int, int], ...] = ()  # every banned phrase in the reply, [start, end) in code points

    @property
    def reason(self) -> str:
        """Fit to show the agent (the API's 422 body)."""
        return f'the reply contains the banned phrase "{self.phrase}"' if self.blocked else ""


def check_reply(text: str, phrases: tuple[str, ...] | list[str]) -> QualityVerdict:
    phrase = find_banned_phrase(text, phrases)
    if phrase is None:
        return QualityVerdict(blocked=False)
    return QualityVerdict(blocked=True, phrase=phrase, spans=banned_spans(text, phrases))


KEPT_TEXT = 4_000  # what an interception keeps of the reply: enough to judge it, bounded for the item


@dataclass(frozen=True)
class Interception:
    """A reply the quality check stopped: who wrote it, on which case, which phrase tripped it, and where."""

    tenant_id: str
    case_id: str
    agent_id: str
    phrase: str
    at: datetime
    channel: str
    text: str = ""  # the reply as written, at most KEPT_TEXT characters
    spans: tuple[tuple[int, int], ...] = ()  # the banned phrases in `text`

    @classmethod
    def of_reply(
        cls, tenant_id: str, case_id: str, agent_id: str, verdict: QualityVerdict, text: str, at: datetime, channel: str
    ) -> Interception:
        """The interception of a blocked reply, its text cut to KEPT_TEXT and the spans to what is kept."""
        kept = text[:KEPT_TEXT]
        spans = tuple((start, min(end, len(kept))) for start, end in verdict.spans if start < len(kept))
        return cls(tenant_id, case_id, agent_id, verdict.phrase or "", at, channel, kept, spans)
