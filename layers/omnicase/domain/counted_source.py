"""An item the SLA report counts, as a change of the table carried it (the report counters' input)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from omnicase.domain.model import Case


class CountedPart(enum.StrEnum):
    """Which item of a case is counted; an interception's part is followed by its nonce."""

    CASE = "CASE"
    ANSWER = "ANSWER"  # its survey's answer (one per case: a survey is answered once)
    SENT = "SENT"  # its survey going out
    INTERCEPTION = "INTERCEPTION"


@dataclass(frozen=True)
class CountedSource:
    """One counted item: whose, which one (`part`, unique per case), its version (1 for items never rewritten)."""

    tenant_id: str
    case_id: str
    part: str
    version: int
    case: Case | None = None  # CASE
    at: datetime | None = None  # ANSWER: answered, SENT: sent, INTERCEPTION: stopped
    score: int | None = None  # ANSWER
    queue: str | None = None  # ANSWER: the case's queue when solved
    agent_id: str | None = None  # ANSWER: the case's assignee when solved; INTERCEPTION: whose reply
    channel: str | None = None  # ANSWER


@dataclass(frozen=True)
class CountedRecord:
    """What the counters hold of an item: the version counted, its tally (as a document) and how often the record
    was written (the condition of its next write)."""

    version: int
    tally: Mapping[str, object] | None
    writes: int


@dataclass(frozen=True)
class RecordWrite:
    """An item's record replaced, conditional on the one read (`before`, None: there was none)."""

    source: CountedSource
    before: CountedRecord | None
    tally: Mapping[str, object] | None


@dataclass(frozen=True)
class DayCounts:
    """A tenant's counters of one local day (or of a whole local month, from its first day), as read back: counts
    and subject tallies by name."""

    day: date
    counts: dict[str, int] = field(default_factory=dict)
    subjects: dict[str, int] = field(default_factory=dict)
    whole_month: bool = False


OTHER_SUBJECTS = "subject_other"  # where a day's subjects go once its subject slots are full
MONTH_SUBJECT_SLOTS = 200  # distinct subjects a month row names; the others count as OTHER_SUBJECTS


def merge_counts(current: Mapping[str, int], moves: Mapping[str, int], slots: int | None = None) -> dict[str, int]:
    """A row's counters after `moves`, zeros left out. With `slots` (a month's subjects) a name new to a row that
    names `slots` already is added to OTHER_SUBJECTS, and what a name does not hold is taken from there: sums stay
    exact, a named count never goes below zero, only the name a unit is tallied under may differ from the days'."""
    merged = {name: n for name, n in current.items() if n}
    for name, n in moves.items():
        if slots is None or name == OTHER_SUBJECTS:
            taken = {name: n}
        elif n > 0:
            named = len(merged) - (OTHER_SUBJECTS in merged)
            taken = {name: n} if name in merged or named < slots else {OTHER_SUBJECTS: n}
        else:
            held = min(-n, merged.get(name, 0))
            taken = {name: -held, OTHER_SUBJECTS: n + held}
        for key, value in taken.items():
            merged[key] = merged.get(key, 0) + value
            if not merged[key]:
                del merged[key]
    return dict(sorted(merged.items()))


@dataclass(frozen=True)
class Tally:
    """What one source item adds: counts on a day, and the subject it tallies there (if any)."""

    day: str  # ISO local date
    counts: Mapping[str, int]
    subject: str = ""  # its subject's tally name ("subject:<text>"), "" for none
    subject_other: bool = False  # the day's subject slots were full: tallied as OTHER_SUBJECTS
    in_months: bool = True  # counted into its month's rows too (records written before month rows: not)

    @property
    def subject_slot(self) -> str:
        """The name the subject is tallied under in the day's subjects row ("" for none)."""
        return OTHER_SUBJECTS if self.subject and self.subject_other else self.subject

    def to_document(self) -> dict[str, object]:
        document = {"day": self.day, "counts": dict(self.counts), "subject": self.subject, "other": self.subject_other}
        return document | {"months": self.in_months}

    @staticmethod
    def from_document(document: Mapping[str, object]) -> Tally:
        counts = document.get("counts") or {}
        assert isinstance(counts, dict)
        subject, other = str(document.get("subject", "")), bool(document.get("other", False))
        in_months = bool(document.get("months", False))
        return Tally(str(document["day"]), {str(k): int(v) for k, v in counts.items()}, subject, other, in_months)
