"""GET /reports/sla?from=&to=: the tenant's SLA report over the local days [from, to) (its time zone), summed from
the report counters (reports/day_counts.py): a year's report reads its whole months' rows and the days' rows at its
edges (at most ~120 items, each one packed attribute), whatever the number of cases. `scanned_sla_report` computes
the same from every case of the window (the check `omnicase report --scan` and the tests hold the counters to)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from omnicase.console_api.local_days import day_start, local_days
from omnicase.reports.count_changes import ReportCounters
from omnicase.reports.count_rules import CountRules, count_rules
from omnicase.reports.sla_report import SlaReport, report_to_dict

MAX_DAYS = 731  # two years: ~1,460 counter rows, a few 1 MB pages of one Query


def sla_report_view(
    tenant_id: str, params: Mapping[str, str], *, counters: ReportCounters | None = None
) -> dict[str, Any]:
    """The report as JSON, its figures also emitted as EMF; a bad or too wide window is a ValueError (a 400)."""
    from omnicase.reports.report_metrics import emit_report_metrics

    report = load_sla_report(tenant_id, params, counters=counters)
    emit_report_metrics(tenant_id, report)
    return report_to_dict(report)


def load_sla_report(
    tenant_id: str, params: Mapping[str, str], *, counters: ReportCounters | None = None, now: datetime | None = None
) -> SlaReport:
    """The report over the days of ?from=&to=, from the counters (no metrics: `omnicase report` prints it)."""
    from omnicase.persistence.report_counters import DynamoReportCounters
    from omnicase.reports.day_counts import report_from_days

    rules = _rules(tenant_id)
    zone = rules.zone
    first, last = report_days(params, zone, now or datetime.now(UTC))
    rows = (counters or DynamoReportCounters()).periods(tenant_id, first, last)
    return report_from_days(rows, day_start(first, zone), day_start(last, zone), rules.thresholds)


def scanned_sla_report(tenant_id: str, params: Mapping[str, str], now: datetime | None = None) -> SlaReport:
    """The same report computed from every case, answer and interception of the window (slow: a check)."""
    from omnicase.persistence.interception_store import DynamoInterceptionStore
    from omnicase.persistence.report_reader import cases_created_between
    from omnicase.persistence.survey_answers import DynamoSurveyAnswers
    from omnicase.reports.sla_report import build_sla_report

    rules = _rules(tenant_id)
    zone = rules.zone
    first, last = report_days(params, zone, now or datetime.now(UTC))
    start, end = day_start(first, zone), day_start(last, zone)
    answers = DynamoSurveyAnswers()
    return build_sla_report(
        cases_created_between(tenant_id, start, end),
        answers.between(tenant_id, start, end),
        DynamoInterceptionStore().count_by_agent(tenant_id, start, end),
        start,
        end,
        surveys_sent=answers.sent_between(tenant_id, start, end),
        zone=zone,
        thresholds=rules.thresholds,
    )


def report_days(params: Mapping[str, str], zone: str, now: datetime) -> tuple[date, date]:
    """[from, to) as local dates (defaults: the last 7 days, today included); a ValueError (400) says what is wrong.
    Days, not instants: the counters count whole days of the tenant's time zone."""
    return local_days(params, zone, now, MAX_DAYS)


def _rules(tenant_id: str) -> CountRules:
    from omnicase.wiring import tenant_configs

    return count_rules(tenant_configs().stored(tenant_id))
