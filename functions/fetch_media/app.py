"""Customers' media from the change feed → the mail bucket: new inbound messages whose files are still only at the
provider (MMS, WeChat, chat) are fetched, size-capped and type-checked, and recorded on the message."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.attachments.fetch_media import pending_media
from omnicase.observability import handler_logger, handler_metrics, traced
from omnicase.persistence.stream_images import message_from_stream_image
from omnicase.stream_batch import StreamRecord, process_stream_batch
from omnicase.wiring import media_fetcher

logger = handler_logger("fetch_media")
metrics = handler_metrics("fetch_media")


def fetch_record(record: StreamRecord) -> None:
    """One stream record: a new inbound message with media at the provider has it stored."""
    if record.get("eventName") != "INSERT":
        return
    message = message_from_stream_image(record["dynamodb"].get("NewImage"))
    if message is None or not pending_media(message):
        return
    logger.set_correlation_id(message.case_id)
    stored = media_fetcher().store(message)
    metrics.add_metric(name="MediaStored", unit=MetricUnit.Count, value=stored)
    logger.info("media fetched", extra={"message_id": message.message_id, "stored": stored})


@metrics.log_metrics
@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Partial batch failures: a transient fetch failure comes back, then goes to the failure queue."""
    return process_stream_batch(event, fetch_record)
