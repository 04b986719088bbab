"""Text → search terms: Chinese segmented by jieba (jieba-rs, search mode), English stemmed, others kept whole.

Both segmenter and stemmer load on first use only, so functions that never search pay nothing for them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

MAX_QUERY_CHARS = 2_000  # longer typed queries are refused; a case's text is cut to this before searching
BIGRAM = "~"  # marks a character pair, so it never equals a word of the same two characters


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:'[a-z]+)?|[^\W\d_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-z0-9]")
_EN_STOP = _word_set(
    "a an and are as at be been but by can could did do does doing for from had has have hello hi how i i'm if in "
    "into is it it's its me my no not of on or our please so that the their them then there these they this to "
    "was we were what when where which who why will with would you your yours thanks thank regards dear am"
)
_ZH_STOP = _word_set(
    "的 了 是 我 你 您 他 她 它 们 在 吗 呢 啊 吧 呀 哦 嗯 和 与 就 都 也 还 又 要 想 把 被 让 给 请 请问 "
    "一个 这个 那个 这 那 有 没 没有 怎么 怎么办 如何 什么 为什么 可以 能 会 一下 谢谢 你好 您好 麻烦 问题"
)


@dataclass(frozen=True)
class Terms:
    """A text's search terms, and which scripts it was written in."""

    terms: tuple[str, ...]
    chinese: bool
    latin: bool
    other_script: bool

    @property
    def language(self) -> str:
        """zh when any Chinese was written (customers mix English product names into Chinese), else en."""
        return "zh" if self.chinese else "en"


def normalise(text: str) -> str:
    """Full-width → half-width, compatibility forms folded, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def analyse(text: str) -> Terms:
    """The terms of `text` (any length: callers bound it) and its scripts."""
    text = normalise(text)
    terms: list[str] = []
    chinese = latin = other = False
    for run in _RUNS.findall(text):
        if _CJK.match(run):
            chinese = True
            terms.extend(word for word in _segment(run) if word not in _ZH_STOP)
            terms.extend(_bigrams(run))
        elif _LATIN.match(run):
            latin = True
            if run not in _EN_STOP:
                terms.append(_stem(run.replace("'", "")))
        else:
            other = True
            terms.append(run)  # Cyrillic, Arabic …: matched as written (no article of ours uses them)
    return Terms(tuple(terms), chinese, latin, other)


def tokenise(text: str) -> list[str]:
    """The search terms of `text`."""
    return list(analyse(text).terms)


def _segment(run: str) -> list[str]:
    return [word for word in _segmenter().cut_for_search(run) if word.strip()]


def _bigrams(run: str) -> list[str]:
    """Overlapping character pairs: a word the segmenter splits differently in query and article still meets."""
    return [BIGRAM + run[i : i + 2] for i in range(len(run) - 1)]


def _stem(word: str) -> str:
    return word if word.isdigit() else _stemmer().stemWord(word)


@cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def _segmenter() -> Any:
    # jieba-rs (Rust) with jieba's full dictionary: ~90 ms to load, where Python jieba takes ~1.2 s even from its
    # cache, and it ships wheels (Python jieba is an sdist only, which the layer's wheels-only build refuses).
    import rjieba

    return rjieba
