"""A tenant's banned phrases as patterns over a reading (quality_reading): what may stand for each of their letters.

- Between two letters of a phrase any run of separators and stand-in symbols is skipped (f.u.c.k, f*u*c*k);
  between two Chinese characters also a Latin x (傻x逼).
- One letter may be replaced: by a mask (f*ck, st*pid, 他*的), by a digit or symbol written for it (idi0t, $tupid),
  or, in phrases of four letters or more, by any digit (f4ck) — at most one in a phrase of three, half the letters of
  a longer one (two real letters always stay), never in one of one or two letters, never by a mask at either end.
  A replaced match must be a whole token: a digit next to it, or a letter or digit past a joining - _ . /, continues
  it, so "A5S" in "95A5S9" or "A-A5S" blocks nothing.
- A Chinese character may be written as its pinyin (sha逼) or as a homophone outside GB 2312's 3,755 common
  characters (傻屄): ordinary text is written in common characters, so a rare homophone is a disguise, while a
  common one (件 for 贱 in 收件人, 炽 for 痴 in 白炽灯) is ordinary text. At least one character stays as written.
- Phrases of three Chinese characters or more also match as their pinyin and its initials, as whole words (他妈的:
  tamade, tmd; 你妈死了: nimasile, nmsl). Two-character phrases do not: their pinyin are given names (贱人 jianren)
  and their initials everyday abbreviations (白痴 bc, 混蛋 hd, 废物 fw); list the forms you mean (shabi, sb).
- Latin phrases of three letters or fewer (sb, tmd) match only written together as a whole token: "s b", "s/b",
  "usb", "sbt", "SB2", "SB-1234" and "sb.com" block nothing.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from omnicase.domain.quality_reading import (
    LEET,
    MASKS,
    RARE,
    STAND_INS,
    Reading,
    is_common_han,
    is_han,
    is_spaced_letter,
    letters_of,
)

SHORT = 3  # Latin phrases up to this long are matched only as whole tokens written together


def _max_replaced(length: int) -> int:
    if length <= 2:
        return 0
    return 1 if length == 3 else length // 2


@dataclass(frozen=True)
class Needle:
    phrase: str  # as configured: what a match reports
    letters: str  # the phrase as read: one slot per character
    pattern: re.Pattern[str]  # over Reading.stream: two groups per letter (see _accepted)
    short: bool
    max_replaced: int

    def matches(self, reading: Reading) -> Iterator[tuple[int, int]]:
        """Each occurrence as (first, last) index into the reading's characters."""
        start = 0
        while (found := self.pattern.search(reading.stream, start)) is not None:
            start = found.start() + 1
            occurrence = self._accepted(reading, found)
            if occurrence is not None:
                yield occurrence

    def _accepted(self, reading: Reading, found: re.Match[str]) -> tuple[int, int] | None:
        # Letter k is group 2k + 1 as written, or group 2k + 2 when a stand-in replaced it.
        stood_in = [found.group(2 * k + 2) for k in range(len(self.letters))]
        written = [found.group(2 * k + 1) or found.group(2 * k + 2) for k in range(len(self.letters))]
        for k, got in enumerate(written):
            if got == RARE:  # the rare character itself: the letter, or a homophone of it
                written[k] = rare = reading.chars[reading.positions[found.start(2 * k + 1)]]
                if rare != self.letters[k] and _syllable(self.letters[k]) not in _readings(rare):
                    return None
        replaced = sum(1 for got in stood_in if got)
        han = [got == want for got, want in zip(written, self.letters, strict=True) if is_han(want)]
        if replaced > self.max_replaced or (han and not any(han)):
            return None
        first, last = reading.positions[found.start()], reading.positions[found.end() - 1]
        if self.short and last - first != found.end() - 1 - found.start():
            return None  # separators between the letters of a short phrase
        token = self.short or replaced > 0
        if (is_spaced_letter(self.letters[0]) or is_spaced_letter(written[0][0])) and reading.continues_word(
            first, -1, token=token
        ):
            return None
        if (is_spaced_letter(self.letters[-1]) or is_spaced_letter(written[-1][-1])) and reading.continues_word(
            last, +1, token=token
        ):
            return None
        return first, last


@lru_cache(maxsize=256)
def needles(phrases: tuple[str, ...]) -> tuple[Needle, ...]:
    """Built once per list of phrases (a tenant's list is the same tuple on every reply), in list order."""
    built: list[Needle] = []
    for phrase in phrases:
        letters = letters_of(phrase)
        if not letters:  # a phrase of only separators would match everything; the configuration refuses it
            continue
        built.append(_needle(phrase, letters))
        if len(letters) >= 3 and all(is_han(c) for c in letters):
            syllables = [_syllable(c) for c in letters]
            if all(syllables):
                built.append(_needle(phrase, "".join(syllables)))
                built.append(_needle(phrase, "".join(s[0] for s in syllables)))
    return tuple(built)


def _needle(phrase: str, letters: str) -> Needle:
    short = len(letters) <= SHORT and all(c.isascii() for c in letters)
    max_replaced = 0 if short else _max_replaced(len(letters))
    parts = []
    for k, char in enumerate(letters):
        stand_ins = _stand_ins(char, max_replaced, k not in (0, len(letters) - 1), len(letters))
        stand_in = f"|([{re.escape(''.join(sorted(stand_ins)))}])" if stand_ins else "()"
        skip = _skip(letters[k - 1], char) if k and not short else ""
        # Separators are skipped without giving any back (possessive), else one stand-in replaces the letter: each
        # letter has two ways to match at most, so a long run of masks (a "____" line) cannot blow the search up.
        parts.append(f"(?:{skip}({_spellings(char)}){stand_in})")
    return Needle(phrase, letters, re.compile("".join(parts)), short, max_replaced)


def _skip(before: str, after: str) -> str:
    skipped = "".join(sorted(STAND_INS)) + ("x" if is_han(before) and is_han(after) else "")
    return f"[{re.escape(skipped)}]*+"


def _stand_ins(char: str, max_replaced: int, inner: bool, length: int) -> set[str]:
    """What may replace the letter: a digit or symbol written for it, and inside the phrase a mask or any digit."""
    if not max_replaced:
        return set()
    found = {c for c, letters in LEET.items() if char in letters}
    if inner:
        found |= MASKS
        if length >= 4 and char.isascii() and char.isalpha():
            found |= set("0123456789")
    return found - {char}


def _spellings(char: str) -> str:
    """The letter itself, and for a Chinese character its pinyin and any rare character (checked after the match)."""
    if not is_han(char):
        return re.escape(char)
    written = RARE if not is_common_han(char) else f"[{re.escape(char)}{RARE}]"
    syllable = _syllable(char)
    return f"{written}|{re.escape(syllable)}" if syllable else written


def _pypinyin_dict() -> dict[int, str]:
    # Only single characters' readings are used: skip the 47k-phrase dictionary (~90 ms and ~45 MB) and the copy.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@lru_cache(maxsize=4096)  # some 1,500 toned syllables in all
def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    """Every reading of the character without tones (的 → de, di), empty when pypinyin has none."""
    return frozenset(_toneless(reading) for reading in _pypinyin_dict().get(ord(char), "").split(",") if reading)


@lru_cache(maxsize=8192)
def _syllable(char: str) -> str:
    """The character's usual reading without tones (傻 → sha), "" when pypinyin has none."""
    readings = _pypinyin_dict().get(ord(char), "")
    return _toneless(readings.split(",")[0]) if readings else ""
