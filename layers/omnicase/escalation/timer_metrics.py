"""EMF metrics of what the timers did, by queue and priority (the dashboards' breach and escalation counts)."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case

METRIC_OF_EVENT = {"sla_warning": "SlaWarnings", "sla_breached": "SlaBreaches", "escalated": "Escalations"}


def record_timer_metrics(case: Case, events: list[CaseEvent]) -> None:
    for event in events:
        name = METRIC_OF_EVENT.get(event.kind)
        if name is None:
            continue
        with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace="omnicase") as metric:
            metric.add_dimension(name="queue", value=case.queue)
            metric.add_dimension(name="priority", value=case.priority.value)
