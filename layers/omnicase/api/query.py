"""Query-string parsing for case listings, with clear errors for bad values."""

from __future__ import annotations

from collections.abc import Mapping

from omnicase.channels.unicode_text import clean_line
from omnicase.domain.channel_traits import known_channels
from omnicase.domain.model import CaseStatus, Priority
from omnicase.domain.text_limits import check_agent_tags, check_agent_text
from omnicase.persistence.case_reader import CaseFilters

DEFAULT_PAGE = 25
MAX_PAGE = 100


def case_filters(params: Mapping[str, str]) -> CaseFilters:
    """Filters from ?status=&channel=&customer_id=&queue=&assignee=&priority=&breached=; bad values are a 400."""
    status, channel = params.get("status"), params.get("channel")
    if status is not None and status not in CaseStatus.__members__.values():
        raise ValueError(f"status must be one of {', '.join(s.value for s in CaseStatus)}")
    if channel is not None and channel not in known_channels():
        raise ValueError(f"channel must be one of {', '.join(known_channels())}")
    priority, breached = params.get("priority"), params.get("breached")
    if priority is not None and priority not in Priority.__members__.values():
        raise ValueError(f"priority must be one of {', '.join(p.value for p in Priority)}")
    if breached is not None and breached not in ("true", "false"):
        raise ValueError("breached must be true or false")
    return CaseFilters(
        status=status,
        channel=channel,
        customer_id=params.get("customer_id"),
        queue=params.get("queue"),
        assignee=params.get("assignee"),
        priority=priority,
        breached=None if breached is None else breached == "true",
    )


def page_limit(params: Mapping[str, str]) -> int:
    """?limit=, 1..100, default 25."""
    raw = params.get("limit", str(DEFAULT_PAGE))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise ValueError(f"limit must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


def merge_source(body: object) -> str:
    """The customer to merge from a body {"source_customer_id": "CU…"}."""
    source = body.get("source_customer_id") if isinstance(body, dict) else None
    if not isinstance(source, str) or not source.strip():
        raise ValueError('send {"source_customer_id": "<the customer to merge into this one>"}')
    return source.strip()


def customer_changes(body: object, known_accounts: set[str], known_agents: set[str]) -> dict[str, object]:
    """A PATCH body for a customer: any of display_name, tier, tags, key_account, dedicated_agent (null clears)."""
    fields = {"display_name", "tier", "tags", "key_account", "dedicated_agent"}
    if not isinstance(body, dict) or not body or set(body) - fields:
        raise ValueError(f"send a JSON object with any of {', '.join(sorted(fields))}")
    changes: dict[str, object] = {}
    for name, value in body.items():
        if name == "tags":
            if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
                raise ValueError("tags must be a list of non-empty strings")
            tags = list(dict.fromkeys(clean_line(t).lower() for t in value))
            check_agent_tags(tags)  # more than the limit is refused, never silently cut
            changes[name] = tags
        elif value is None:
            changes[name] = None
        elif not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string or null")
        else:
            changes[name] = check_agent_text(name, clean_line(value))
    if changes.get("key_account") and known_accounts and changes["key_account"] not in known_accounts:
        raise ValueError(f"unknown key account {changes['key_account']!r}")
    if changes.get("dedicated_agent") and known_agents and changes["dedicated_agent"] not in known_agents:
        raise ValueError(f"unknown agent {changes['dedicated_agent']!r}")
    return changes
