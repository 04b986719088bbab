"""A survey answer as the reports count it: its own module, so counting answers does not import answering them
(callbacks, routing) into the report functions' cold start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SurveyAnswer:
    """One survey answer, with where it came from (the case's queue, assignee and channel when solved)."""

    score: int
    answered_at: datetime
    queue: str | None = None
    assignee: str | None = None
    channel: str | None = None
