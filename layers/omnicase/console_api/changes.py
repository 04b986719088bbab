"""GET /changes?since=: every case of the tenant changed after the cursor, oldest change first (console polling).

A case's change key (gsi4) is its `updated_at`, set by the writer a moment before its transaction commits, and the
index itself trails the table by a moment: a poll that handed out a cursor up to "now" could step past a change
that becomes visible later. So a poll only reads up to SETTLE ago and its cursor stops there; the next poll reads
from that point. A change reaches the console within SETTLE plus the poll interval, and no poll reads it twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from omnicase.console_api.cursors import CHANGE_KEY, decode_cursor, encode_cursor
from omnicase.console_api.rows import inbox_rows
from omnicase.persistence import keys
from omnicase.persistence.case_reader import CaseFilters
from omnicase.persistence.case_streams import KeyRange, Reads, changed_cases

# Why 1 s is enough: a writer stamps `updated_at` just before it writes (intake per attempt, then one BatchGet and
# its transaction; an agent's action or the timer check after one read of the case): tens of ms. DynamoDB copies a
# write to a GSI within a fraction of a second under normal conditions. A write held up longer (throttled retries,
# an index backlog) could be stepped past with 2 s as well; its case shows at its next change or when its view
# reloads. With the console's 2 s poll, a change is on screen within about 3 s.
SETTLE = timedelta(seconds=1)
MAX_CHANGES = 200
LISTING = "changes"


def read_changes(
    tenant_id: str, params: Mapping[str, str], now: datetime | None = None, reads: Reads | None = None
) -> dict[str, Any]:
    """{"cases": [InboxRow], "cursor"}; without `since` no cases and a cursor for now (InvalidCursor: a 400)."""
    settled = keys.change_bound((now or datetime.now(UTC)) - SETTLE)
    since = params.get("since")
    if not since:
        return {"cases": [], "cursor": encode_cursor(LISTING, settled)}
    after = decode_cursor(since, LISTING, CHANGE_KEY)
    span = KeyRange(low=after, high=settled, skip=after)  # empty (and not read) when nothing changed since
    stream = changed_cases(tenant_id, span, CaseFilters(), page_size=MAX_CHANGES + 1, reads=reads)
    changed = list(islice(stream, MAX_CHANGES))
    full = len(changed) == MAX_CHANGES  # maybe more: go on from the last one handed out
    cursor = changed[-1][0] if full else max(after, settled)
    return {"cases": inbox_rows(tenant_id, [case for _, case in changed]), "cursor": encode_cursor(LISTING, cursor)}
