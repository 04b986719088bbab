"""Two-way SMS from AWS End User Messaging, delivered by SNS straight to this function (an AWS-internal path)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.observability import handler_logger, handler_metrics, traced
from omnicase.wiring import sms_intake

logger = handler_logger("ingest_sms")
metrics = handler_metrics("ingest_sms")


@metrics.log_metrics
@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """One SNS record per invocation; its Message is the two-way SMS JSON."""
    results = []
    for record in event["Records"]:
        sent = datetime.fromisoformat(record["Sns"]["Timestamp"].replace("Z", "+00:00"))
        outcome = sms_intake().receive_pinpoint(record["Sns"]["Message"], received_at=sent)
        logger.set_correlation_id(outcome.case_id)
        logger.info("sms stored", extra={"case_id": outcome.case_id, "duplicate": outcome.duplicate})
        metrics.add_metric(name="SmsDuplicate" if outcome.duplicate else "SmsStored", unit=MetricUnit.Count, value=1)
        results.append({"case_id": outcome.case_id, "message_id": outcome.message_id, "duplicate": outcome.duplicate})
    return {"results": results}
