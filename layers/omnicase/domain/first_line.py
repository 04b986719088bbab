"""The one line an inbox row shows for a case: its subject, or the first line the customer wrote."""

from __future__ import annotations

from omnicase.domain.case_token import NO_SUBJECT
from omnicase.domain.model import Case

MAX_FIRST_LINE = 140


def first_line_of(subject: str, body: str) -> str:
    """The subject when there is one, else the body's first non-blank line; whitespace collapsed, ≤ 140 chars."""
    if subject.strip() and subject.strip() != NO_SUBJECT:
        return " ".join(subject.split())[:MAX_FIRST_LINE]
    line = next((line for line in body.splitlines() if line.strip()), "")
    return " ".join(line.split())[:MAX_FIRST_LINE]


def case_first_line(case: Case) -> str:
    """The stored first line; cases from before it was stored fall back to their subject."""
    return case.first_line or first_line_of(case.subject, "")
