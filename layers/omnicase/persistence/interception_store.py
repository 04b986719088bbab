"""Replies the quality check stopped: one item each under the tenant (read back by time window), each with an event
on its case's audit trail."""

from __future__ import annotations

import heapq
import secrets
from collections import Counter
from datetime import datetime

from pynamodb.transactions import TransactWrite

from omnicase.domain.reply_quality import Interception
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import InterceptionItem, OmnicaseItem, transaction_connection
from omnicase.persistence.errors import transaction_errors
from omnicase.persistence.mapping import case_event_to_item


def _aware(at: datetime) -> datetime:
    # A naive time would be read as the machine's local time and land in the wrong window.
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"time without a time zone: {at.isoformat()}")
    return at


class DynamoInterceptionStore:
    def __init__(self, page_size: int | None = None) -> None:
        self._page_size = page_size  # items per Query request (None: DynamoDB's 1 MB pages)

    def record(self, interception: Interception) -> None:
        """The interception, and its event on the case's audit trail, in one transaction."""
        # The random part keeps two interceptions on one case in the same microsecond apart.
        nonce = secrets.token_hex(8)
        item = InterceptionItem(
            keys.interceptions_pk(interception.tenant_id, keys.shard_of(interception.case_id)),
            keys.interception_sk(_aware(interception.at), interception.case_id, nonce),
            tenant_id=interception.tenant_id,
            case_id=interception.case_id,
            agent_id=interception.agent_id,
            phrase=interception.phrase,
            at=interception.at,
            channel=interception.channel,
            text=interception.text or None,
            spans=[list(span) for span in interception.spans] or None,
        )
        with transaction_errors(set()), TransactWrite(connection=transaction_connection()) as tx:
            tx.save(item, condition=InterceptionItem.pk.does_not_exist())
            tx.save(case_event_to_item(interception.case_event()))

    def between(self, tenant_id: str, start: datetime, end: datetime) -> list[Interception]:
        """The tenant's interceptions at or after `start` and before `end`, oldest first, every page read."""
        if _aware(start) >= _aware(end):
            return []  # an empty window (DynamoDB refuses a between whose bounds are reversed)
        # Sort keys start with the time, so "<start>" ≤ sk ≤ "<end>" holds exactly for start ≤ at < end
        # (an item at `end` sorts after the bare "<end>" because of its "#case#nonce" suffix).
        window = (keys.interception_time(start), keys.interception_time(end))
        shards = [
            OmnicaseItem.query(
                keys.interceptions_pk(tenant_id, shard), OmnicaseItem.sk.between(*window), page_size=self._page_size
            )
            for shard in keys.shards()
        ]
        # Each shard is in time order; merged on the sort key (time first), the whole is.
        items = heapq.merge(*shards, key=lambda item: item.sk)
        return [_interception(item) for item in items if isinstance(item, InterceptionItem)]

    def count_by_agent(self, tenant_id: str, start: datetime, end: datetime) -> dict[str, int]:
        """How many replies of each agent were stopped in the window (agents with none are left out)."""
        return dict(Counter(i.agent_id for i in self.between(tenant_id, start, end)))


def _interception(item: InterceptionItem) -> Interception:
    spans = tuple((int(start), int(end)) for start, end in item.spans or ())
    return Interception(
        item.tenant_id, item.case_id, item.agent_id, item.phrase, item.at, item.channel, item.text or "", spans
    )
