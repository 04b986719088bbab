"""The SLA report's daily counters: cases, survey answers, sent surveys and interceptions (change feed), counted
exactly once whatever the order or the number of deliveries."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from omnicase.observability import handler_logger, traced
from omnicase.persistence.report_counters import DynamoReportCounters
from omnicase.reports.count_feed import count_change_batch
from omnicase.reports.count_rules import CountRules, count_rules
from omnicase.wiring import tenant_configs

logger = handler_logger("count_changes")


def rules_of(tenant_id: str) -> CountRules:
    """The tenant's time zone (its days are the counters' days) and report thresholds."""
    return count_rules(tenant_configs().stored(tenant_id))


@logger.inject_lambda_context
@traced
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Partial batch failures: what could not be counted comes again, then goes to the failure queue."""
    return count_change_batch(event, DynamoReportCounters(), rules_of)
