"""GET /reports/sla?from=&to=: the tenant's SLA report over cases created in [from, to) (UTC)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from omnicase.reports.sla_report import Interceptions, SlaReport, SurveyAnswers, build_sla_report, report_to_dict

DEFAULT_DAYS = 7
MAX_WINDOW = timedelta(days=366)


def sla_report_view(
    tenant_id: str,
    params: Mapping[str, str],
    *,
    surveys: SurveyAnswers | None = None,
    interceptions: Interceptions | None = None,
) -> dict[str, Any]:
    """The report as JSON, its figures also emitted as EMF; a bad or too wide window is a ValueError (a 400)."""
    from omnicase.reports.report_metrics import emit_report_metrics

    report = load_sla_report(tenant_id, params, surveys=surveys, interceptions=interceptions)
    emit_report_metrics(tenant_id, report)
    return report_to_dict(report)


def load_sla_report(
    tenant_id: str,
    params: Mapping[str, str],
    *,
    surveys: SurveyAnswers | None = None,
    interceptions: Interceptions | None = None,
) -> SlaReport:
    """The report over the window of ?from=&to= (no metrics: `omnicase report` prints it)."""
    from omnicase.persistence.interception_store import DynamoInterceptionStore
    from omnicase.persistence.report_reader import cases_created_between
    from omnicase.persistence.survey_answers import DynamoSurveyAnswers

    start, end = report_window(params, datetime.now(UTC))
    answers = surveys or DynamoSurveyAnswers()
    return build_sla_report(
        cases_created_between(tenant_id, start, end),
        answers.between(tenant_id, start, end),
        (interceptions or DynamoInterceptionStore()).count_by_agent(tenant_id, start, end),
        start,
        end,
        surveys_sent=answers.sent_between(tenant_id, start, end),
    )


def report_window(params: Mapping[str, str], now: datetime) -> tuple[datetime, datetime]:
    """[from, to) from ?from=&to= (ISO dates or datetimes, UTC unless an offset is given).

    Defaults: `to` is the start of tomorrow (today included), `from` 7 days before `to`.
    """
    end = _parse(params, "to") or datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(), UTC)
    start = _parse(params, "from") or end - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise ValueError(f"from ({start.isoformat()}) must be before to ({end.isoformat()}); to is exclusive")
    if end - start > MAX_WINDOW:
        raise ValueError(f"the window from {start.date()} to {end.date()} is longer than {MAX_WINDOW.days} days")
    return start, end


def _parse(params: Mapping[str, str], name: str) -> datetime | None:
    raw = params.get(name)
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        example = "an ISO date (2026-11-01) or date-time (2026-11-01T08:00:00Z)"
        raise ValueError(f"{name} must be {example}, not {raw!r}") from error
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
