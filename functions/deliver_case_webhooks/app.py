"""Case webhooks: new case events from the change feed → the tenant's subscribed URLs, signed."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.domain.case_webhooks import deliver_case_webhooks
from omnicase.observability import handler_logger, handler_metrics, traced
from omnicase.persistence.stream_images import case_event_from_stream_image
from omnicase.stream_batch import StreamRecord, process_stream_batch
from omnicase.wiring import applied_configs, case_store, case_webhook_sender

logger = handler_logger("deliver_case_webhooks")
metrics = handler_metrics("deliver_case_webhooks")


def deliver_record(record: StreamRecord) -> None:
    """One stream record: post it when it is a new case event tenants hear about (the rule says INSERTs too)."""
    if record.get("eventName") != "INSERT":
        return
    event = case_event_from_stream_image(record["dynamodb"].get("NewImage"))
    if event is None:
        return
    logger.set_correlation_id(event.case_id)
    outcomes = deliver_case_webhooks(event, applied_configs(), case_store().get, case_webhook_sender())
    for outcome in outcomes:
        name = "CaseWebhookDelivered" if outcome.delivered else "CaseWebhookRefused"
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    if outcomes:
        logger.info("case webhooks posted", extra={"kind": event.kind, "targets": len(outcomes)})


@metrics.log_metrics
@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Partial batch failures: only a failed message comes back, then goes to the failure queue."""
    return process_stream_batch(event, deliver_record)
