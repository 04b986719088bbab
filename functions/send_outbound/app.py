"""The transactional outbox: queued outbound messages from the change feed → their channel, status recorded."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.domain.deliver_outbound import deliver_outbound, is_queued_outbound
from omnicase.observability import handler_logger, handler_metrics, traced
from omnicase.persistence.stream_images import message_from_stream_image
from omnicase.stream_batch import StreamRecord, process_stream_batch
from omnicase.wiring import delivery_recorder, outbound_senders, tenant_directory

logger = handler_logger("send_outbound")
metrics = handler_metrics("send_outbound")


def send_record(record: StreamRecord) -> None:
    """One stream record: send it when it is a newly queued outbound message (the change-feed rule says the same)."""
    if record.get("eventName") != "INSERT":
        return
    message = message_from_stream_image(record["dynamodb"].get("NewImage"))
    if message is None or not is_queued_outbound(message):
        return
    logger.set_correlation_id(message.case_id)
    tenant = tenant_directory().tenant(message.tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {message.tenant_id} of case {message.case_id} is unknown")
    status = deliver_outbound(message, tenant, outbound_senders(), delivery_recorder())
    metrics.add_metric(name=f"Outbound{status.value.capitalize()}", unit=MetricUnit.Count, value=1)
    logger.info("outbound message delivered", extra={"message_id": message.message_id, "status": status.value})


@metrics.log_metrics
@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Partial batch failures: a failed message comes back, then goes to the failure queue."""
    return process_stream_batch(event, send_record)
