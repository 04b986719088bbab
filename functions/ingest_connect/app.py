"""Amazon Connect contact events and Contact Lens transcripts (EventBridge rules → SQS) → messages on the caller's
case (channel `phone`)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.channels.phone.contact_lens import CallNotStoredYet
from omnicase.domain.errors import RejectedInput
from omnicase.observability import handler_logger, handler_metrics, traced
from omnicase.wiring import channel_intake

logger = handler_logger("ingest_connect")
metrics = handler_metrics("ingest_connect")


@metrics.log_metrics
@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Partial batch failures: what failed comes again, then waits in the failure queue for `omnicase replay`.

    A refused event (an instance no tenant has yet, a malformed one) fails too, so the queue keeps it and moves it
    to the failure queue once (its redrive policy): nothing is written, and replaying it after the tenant's endpoint
    is added stores the call. It is logged and counted on its first receipt only.
    """
    failures = []
    for record in event.get("Records") or []:
        message_id = str(record.get("messageId", ""))
        try:
            _receive(json.loads(record.get("body") or "null"))
        except (RejectedInput, ValueError) as refused:
            _refused(refused, message_id, record)
            failures.append({"itemIdentifier": message_id})
        except CallNotStoredYet as waiting:  # a transcript before its call: the queue brings it again
            logger.info("transcript waits for its call", extra={"sqs_message_id": message_id, "problem": str(waiting)})
            failures.append({"itemIdentifier": message_id})
        except Exception:
            logger.exception("contact event failed", extra={"sqs_message_id": message_id})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


def _receive(body: object) -> None:
    if isinstance(body, dict) and body.get("source") == "aws.s3":
        _receive_transcript(body)
        return
    receipt = channel_intake("phone").receive_contact_event(body)
    if receipt.outcome is None:
        metrics.add_metric(name="ConnectEventsIgnored", unit=MetricUnit.Count, value=1)
        return
    outcome = receipt.outcome
    logger.set_correlation_id(outcome.case_id)
    logger.info(
        "call stored",
        extra={
            "case_id": outcome.case_id,
            "duplicate": outcome.duplicate,
            "outcome": receipt.call.outcome if receipt.call else None,
        },
    )
    metrics.add_metric(name="CallsDuplicate" if outcome.duplicate else "CallsStored", unit=MetricUnit.Count, value=1)


def _receive_transcript(body: dict[str, Any]) -> None:
    receipt = channel_intake("phone").receive_transcript_event(body)
    if receipt.outcome is None:
        logger.info("analysis file skipped", extra={"reason": receipt.ignored})
        metrics.add_metric(name="TranscriptsIgnored", unit=MetricUnit.Count, value=1)
        return
    outcome = receipt.outcome
    logger.set_correlation_id(outcome.case_id)
    logger.info("transcript stored", extra={"case_id": outcome.case_id, "duplicate": outcome.duplicate})
    name = "TranscriptsDuplicate" if outcome.duplicate else "TranscriptsStored"
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def _refused(refused: Exception, message_id: str, record: dict[str, Any]) -> None:
    receives = str((record.get("attributes") or {}).get("ApproximateReceiveCount") or "1")
    reason = getattr(refused, "reason", "malformed")
    extra = {"sqs_message_id": message_id, "reason": reason, "problem": str(refused), "receives": receives}
    if receives != "1":
        logger.info("contact event refused again; it stays for replay", extra=extra)
        return
    logger.warning("contact event refused: kept for replay (the failure queue)", extra=extra)
    metrics.add_metric(name="ConnectEventsRefused", unit=MetricUnit.Count, value=1)
