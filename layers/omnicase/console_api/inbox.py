"""GET /inbox: the console's work lists, open cases soonest deadline first (recently solved: newest first)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from omnicase.api.query import case_filters
from omnicase.console_api.cursors import CHANGE_KEY, DEADLINE_KEY, decode_cursor, encode_cursor
from omnicase.console_api.rows import inbox_rows
from omnicase.domain.attention import is_at_risk, queue_names, queues_of, warning_lead
from omnicase.domain.model import CaseStatus
from omnicase.domain.tenant_config import TenantConfig
from omnicase.persistence import keys
from omnicase.persistence.case_reader import CaseFilters
from omnicase.persistence.case_streams import Keyed, KeyRange, assigned_cases, changed_cases, open_cases
from omnicase.wiring import tenant_configs

VIEWS = ("mine", "unassigned", "queue", "breached", "at_risk", "pending", "solved")
DEFAULT_LIMIT = 100
MAX_LIMIT = 200
SOLVED_WITHIN = timedelta(days=30)  # "recently solved": older cases are found by search or GET /cases
MIN_QUEUE_PAGE = 25


@dataclass(frozen=True)
class InboxRequest:
    view: str
    queue: str | None
    filters: CaseFilters  # channel, priority, tag
    limit: int
    cursor: str | None

    @property
    def listing(self) -> str:
        """What a cursor belongs to: a cursor of one view (or queue) must not page another."""
        return f"inbox:{self.view}:{self.queue or ''}"


def inbox_request(params: Mapping[str, str]) -> InboxRequest:
    """?view=&queue=&channel=&priority=&tag=&limit=&next=; bad values are a ValueError (400)."""
    view = params.get("view") or "mine"
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    queue = params.get("queue") or None
    if view == "queue" and not queue:
        raise ValueError("view=queue needs queue=<name>")
    raw_limit = params.get("limit", str(DEFAULT_LIMIT))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise ValueError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    known = case_filters({name: params[name] for name in ("channel", "priority") if name in params})
    tag = (params.get("tag") or "").strip().lower() or None
    return InboxRequest(view, queue, replace(known, tag=tag), int(raw_limit), params.get("next") or None)


ANONYMOUS = "api"  # api.auth.actor_of's actor for a tenant-wide token without X-Omnicase-Agent


def read_inbox(tenant_id: str, actor: str, params: Mapping[str, str], now: datetime | None = None) -> dict[str, Any]:
    """One page of a view; `actor` (as actor_of names it) is whose inbox "mine" and "unassigned" are."""
    request = inbox_request(params)
    config = tenant_configs().config_for(tenant_id)
    agent_id = None if actor == ANONYMOUS else actor
    stream = _stream(tenant_id, agent_id, config, request, now or datetime.now(UTC))
    page = list(islice(stream, request.limit + 1))
    more = len(page) > request.limit
    return {
        "view": request.view,
        "cases": inbox_rows(tenant_id, [case for _, case in page[: request.limit]]),
        "next": encode_cursor(request.listing, page[request.limit - 1][0]) if more else None,
    }


def _stream(
    tenant_id: str, agent_id: str | None, config: TenantConfig, request: InboxRequest, now: datetime
) -> Iterator[Keyed]:
    view, filters = request.view, request.filters
    if view == "solved":
        after = decode_cursor(request.cursor, request.listing, CHANGE_KEY) if request.cursor else None
        since = keys.change_sk(now - SOLVED_WITHIN, "")
        span = KeyRange(low=since, high=after, skip=after, ascending=False)
        solved = replace(filters, status=CaseStatus.SOLVED.value)
        return changed_cases(tenant_id, span, solved, page_size=request.limit + 1)
    after = decode_cursor(request.cursor, request.listing, DEADLINE_KEY) if request.cursor else None
    if view == "mine":  # the agent's own index partition (gsi5): reads my cases only, in any queue
        if not agent_id:
            raise ValueError("view=mine needs an agent: use an agent's token (or X-Omnicase-Agent)")
        return assigned_cases(tenant_id, agent_id, filters, after=after, page_size=request.limit + 1)
    queues = queue_names(config)
    due_by = None
    if view == "unassigned":
        queues, filters = queues_of(config, agent_id), replace(filters, unassigned=True)
    elif view == "queue":
        queues = [request.queue or ""]
    elif view == "breached":
        filters = replace(filters, breached=True)
    elif view == "pending":
        filters = replace(filters, status=CaseStatus.PENDING.value)
    elif view == "at_risk":
        due_by = now + warning_lead(config)  # a key range: only cases due by then are read
    # Each queue reads a share of the page (at least MIN_QUEUE_PAGE) per request; busy queues page on lazily.
    page_size = min(request.limit + 1, max(MIN_QUEUE_PAGE, 2 * math.ceil((request.limit + 1) / len(queues))))
    stream = open_cases(tenant_id, queues, filters, after=after, due_by=due_by, page_size=page_size)
    if view == "at_risk":
        lead = warning_lead(config)
        return (keyed for keyed in stream if is_at_risk(keyed[1], now, lead))
    return stream
