"""EMF counts of refused files, by reason and channel (an attachment refused, an upload that never arrived)."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from omnicase.observability import metrics_namespace


def count_refusal(name: str, reason: str, channel: str) -> None:
    """One refusal: AttachmentsRefused for agents' files, MediaFetchFailed for customers' media."""
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=metrics_namespace()) as metric:
        metric.add_dimension(name="reason", value=reason)
        metric.add_dimension(name="channel", value=channel)
