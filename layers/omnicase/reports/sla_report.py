"""The SLA report of a tenant over a window: pure figures from cases, survey answers and interceptions.

Definitions (every figure is over the cases CREATED in the window):

- window: [start, end) in UTC; `end` is exclusive.
- thresholds: the tenant's `report` settings (ReportPolicy), by default 30 s, 30 min and 3 days; the figures keep
  the seed's names (`chat_answer_30s`, …) whatever they are set to, and the report says which were used.
- chat answer rate 30 s: chat cases whose first agent response (service.first_response_at) came at most 30 s after
  the case was created / all chat cases. A case never answered counts as not answered.
- ticket first-response rate 30 min: the same for every other channel (email, sms, wechat) within 30 min,
  wall-clock (business hours are not taken into account).
- callback rate 3 d: callback cases (tagged `callback`) that reached their customer within 3 days of creation / all
  callback cases. Reached (service.customer_reached_at) = the first call logged as reached, or the first message
  the customer wrote on the callback case; an agent's written reply alone is not a callback. Split by why the
  callback case was opened: `key_complaint_callback_3d` (a solved case tagged with the tenant's key-complaint tag,
  重点客诉) and `low_score_callback_3d` (a low survey score; also callback cases without a kind: tagged by hand or
  opened before kinds were recorded); `callback_3d` also counts the callbacks of missed phone calls (kind
  `missed_call`). `key_complaints` counts the cases tagged `key-complaint` created in the window.
- breaches by queue: cases with at least one breached SLA clock (service.breached), by case.queue; a case the
  customer solved with an article (self-served) is not counted.
- escalations by queue: cases with service.escalation_level > 0, by case.queue; `escalation_levels` counts the
  cases at each level reached (1, 2, ...).
- CSAT: survey scores 1..5 answered in the window; share 4-5 = answers of 4 or 5 / all answers (None when there
  are none), with the full 1..5 distribution. Scores outside 1..5 are ignored.
- interceptions by agent: as counted by the Interceptions port over the window.
- top tags: the 10 most frequent case tags (a tag counts once per case).
- top subjects: the 10 most frequent subjects after normalisation — reply/forward prefixes (Re:, Fwd:, 回复:, 转发:
  ...) and [#CASEID] tokens removed, whitespace collapsed, case-insensitive. Cases without a subject (chat, SMS,
  WeChat: "(no subject)") are left out.

Each rate is numerator / denominator, rounded to 4 decimals, None when the denominator is 0. Ties in the top lists
go by count, then alphabetically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from omnicase.domain.answered_survey import SurveyAnswer
from omnicase.domain.case_token import NO_SUBJECT, clean_subject
from omnicase.domain.channel_traits import traits_of
from omnicase.domain.model import Case
from omnicase.domain.report_policy import ReportPolicy

CALLBACK_TAG = "callback"
KEY_COMPLAINT_CALLBACK = "key_complaint"  # callback_case.KEY_COMPLAINT: the kind of a key complaint's callback
LOW_SCORE_CALLBACKS = ("low_score", None)  # callback_case.LOW_SCORE, and callback cases without a kind
KEY_COMPLAINT_TAG = "key-complaint"
TOP = 10
CSAT_SCORES = (1, 2, 3, 4, 5)


class SurveyAnswers(Protocol):
    def between(self, tenant_id: str, start: datetime, end: datetime) -> Sequence[SurveyAnswer | int]:
        """Survey answers given in [start, end)."""
        ...

    def sent_between(self, tenant_id: str, start: datetime, end: datetime) -> int:
        """Surveys sent in [start, end)."""
        ...


class Interceptions(Protocol):
    def count_by_agent(self, tenant_id: str, start: datetime, end: datetime) -> dict[str, int]:
        """Interceptions in [start, end) by agent."""
        ...


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return round(self.numerator / self.denominator, 4) if self.denominator else None


@dataclass(frozen=True)
class Csat:
    share_4_5: Rate
    distribution: dict[int, int]  # score 1..5 → answers, every score present
    by_queue: dict[str, Rate] = field(default_factory=dict)
    by_agent: dict[str, Rate] = field(default_factory=dict)
    by_channel: dict[str, Rate] = field(default_factory=dict)
    by_day: dict[str, Rate] = field(default_factory=dict)  # local date (the tenant's zone) → share of 4–5 (the trend)
    response: Rate = Rate(0, 0)  # surveys answered / surveys sent in the window


@dataclass(frozen=True)
class SlaReport:
    start: datetime
    end: datetime
    cases: int
    chat_answer_30s: Rate
    ticket_first_response_30min: Rate
    callback_3d: Rate
    key_complaint_callback_3d: Rate
    low_score_callback_3d: Rate
    key_complaints: int
    breaches_by_queue: dict[str, int]
    escalations_by_queue: dict[str, int]
    escalation_levels: dict[int, int]  # level reached → cases
    csat: Csat
    interceptions_by_agent: dict[str, int]
    top_tags: list[tuple[str, int]]
    top_subjects: list[tuple[str, int]]
    thresholds: ReportPolicy = field(default_factory=ReportPolicy)


def build_sla_report(
    cases: Iterable[Case],
    surveys: Sequence[SurveyAnswer | int],
    interceptions: dict[str, int],
    start: datetime,
    end: datetime,
    surveys_sent: int | None = None,
    zone: str = "UTC",
    thresholds: ReportPolicy | None = None,
) -> SlaReport:
    """The report of the cases created in [start, end) (others passed in are ignored); CSAT days in `zone`."""
    window = [c for c in cases if c.created_at is not None and start <= c.created_at < end]
    chat = [c for c in window if traits_of(c.channel).live]
    tickets = [c for c in window if not traits_of(c.channel).live]
    limits = thresholds or ReportPolicy()
    callbacks = [c for c in window if CALLBACK_TAG in c.service.tags]
    key_callbacks = [c for c in callbacks if is_key_complaint_callback(c)]
    escalated = [c for c in window if c.service.escalation_level > 0]
    return SlaReport(
        start=start,
        end=end,
        cases=len(window),
        chat_answer_30s=_answered_within(chat, limits.chat_answer_within),
        ticket_first_response_30min=_answered_within(tickets, limits.ticket_response_within),
        callback_3d=_reached_within(callbacks, limits.callback_within),
        key_complaint_callback_3d=_reached_within(key_callbacks, limits.callback_within),
        low_score_callback_3d=_reached_within(
            [c for c in callbacks if is_low_score_callback(c)], limits.callback_within
        ),
        key_complaints=sum(1 for c in window if KEY_COMPLAINT_TAG in c.service.tags),
        breaches_by_queue=_sorted(Counter(c.queue for c in window if c.service.breached and not c.service.self_served)),
        escalations_by_queue=_sorted(Counter(c.queue for c in escalated)),
        escalation_levels=dict(sorted(Counter(c.service.escalation_level for c in escalated).items())),
        csat=_csat(surveys, surveys_sent, zone),
        interceptions_by_agent=_sorted(Counter({a: n for a, n in interceptions.items() if n})),
        top_tags=top_counts(Counter(tag for c in window for tag in set(c.service.tags))),
        top_subjects=top_counts(Counter(s for s in (normalize_subject(c.subject) for c in window) if s)),
        thresholds=limits,
    )


def is_key_complaint_callback(case: Case) -> bool:
    return case.service.callback_kind == KEY_COMPLAINT_CALLBACK


def is_low_score_callback(case: Case) -> bool:
    return case.service.callback_kind in LOW_SCORE_CALLBACKS


def reached_within(case: Case, limit: timedelta) -> bool:
    """A callback case reached its customer (a reached call, their written answer) within `limit` of its creation."""
    reached = case.service.customer_reached_at
    return case.created_at is not None and reached is not None and reached - case.created_at <= limit


def normalize_subject(subject: str) -> str:
    """The subject that recurs: no reply prefixes or case tokens, whitespace collapsed, lower case; "" for none."""
    cleaned = " ".join(clean_subject(subject).split()).casefold()
    return "" if cleaned == NO_SUBJECT else cleaned


def report_to_dict(report: SlaReport) -> dict[str, Any]:
    """The report as JSON (the API's answer and `omnicase report --json`)."""
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "cases": report.cases,
        "chat_answer_30s": _rate_dict(report.chat_answer_30s),
        "ticket_first_response_30min": _rate_dict(report.ticket_first_response_30min),
        "callback_3d": _rate_dict(report.callback_3d),
        "key_complaint_callback_3d": _rate_dict(report.key_complaint_callback_3d),
        "low_score_callback_3d": _rate_dict(report.low_score_callback_3d),
        "key_complaints": report.key_complaints,
        "breaches_by_queue": report.breaches_by_queue,
        "escalations_by_queue": report.escalations_by_queue,
        "escalation_levels": {str(level): n for level, n in report.escalation_levels.items()},
        "csat": {
            "answers": report.csat.share_4_5.denominator,
            "share_4_5": _rate_dict(report.csat.share_4_5),
            "distribution": {str(score): n for score, n in report.csat.distribution.items()},
            "by_queue": {k: _rate_dict(v) for k, v in report.csat.by_queue.items()},
            "by_agent": {k: _rate_dict(v) for k, v in report.csat.by_agent.items()},
            "by_channel": {k: _rate_dict(v) for k, v in report.csat.by_channel.items()},
            "by_day": {k: _rate_dict(v) for k, v in report.csat.by_day.items()},
            "response_rate": _rate_dict(report.csat.response),
        },
        "interceptions_by_agent": report.interceptions_by_agent,
        "top_tags": [{"tag": tag, "count": n} for tag, n in report.top_tags],
        "top_subjects": [{"subject": subject, "count": n} for subject, n in report.top_subjects],
        "thresholds": {
            "chat_answer_within_s": int(report.thresholds.chat_answer_within.total_seconds()),
            "ticket_response_within_s": int(report.thresholds.ticket_response_within.total_seconds()),
            "callback_within_s": int(report.thresholds.callback_within.total_seconds()),
        },
    }


