"""The escalation flow's check task: fire a case's due timers (warnings, breaches, escalations) and say when to
wake next; and, called by the flow's Catch with `failed_check`, record on the case that its check kept failing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.escalation.timer_check import FailedCheck, TimerRequest
from omnicase.observability import handler_logger, handler_metrics, traced
from omnicase.wiring import timer_check

logger = handler_logger("check_case_timers")
metrics = handler_metrics("check_case_timers")


@metrics.log_metrics
@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failed = FailedCheck.from_state(event)
    request = failed.request if failed else TimerRequest.from_state(event)
    logger.set_correlation_id(request.case_id)
    if failed is not None:
        outcome = timer_check().record_failure(failed)
        logger.warning("timer check failed, recorded on the case", extra={"case_id": request.case_id, **outcome})
        return outcome
    outcome = timer_check().check(request, datetime.now(UTC))
    logger.info("timers checked", extra={"case_id": request.case_id, **outcome})
    return outcome
