"""What a tenant's counting depends on: its time zone (the counters' days) and its report thresholds (met or not)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from omnicase.domain.report_policy import ReportPolicy

if TYPE_CHECKING:  # the whole configuration's classes stay out of the counting function's cold start
    from omnicase.domain.tenant_config import TenantConfig


@dataclass(frozen=True)
class CountRules:
    zone: str = "UTC"
    thresholds: ReportPolicy = field(default_factory=ReportPolicy)


def count_rules(config: TenantConfig) -> CountRules:
    return CountRules(config.time_zone, config.report)
