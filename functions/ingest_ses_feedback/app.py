"""SES bounce / complaint / delivery notifications (via SNS) → the delivery status of the outbound message."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.channels.email.ses_feedback import is_feedback, parse_feedback
from omnicase.domain.record_feedback import Feedback, FeedbackOutcome
from omnicase.observability import handler_logger, handler_metrics, traced
from omnicase.wiring import feedback_recorder

logger = handler_logger("ingest_ses_feedback")
metrics = handler_metrics("ingest_ses_feedback")

_METRICS = {"recorded": "SesFeedbackRecorded", "unchanged": "SesFeedbackUnchanged", "ignored": "SesFeedbackIgnored"}


@metrics.log_metrics
@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """One SNS record per invocation. Feedback about mail that is not ours is ignored, not failed (SNS would retry
    it for nothing); a malformed notification raises, so it ends in the dead-letter queue for a person to see."""
    results = []
    for record in event["Records"]:
        feedback = _feedback(record["Sns"])
        if feedback is not None:
            results.append(_reported(feedback, feedback_recorder().record(feedback, now=datetime.now(UTC))))
    return {"results": results}


def _feedback(sns: dict[str, Any]) -> Feedback | None:
    """The bounce, complaint or delivery the SNS message carries; None (counted) for SES's other notices."""
    payload = json.loads(sns["Message"])
    if not is_feedback(payload):
        logger.info("skipping a non-feedback SES notification", extra={"sns_message_id": sns["MessageId"]})
        metrics.add_metric(name="SesNotificationsSkipped", unit=MetricUnit.Count, value=1)
        return None
    return parse_feedback(payload)


def _reported(feedback: Feedback, outcome: FeedbackOutcome) -> dict[str, Any]:
    """Logged, counted and answered."""
    fields = {
        "kind": feedback.kind.value,
        "result": outcome.result,
        "reason": outcome.reason,
        "case_id": outcome.case_id,
        "message_id": outcome.message_id,
    }
    if outcome.case_id:
        logger.set_correlation_id(outcome.case_id)
    logger.info("ses feedback", extra={**fields, "ses_message_id": feedback.ses_message_id})
    metrics.add_metric(name=_METRICS[outcome.result], unit=MetricUnit.Count, value=1)
    return {**fields, "status": outcome.status.value if outcome.status else None}
