"""How the reply quality check reads a text: each character folded, looked through its disguise, and sorted into
letters, stand-in symbols and separators, with where it came from in the text as written.

Looking through a character (only the character itself, so every one keeps its place in the text):
- width and case: NFKC and casefolding (Ｆｕｃｋ → fuck, ﬁ → fi);
- Chinese characters: Traditional → Simplified with OpenCC's tables (腦殘 → 脑残, 白癡 → 白痴);
- accents on Latin letters dropped (ídiot → idiot), and letters of other scripts that Unicode's confusables list as
  look-alikes of a Latin letter read as that letter (Cyrillic і, Greek ο → i, o).

The libraries load on the first character that needs them, never at import: a handler's cold start does not pay.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_HANGUL_RANGES = ((0x1100, 0x11FF), (0xA960, 0xA97F), (0xAC00, 0xD7FF))  # spaced, but no look-alike of Latin

# Z* spaces, P* punctuation, S* symbols, C* control/format (zero-width joiners, soft hyphens, bidi marks),
# Mn combining marks (stacked accents, variation selectors): nothing a reader needs to read the word.
_SEPARATOR_CATEGORIES = ("Z", "P", "S", "C")
_SEPARATOR_EXACT = ("Mn",)

# Symbols that hide a letter (f*ck, 傻□逼) and the letters that digits and symbols are written for (idi0t, $tupid):
# between a phrase's letters they are skipped like any separator, or stand in for one letter (see quality_needles).
MASKS = frozenset("*#?_%×○●◯◎□■☆★♡♥◇◆✱✲✳✴※")
LEET = {"0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"}
LEET |= {"@": "a", "$": "s", "!": "i", "|": "il", "+": "t", "¢": "c", "€": "e"}
STAND_INS = MASKS | frozenset(c for c in LEET if not c.isdigit())

LETTER, STAND_IN, SEPARATOR = "letter", "stand-in", "separator"
# A Chinese character outside GB 2312's 3,755 common ones stands in the stream as this one private-use character, so
# patterns need no class of thousands of rare homophones; a match on it is checked against the character itself.
RARE = "\ue000"


def in_ranges(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def is_han(char: str) -> bool:
    return in_ranges(char, _HAN_RANGES)


def is_spaced_letter(char: str) -> bool:
    """A letter of a script that separates words with spaces: a neighbour like this makes a part of a word."""
    return char.isalpha() and not in_ranges(char, _UNSPACED_RANGES)


def is_common_han(char: str) -> bool:
    """One of GB 2312's level-1 hanzi: the 3,755 most used characters (rows 16-55, first byte 0xB0-0xD7)."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def _is_separator(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in _SEPARATOR_CATEGORIES or category in _SEPARATOR_EXACT


def fold(text: str) -> str:
    # NFKC maps full-width and compatibility forms (Ｆ → F, ﬁ → fi); NFKC again after casefolding, which can
    # leave letters decomposed.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC  # opencc-python-reimplemented: OpenCC's own tables in pure Python, ~10 ms to load

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _confusables() -> Any:
    from confusable_homoglyphs import confusables  # Unicode's confusables.txt, ~45 ms to load

    return confusables


@lru_cache(maxsize=65_536)
def look_through(char: str) -> str:
    """The character a folded character stands for: Simplified for Traditional, the Latin letter for a look-alike."""
    if is_han(char):
        simplified = _t2s().convert(char)
        return simplified if len(simplified) == 1 else char
    if char.isascii() or not char.isalpha() or in_ranges(char, _UNSPACED_RANGES + _HANGUL_RANGES):
        return char
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if len(base) == 1 and base.isascii() and base.isalpha():
        return base
    found = _confusables().is_confusable(char, preferred_aliases=[]) or ()
    for glyph in (homoglyph["c"].casefold() for entry in found for homoglyph in entry["homoglyphs"]):
        if len(glyph) == 1 and "a" <= glyph <= "z":
            return glyph
    return char


def kind_of(char: str) -> str:
    if char in STAND_INS:
        return STAND_IN
    return SEPARATOR if _is_separator(char) else LETTER


def letters_of(text: str) -> str:
    """The letters and digits of a text as read: folded, looked through, every separator and stand-in dropped."""
    return "".join(look_through(c) for c in fold(text) if kind_of(c) == LETTER)


@dataclass
class Reading:
    """A text as read: each folded character looked through, its kind, and the [start, end) in the text it came from;
    `stream` is its letters and stand-ins in a row (what phrases are matched on, rare Chinese characters as RARE),
    `positions` where each sits."""

    chars: list[str]
    kinds: list[str]
    origin: list[tuple[int, int]]
    stream: str
    positions: list[int]

    def continues_word(self, index: int, step: int, *, token: bool = False) -> bool:
        """Whether a spaced-script letter is next to `index` (combining marks skipped). With `token`, so is a digit,
        and a letter or digit just past one joining - _ . / (SB-1234, sb.com are tokens of their own)."""
        neighbour = self._neighbour(index, step)
        if neighbour is None:
            return False
        if token and self.chars[neighbour] in _JOINERS:
            neighbour = self._neighbour(neighbour, step)
            return neighbour is not None and self.chars[neighbour].isalnum()
        char = self.chars[neighbour]
        return is_spaced_letter(char) or (token and char.isdigit())

    def _neighbour(self, index: int, step: int) -> int | None:
        index += step
        while 0 <= index < len(self.chars) and unicodedata.category(self.chars[index]) == "Mn":
            index += step
        return index if 0 <= index < len(self.chars) else None


_JOINERS = frozenset("-_./")


def read(text: str) -> Reading:
    """Fold a character with its combining marks at a time (folding can merge, split or drop characters), so every
    character read points back at the characters of `text` it stands for."""
    chars: list[str] = []
    kinds: list[str] = []
    origin: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.category(text[end]).startswith("M"):
            end += 1
        for char in fold(text[start:end]):
            kind = kind_of(char)
            chars.append(look_through(char) if kind == LETTER else char)
            kinds.append(kind)
            origin.append((start, end))
        start = end
    positions = [i for i, kind in enumerate(kinds) if kind != SEPARATOR]
    stream = "".join(_in_stream(chars[i]) for i in positions)
    return Reading(chars, kinds, origin, stream, positions)


def _in_stream(char: str) -> str:
    return RARE if is_han(char) and not is_common_han(char) else char
