"""The follow-up satisfaction survey of a solved case, as plain data (one per case)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from omnicase.domain.model import Channel


class SurveyStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # waits for due_at to be sent
    SENT = "sent"  # waits for an answer (or the reminder at due_at)
    REMINDED = "reminded"  # the one reminder went out; waits for an answer until the token expires
    ANSWERED = "answered"
    SKIPPED = "skipped"  # never sent: opted out, customer cap, nobody to ask (skipped_reason says which)
    EXPIRED = "expired"


WAITING = (SurveyStatus.SCHEDULED, SurveyStatus.SENT, SurveyStatus.REMINDED)


@dataclass
class Survey:
    tenant_id: str
    case_id: str
    channel: Channel
    contact: str  # where the case is answered: the survey goes there
    status: SurveyStatus
    due_at: datetime | None  # the next thing to do: send (scheduled) or remind (sent); None when nothing is
    nonce: str  # in the survey token: a token for another nonce (an older survey) is refused
    customer_id: str | None = None
    language: str = "en"
    queue: str | None = None  # the case's queue and assignee when it was solved: CSAT per queue and agent
    assignee: str | None = None
    solved_at: datetime | None = None
    sent_at: datetime | None = None
    expires_at: datetime | None = None  # the token's end
    reminded_at: datetime | None = None
    answered_at: datetime | None = None
    score: int | None = None  # 1..5
    comment: str = ""
    skipped_reason: str | None = None
    callback_case_id: str | None = None  # opened by a low score
    version: int | None = None
