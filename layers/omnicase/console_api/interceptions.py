"""GET /quality/interceptions: the replies the quality check stopped — what was written, where the banned phrases
are — with counts per agent and per day (days in the tenant's time zone)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from omnicase.console_api.local_days import day_start, local_days
from omnicase.domain.reply_quality import Interception
from omnicase.wiring import tenant_configs

MAX_DAYS = 92
LISTED = 500  # newest first; the counts cover the whole window


class Interceptions(Protocol):
    def between(self, tenant_id: str, start: datetime, end: datetime) -> list[Interception]: ...


def interceptions_report(
    tenant_id: str, params: Mapping[str, str], now: datetime | None = None, store: Interceptions | None = None
) -> dict[str, Any]:
    """?from=&to= (local dates, to exclusive, ≤ 92 days; default the last 7) and ?agent= (one agent only)."""
    from omnicase.persistence.interception_store import DynamoInterceptionStore

    zone = tenant_configs().stored(tenant_id).time_zone
    first, last = local_days(params, zone, now or datetime.now(UTC), MAX_DAYS)
    found = (store or DynamoInterceptionStore()).between(tenant_id, day_start(first, zone), day_start(last, zone))
    agent = params.get("agent")
    if agent:
        found = [i for i in found if i.agent_id == agent]
    local = ZoneInfo(zone)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "time_zone": zone,
        "interceptions": [_view(i) for i in reversed(found[-LISTED:])],
        "by_agent": dict(sorted(Counter(i.agent_id for i in found).items())),
        "by_day": dict(sorted(Counter(i.at.astimezone(local).date().isoformat() for i in found).items())),
    }


def _view(interception: Interception) -> dict[str, Any]:
    return {
        "at": interception.at.isoformat(),
        "case_id": interception.case_id,
        "agent_id": interception.agent_id,
        "channel": interception.channel,
        "phrase": interception.phrase,
        "text": interception.text,
        "spans": [list(span) for span in interception.spans],
    }
