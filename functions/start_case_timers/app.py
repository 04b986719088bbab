"""Case changes (change feed) → an escalation execution whenever a case's next deadline has nobody waiting for it."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.escalation.timer_metrics import record_case_opened
from omnicase.observability import handler_logger, traced
from omnicase.persistence.stream_images import case_from_stream_image
from omnicase.stream_batch import StreamRecord, process_stream_batch
from omnicase.wiring import timer_starter

logger = handler_logger("start_case_timers")


def start_record(record: StreamRecord) -> None:
    case = case_from_stream_image(record["dynamodb"].get("NewImage"))
    if case is None or case.service.next_deadline is None:
        return  # nothing to wake for (the starter reads the current case and its timer before deciding)
    started = timer_starter().on_case_changed(case.tenant_id, case.case_id)
    if started:
        logger.info("escalation execution started", extra={"case_id": case.case_id, "execution": started})
    if record.get("eventName") == "INSERT":
        record_case_opened()  # here every new case passes, whatever opened it; after the start, so a retry counts once


@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_stream_batch(event, start_record)
