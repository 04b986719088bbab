"""Quality check on agents' replies: a tenant's banned phrases, found however they are disguised.

A reply is read through its disguises (quality_reading): width and case (Ｆｕｃｋ), Traditional characters (腦殘),
accents and look-alike letters of other scripts (Cyrillic і in idiot). Between a phrase's letters anything that is not
a letter is skipped ("f.u.c.k", "傻 逼", "f\u200buck", 傻x逼); one letter may be masked or written as a digit or
symbol (f*ck, idi0t, $tupid); a Chinese phrase may be written in pinyin, its initials, or rare homophones (tmd, 傻屄)
— see quality_needles for exactly what stands for what, and what is held back so ordinary replies pass.

Phrases that start or end with a letter of a script written with spaces (Latin, Cyrillic, Greek, …) only match whole
words at that end, so "ass" blocks "ass" and "a.s.s" but not "class", "passport" or "assistant", and "cunt" does not
block "Scunthorpe"; inflections are not implied ("fuck" does not block "fucking": list both). Scripts written
without spaces (Chinese, Japanese, Thai, …) have no word boundaries to guard, so "傻逼" matches anywhere.

tests/fixtures/quality/ holds the measure: ordinary support replies that must all pass and evasions that must all
be blocked (tests/unit/domain/test_reply_quality_corpus.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from omnicase.domain.case_events import CaseEvent, CaseEventLog
from omnicase.domain.quality_needles import needles
from omnicase.domain.quality_reading import Reading, letters_of, read

# Replies are refused above work_case.MAX_REPLY_CHARS (20,000) before this check runs, so the cap hides nothing
# in a real reply; it bounds the cost (text x phrases) for any other caller handing in a huge text.
SCAN_LIMIT = 50_000


def normalize_for_matching(text: str) -> str:
    """The letters and digits a phrase is matched on: width, case, script look-alikes, Traditional characters and
    every separator ignored (two phrases alike here match the same replies)."""
    return letters_of(text)


def find_banned_phrase(text: str, phrases: tuple[str, ...] | list[str]) -> str | None:
    """The first configured phrase (in list order) the text contains, as configured; None for a clean text."""
    built = needles(tuple(phrases))
    if not built or not text:
        return None
    reading = read(text[:SCAN_LIMIT])
    return next((needle.phrase for needle in built if next(needle.matches(reading), None) is not None), None)


def _spans(reading: Reading, found: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted({(reading.origin[first][0], reading.origin[last][1]) for first, last in found}))


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
    """Blocked with the first phrase in list order and the span of every banned phrase in the text as written."""
    built = needles(tuple(phrases))
    if not built or not text:
        return QualityVerdict(blocked=False)
    reading = read(text[:SCAN_LIMIT])
    phrase: str | None = None
    found: list[tuple[int, int]] = []
    for needle in built:
        occurrences = list(needle.matches(reading))
        if occurrences:
            phrase = phrase or needle.phrase
            found += occurrences
    if phrase is None:
        return QualityVerdict(blocked=False)
    return QualityVerdict(blocked=True, phrase=phrase, spans=_spans(reading, found))


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

    def case_event(self) -> CaseEvent:
        """Its entry on the case's audit trail: who was stopped and by which phrase (the text stays with it)."""
        log = CaseEventLog(self.tenant_id, self.case_id, self.at)
        reason = f'the reply contained the banned phrase "{self.phrase}": not sent'
        log.add("reply_blocked", reason, actor=self.agent_id, phrase=self.phrase, channel=self.channel)
        return log.events[0]
