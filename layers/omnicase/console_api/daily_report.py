"""GET /reports/sla/daily: the SLA report day by day (days in the tenant's time zone).

Each day is `build_sla_report` over that day's window — the code of GET /reports/sla — so a day's figures equal the
report asked for that day; the window's cases and answers are read once and sorted into days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from omnicase.console_api.local_days import day_start, each_day, local_days
from omnicase.domain.model import Case
from omnicase.reports.sla_report import CSAT_SCORES, Rate, SlaReport, SurveyAnswer, SurveyAnswers, build_sla_report
from omnicase.wiring import tenant_configs

MAX_DAYS = 92


def daily_sla_report(
    tenant_id: str, params: Mapping[str, str], now: datetime | None = None, surveys: SurveyAnswers | None = None
) -> dict[str, Any]:
    """?from=&to= (local dates, to exclusive, ≤ 92 days; default the last 7): {"from", "to", "time_zone", "days"}."""
    from omnicase.persistence.report_reader import cases_created_between
    from omnicase.persistence.survey_answers import DynamoSurveyAnswers

    zone = tenant_configs().config_for(tenant_id).time_zone
    first, last = local_days(params, zone, now or datetime.now(UTC), MAX_DAYS)
    days = each_day(first, last)
    bounds = [day_start(d, zone) for d in [*days, last]]
    local = ZoneInfo(zone)
    cases: dict[date, list[Case]] = defaultdict(list)
    for case in cases_created_between(tenant_id, bounds[0], bounds[-1]):
        assert case.created_at is not None
        cases[case.created_at.astimezone(local).date()].append(case)
    answers: dict[date, list[SurveyAnswer | int]] = defaultdict(list)
    for answer in (surveys or DynamoSurveyAnswers()).between(tenant_id, bounds[0], bounds[-1]):
        if isinstance(answer, SurveyAnswer):
            answers[answer.answered_at.astimezone(local).date()].append(answer)
    reports = [
        build_sla_report(cases[day], answers[day], {}, start, end)
        for day, (start, end) in zip(days, pairwise(bounds), strict=True)
    ]
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "time_zone": zone,
        "days": [_day(day, report) for day, report in zip(days, reports, strict=True)],
    }


def _day(day: date, report: SlaReport) -> dict[str, Any]:
    share = report.csat.share_4_5
    return {
        "date": day.isoformat(),
        "cases": report.cases,
        "chat_answer_rate": _rate(report.chat_answer_30s),
        "ticket_response_rate": _rate(report.ticket_first_response_30min),
        "callback_rate": _rate(report.callback_3d),
        "csat": {
            "satisfied": share.numerator,
            "answers": share.denominator,
            "rate": share.rate,
            "distribution": {str(score): report.csat.distribution[score] for score in CSAT_SCORES},
        },
        "breaches_by_queue": report.breaches_by_queue,
        "escalations_by_queue": report.escalations_by_queue,
    }


def _rate(rate: Rate) -> dict[str, Any]:
    return {"met": rate.numerator, "total": rate.denominator, "rate": rate.rate}