def _answered_within(cases: list[Case], limit: timedelta) -> Rate:
    answered = sum(
        1
        for c in cases
        if c.created_at is not None
        and c.service.first_response_at is not None
        and c.service.first_response_at - c.created_at <= limit
    )
    return Rate(answered, len(cases))


def _reached_within(cases: list[Case], limit: timedelta) -> Rate:
    return Rate(sum(1 for c in cases if reached_within(c, limit)), len(cases))


def _csat(surveys: Sequence[SurveyAnswer | int], sent: int | None, zone: str) -> Csat:
    answers = [a if isinstance(a, SurveyAnswer) else SurveyAnswer(a, datetime.min) for a in surveys]
    answers = [a for a in answers if a.score in CSAT_SCORES]
    counts = Counter(a.score for a in answers)
    answered = len(answers)
    return Csat(
        _share_4_5(answers),
        {score: counts[score] for score in CSAT_SCORES},
        by_queue=_csat_by(answers, lambda a: a.queue),
        by_agent=_csat_by(answers, lambda a: a.assignee),
        by_channel=_csat_by(answers, lambda a: a.channel),
        by_day=_csat_by(answers, lambda a: _day_in(a.answered_at, zone)),
        response=Rate(min(answered, sent), sent) if sent is not None else Rate(0, 0),
    )


def _share_4_5(answers: list[SurveyAnswer]) -> Rate:
    return Rate(sum(1 for a in answers if a.score >= 4), len(answers))


def _csat_by(answers: list[SurveyAnswer], key: Callable[[SurveyAnswer], str | None]) -> dict[str, Rate]:
    groups: dict[str, list[SurveyAnswer]] = {}
    for answer in answers:
        if (name := key(answer)) is not None:
            groups.setdefault(name, []).append(answer)
    return {name: _share_4_5(group) for name, group in sorted(groups.items())}


def _sorted(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items()))


def _day_in(at: datetime, zone: str) -> str | None:
    return at.astimezone(ZoneInfo(zone)).date().isoformat() if at != datetime.min else None


def top_counts(counts: Counter[str]) -> list[tuple[str, int]]:
    """The TOP most frequent, by count then alphabetically."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP]


def _rate_dict(rate: Rate) -> dict[str, Any]:
    return {"numerator": rate.numerator, "denominator": rate.denominator, "rate": rate.rate}
