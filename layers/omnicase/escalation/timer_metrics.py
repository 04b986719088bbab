"""EMF metrics of the SLA clock: what the timers fired, by queue and priority (the dashboards' breakdown) and once
more stack-wide, with the cases opened, so one alarm can divide breaches by cases (the SLA breach rate)."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from omnicase.domain.case_events import CaseEvent
from omnicase.domain.model import Case
from omnicase.observability import metrics_namespace

METRIC_OF_EVENT = {"sla_warning": "SlaWarnings", "sla_breached": "SlaBreaches", "escalated": "Escalations"}
CASES_OPENED = "CasesOpened"
# The stack-wide series carry only this dimension: alarms need one series each, and queues are tenant data.
STACK_WIDE = {"service": "omnicase"}


def record_timer_metrics(case: Case, events: list[CaseEvent]) -> None:
    """Count each warning, breach and escalation by the case's queue and priority, and stack-wide."""
    for event in events:
        name = METRIC_OF_EVENT.get(event.kind)
        if name is None:
            continue
        _count(name, {**STACK_WIDE, "queue": case.queue, "priority": case.priority.value})
        _count(name, STACK_WIDE)


def record_case_opened() -> None:
    """Count a case opened with its SLA clock running: the denominator of the SLA breach rate."""
    _count(CASES_OPENED, STACK_WIDE)


def _count(name: str, dimensions: dict[str, str]) -> None:
    # default_dimensions, not add_dimension: the service dimension is then the same with or without
    # POWERTOOLS_SERVICE_NAME in the environment.
    with single_metric(
        name=name, unit=MetricUnit.Count, value=1, namespace=metrics_namespace(), default_dimensions=dimensions
    ):
        pass
