"""GET /reports/sla/daily: the SLA report day by day (days in the tenant's time zone).

Each day is the report of that day's counters (reports/day_counts.py) — what GET /reports/sla sums over a window —
so a day's figures equal the report asked for that day; the window's counter rows are read in one Query.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from omnicase.console_api.local_days import day_start, each_day, local_days
from omnicase.reports.count_changes import ReportCounters
from omnicase.reports.day_counts import report_from_days
from omnicase.reports.sla_report import CSAT_SCORES, Rate, SlaReport
from omnicase.wiring import tenant_configs

MAX_DAYS = 92


def daily_sla_report(
    tenant_id: str, params: Mapping[str, str], now: datetime | None = None, counters: ReportCounters | None = None
) -> dict[str, Any]:
    """?from=&to= (local dates, to exclusive, ≤ 92 days; default the last 7): {"from", "to", "time_zone", "days"}."""
    from omnicase.persistence.report_counters import DynamoReportCounters

    config = tenant_configs().config_for(tenant_id)
    zone = config.time_zone
    first, last = local_days(params, zone, now or datetime.now(UTC), MAX_DAYS)
    rows = {row.day: row for row in (counters or DynamoReportCounters()).days(tenant_id, first, last)}
    reports = [
        report_from_days(
            [rows[day]] if day in rows else [], day_start(day, zone), day_start(day + timedelta(1), zone), config.report
        )
        for day in each_day(first, last)
    ]
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "time_zone": zone,
        "days": [_day(day, report) for day, report in zip(each_day(first, last), reports, strict=True)],
    }


def _day(day: date, report: SlaReport) -> dict[str, Any]:
    share = report.csat.share_4_5
    return {
        "date": day.isoformat(),
        "cases": report.cases,
        "chat_answer_rate": _rate(report.chat_answer_30s),
        "ticket_response_rate": _rate(report.ticket_first_response_30min),
        "callback_rate": _rate(report.callback_3d),
        "key_complaint_callback_rate": _rate(report.key_complaint_callback_3d),
        "low_score_callback_rate": _rate(report.low_score_callback_3d),
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
