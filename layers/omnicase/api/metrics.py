"""EMF metrics the agent API emits, by queue and priority."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from omnicase.domain.model import Case, Message
from omnicase.observability import metrics_namespace


def record_first_response(case: Case, seconds: float) -> None:
    """Seconds from a case's creation to its first public reply (wall-clock)."""
    with single_metric(
        name="FirstResponseSeconds", unit=MetricUnit.Seconds, value=seconds, namespace=metrics_namespace()
    ) as metric:
        metric.add_dimension(name="queue", value=case.queue)
        metric.add_dimension(name="priority", value=case.priority.value)


def record_reply(case: Case, reply: Message) -> None:
    """FirstResponseSeconds when `reply` was the case's first response; later replies record nothing."""
    if case.created_at and case.service.first_response_at == reply.created_at:
        record_first_response(case, (reply.created_at - case.created_at).total_seconds())


def record_interception(case: Case, agent_id: str) -> None:
    """A reply blocked by the quality check, per agent (supervisors ask who)."""
    with single_metric(name="RepliesBlocked", unit=MetricUnit.Count, value=1, namespace=metrics_namespace()) as metric:
        metric.add_dimension(name="agent", value=agent_id)
