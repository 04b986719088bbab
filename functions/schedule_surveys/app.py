"""Case changes (change feed) → a survey scheduled when a case becomes solved (once per case: redeliveries and
later solves find it there)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.domain.model import CaseStatus
from omnicase.observability import handler_logger, traced
from omnicase.persistence.stream_images import case_from_stream_image
from omnicase.stream_batch import StreamRecord, process_stream_batch
from omnicase.wiring import applied_configs, survey_store

logger = handler_logger("schedule_surveys")


def schedule_record(record: StreamRecord) -> None:
    change = record["dynamodb"]
    before = (change.get("OldImage") or {}).get("status", {}).get("S")
    case = case_from_stream_image(change.get("NewImage"))
    if case is None or case.status != CaseStatus.SOLVED or before == CaseStatus.SOLVED.value:
        return
    from omnicase.domain.survey_sending import schedule_survey  # only a solve pays for the survey rules

    survey = schedule_survey(case, applied_configs(), survey_store(), case.solved_at or datetime.now(UTC))
    if survey:
        logger.info("survey scheduled", extra={"case_id": case.case_id, "due_at": str(survey.due_at)})


@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_stream_batch(event, schedule_record)
