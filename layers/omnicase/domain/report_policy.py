"""The SLA report's thresholds, apart from the rest of a tenant's configuration: the report functions need only
these (and importing the whole configuration's classes costs their cold start)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class ReportPolicy:
    """The SLA report's thresholds, wall-clock from the case's creation (the seed's 30 s / 30 min / 3 days).

    Counted into the daily counters as met / not met: a change applies to what is counted from then on, and
    `omnicase report rebuild` recounts the days before with it (reports/day_counts.py)."""

    chat_answer_within: timedelta = timedelta(seconds=30)  # a chat's first agent answer
    ticket_response_within: timedelta = timedelta(minutes=30)  # an email / SMS / WeChat case's first response
    callback_within: timedelta = timedelta(days=3)  # a callback case reached its customer (call or their answer)
