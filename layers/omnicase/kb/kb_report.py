"""GET /kb/report: the knowledge base's figures over whole local days, from the daily report counters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from omnicase.console_api.local_days import local_days
from omnicase.kb.usage_counts import kb_report_from_days
from omnicase.reports.count_changes import ReportCounters

MAX_DAYS = 92


def kb_report(
    tenant_id: str, params: Mapping[str, str], now: datetime | None = None, counters: ReportCounters | None = None
) -> dict[str, Any]:
    """{"from", "to", "time_zone", "self_service": {rate, self_served, suggested, by_reply}, "solved_by_article",
    "canned_replies", "article_links"} over the cases created on those days."""
    from omnicase.persistence.report_counters import DynamoReportCounters
    from omnicase.wiring import tenant_configs

    zone = tenant_configs().stored(tenant_id).time_zone
    first, last = local_days(params, zone, now or datetime.now(UTC), MAX_DAYS)
    days = (counters or DynamoReportCounters()).periods(tenant_id, first, last)  # months where whole
    report = kb_report_from_days(days)
    return {"from": first.isoformat(), "to": last.isoformat(), "time_zone": zone, **report.to_dict()}
