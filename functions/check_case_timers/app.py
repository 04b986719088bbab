"""The escalation flow's check task: fire a case's due timers (warnings, breaches, escalations) and say when to
wake next."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.escalation.timer_check import TimerRequest
from omnicase.observability import handler_logger, handler_metrics
from omnicase.wiring import timer_check

logger = handler_logger("check_case_timers")
metrics = handler_metrics("check_case_timers")


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = TimerRequest.from_state(event)
    logger.set_correlation_id(request.case_id)
    outcome = timer_check().check(request, datetime.now(UTC))
    logger.info("timers checked", extra={"case_id": request.case_id, **outcome})
    return outcome
