"""SES receipt notification (via SNS) → a message on a case, or a quarantined raw mail."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.channels.email.ses_notification import SesReceivedNotification
from omnicase.observability import handler_logger, handler_metrics, traced
from omnicase.wiring import email_intake

if TYPE_CHECKING:
    from omnicase.channels.email.intake import EmailReceipt

logger = handler_logger("ingest_email")
metrics = handler_metrics("ingest_email")


@metrics.log_metrics
@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """One SNS record per invocation; a notification that is not a receipt (SES's setup test) is skipped."""
    results = []
    for record in event["Records"]:
        notification = _receipt_notification(record["Sns"])
        if notification is not None:
            results.append(_reported(email_intake().receive(notification)))
    return {"results": results}


def _receipt_notification(sns: dict[str, Any]) -> SesReceivedNotification | None:
    """The SES receipt the SNS message carries; None (counted) for SES's other notices."""
    payload = json.loads(sns["Message"])
    if payload.get("notificationType") != "Received":
        logger.info("skipping a non-receipt SES notification", extra={"sns_message_id": sns["MessageId"]})
        metrics.add_metric(name="SesNotificationsSkipped", unit=MetricUnit.Count, value=1)
        return None
    return SesReceivedNotification.model_validate(payload)


def _reported(receipt: EmailReceipt) -> dict[str, Any]:
    """Logged, counted and answered: the mail's case, or where it was quarantined and why."""
    if receipt.outcome is None:
        metrics.add_metric(name="EmailsQuarantined", unit=MetricUnit.Count, value=1)
        return {"quarantined": receipt.quarantined, "reason": receipt.reason}
    outcome = receipt.outcome
    logger.set_correlation_id(outcome.case_id)
    logger.info("mail stored", extra={"case_id": outcome.case_id, "duplicate": outcome.duplicate})
    metrics.add_metric(name="EmailsDuplicate" if outcome.duplicate else "EmailsStored", unit=MetricUnit.Count, value=1)
    if outcome.acknowledged:
        metrics.add_metric(name="AcknowledgementsSent", unit=MetricUnit.Count, value=1)
    return {"case_id": outcome.case_id, "message_id": outcome.message_id, "duplicate": outcome.duplicate}
