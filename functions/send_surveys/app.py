"""Every few minutes (EventBridge): the next step of each due survey — send, remind, skip or expire — until the
batch is done or the invocation nears its timeout (what is left stays due for the next run)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.observability import handler_logger, traced
from omnicase.wiring import survey_sending

logger = handler_logger("send_surveys")
STOP_BEFORE_TIMEOUT_MS = 10_000  # one survey's step (a few reads and a transaction) fits in far less


@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    outcomes = survey_sending().run(
        clock=lambda: datetime.now(UTC),
        keep_going=lambda: context.get_remaining_time_in_millis() > STOP_BEFORE_TIMEOUT_MS,
    )
    logger.info("surveys stepped", extra={"outcomes": dict(outcomes)})
    return dict(outcomes)
