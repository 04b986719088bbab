"""The SLA report's figures as EMF metrics (the stack's namespace, dimension tenant), for dashboards and alarms.

Each rate is three metrics: <Name>Numerator and <Name>Denominator (Count) and, when there is a denominator,
<Name> as a Percent (the report's rate × 100). Figures by queue, agent, CSAT score and tag carry that as a second
dimension. Subjects are free text (unbounded, may hold personal data): they stay out of metrics.
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from omnicase.observability import metrics_namespace
from omnicase.reports.sla_report import Rate, SlaReport


def emit_report_metrics(tenant_id: str, report: SlaReport) -> None:
    _count(tenant_id, "ReportCases", report.cases)
    _rate(tenant_id, "ChatAnswerRate30s", report.chat_answer_30s)
    _rate(tenant_id, "TicketFirstResponseRate30min", report.ticket_first_response_30min)
    _rate(tenant_id, "CallbackRate3d", report.callback_3d)
    _rate(tenant_id, "KeyComplaintCallbackRate3d", report.key_complaint_callback_3d)
    _rate(tenant_id, "LowScoreCallbackRate3d", report.low_score_callback_3d)
    _count(tenant_id, "KeyComplaints", report.key_complaints)
    _rate(tenant_id, "CsatShare45", report.csat.share_4_5)
    _rate(tenant_id, "SurveyResponseRate", report.csat.response)
    for dimension, groups in (
        ("queue", report.csat.by_queue),
        ("agent", report.csat.by_agent),
        ("channel", report.csat.by_channel),
    ):
        for name, share in groups.items():
            if share.rate is not None:
                _emit(tenant_id, "CsatShare45", MetricUnit.Percent, round(share.rate * 100, 2), (dimension, name))
    for queue, n in report.breaches_by_queue.items():
        _count(tenant_id, "BreachedCases", n, ("queue", queue))
    for queue, n in report.escalations_by_queue.items():
        _count(tenant_id, "EscalatedCases", n, ("queue", queue))
    for level, n in report.escalation_levels.items():
        _count(tenant_id, "EscalatedCasesByLevel", n, ("level", str(level)))
    for score, n in report.csat.distribution.items():
        _count(tenant_id, "CsatAnswers", n, ("score", str(score)))
    for agent, n in report.interceptions_by_agent.items():
        _count(tenant_id, "Interceptions", n, ("agent", agent))
    for tag, n in report.top_tags:
        _count(tenant_id, "TaggedCases", n, ("tag", tag))


def _rate(tenant_id: str, name: str, rate: Rate) -> None:
    _count(tenant_id, f"{name}Numerator", rate.numerator)
    _count(tenant_id, f"{name}Denominator", rate.denominator)
    if rate.rate is not None:
        _emit(tenant_id, name, MetricUnit.Percent, round(rate.rate * 100, 2))


def _count(tenant_id: str, name: str, value: int, dimension: tuple[str, str] | None = None) -> None:
    _emit(tenant_id, name, MetricUnit.Count, value, dimension)


def _emit(tenant_id: str, name: str, unit: MetricUnit, value: float, dimension: tuple[str, str] | None = None) -> None:
    with single_metric(name=name, unit=unit, value=value, namespace=metrics_namespace()) as metric:
        metric.add_dimension(name="tenant", value=tenant_id)
        if dimension is not None:
            metric.add_dimension(name=dimension[0], value=dimension[1])
