"""Reading cases for the API: a tenant's cases newest first (paginated) and one case with its messages."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from itertools import islice

from omnicase.domain.errors import InvalidCursor, NotFound
from omnicase.domain.model import Case, Message
from omnicase.persistence import keys
from omnicase.persistence.case_filters import CaseFilters, filter_condition
from omnicase.persistence.case_streams import KeyRange, created_cases
from omnicase.persistence.dynamo_models import (
    CaseEventItem,
    CaseItem,
    ConversationItem,
    MessageItem,
    OmnicaseItem,
    SurveyItem,
)
from omnicase.persistence.mapping import case_from_item, message_from_item

CREATED_KEY = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.+\-]{8,32}#[^#]{1,64}")  # a gsi1 sort key: creation time#case id


@dataclass(frozen=True)
class CasePage:
    cases: list[Case]
    next_cursor: str | None


def list_cases(tenant_id: str, filters: CaseFilters, limit: int, cursor: str | None) -> CasePage:
    """One page of the tenant's cases, newest first; `next_cursor` is None on the last page."""
    if not filters.customer_id:
        return _all_cases_page(tenant_id, filters, limit, cursor)
    index_pk = keys.customer_cases_pk(tenant_id, filters.customer_id)
    start = _decode_cursor(cursor, "gsi2pk", index_pk)
    # One item more than the page tells, without a second request, whether another page exists.
    results = list(
        OmnicaseItem.gsi2.query(
            index_pk,
            range_key_condition=OmnicaseItem.gsi2sk > "0",  # the customer's identities sort before, under "!IDENT#"
            scan_index_forward=False,
            filter_condition=filter_condition(filters),
            last_evaluated_key=start,
            limit=limit + 1,
        )
    )
    page = [case_from_item(item) for item in results[:limit] if isinstance(item, CaseItem)]
    next_cursor = _encode_cursor(results[limit - 1], "gsi2") if len(results) > limit else None
    return CasePage(page, next_cursor)


def _all_cases_page(tenant_id: str, filters: CaseFilters, limit: int, cursor: str | None) -> CasePage:
    """gsi1 over the tenant's shards, merged newest first; the cursor is the last creation key handed out."""
    listing = keys.tenant_cases_pk(tenant_id, None)  # names the listing: another tenant's cursor is refused
    after = _decode_after(cursor, listing)
    span = KeyRange(high=after, skip=after, ascending=False)
    rows = list(islice(created_cases(tenant_id, span, filters, page_size=limit + 1), limit + 1))
    more = len(rows) > limit
    return CasePage([case for _, case in rows[:limit]], _encode_after(listing, rows[limit - 1][0]) if more else None)


def _encode_after(listing: str, after: str) -> str:
    position = json.dumps({"listing": listing, "after": after}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def _decode_after(cursor: str | None, listing: str) -> str | None:
    if not cursor:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("the next cursor is not one this API issued") from error
    if not isinstance(position, dict) or position.get("listing") != listing:
        raise InvalidCursor("the next cursor belongs to another listing")
    after = position.get("after")
    if set(position) != {"listing", "after"} or not isinstance(after, str) or not CREATED_KEY.fullmatch(after):
        raise InvalidCursor("the next cursor is malformed")
    return after


@dataclass(frozen=True)
class CaseThread:
    case: Case
    messages: list[Message]
    csat: int | None  # the survey's score, once answered


def read_case_thread(tenant_id: str, case_id: str) -> CaseThread:
    """A case, its messages in order and its survey score: one query of the case's partition.
    NotFound for unknown ids (other tenants' ids are unknown too)."""
    case: Case | None = None
    messages: list[Message] = []
    csat: int | None = None
    # The audit trail (EVENT#…, between the case and its messages) has its own route: DynamoDB leaves it out.
    not_events = OmnicaseItem.item_type != CaseEventItem
    for item in OmnicaseItem.query(keys.case_pk(tenant_id, case_id), filter_condition=not_events):
        if isinstance(item, CaseItem):
            case = case_from_item(item)
        elif isinstance(item, MessageItem):
            messages.append(message_from_item(item))
        elif isinstance(item, SurveyItem) and item.score is not None:
            csat = int(item.score)
    if case is None or case.tenant_id != tenant_id:
        raise NotFound(f"case {case_id}")
    return CaseThread(case, messages, csat)


def get_case(tenant_id: str, case_id: str) -> tuple[Case, list[Message]]:
    """A case and its messages in order; NotFound for unknown ids (other tenants' ids are unknown too)."""
    thread = read_case_thread(tenant_id, case_id)
    return thread.case, thread.messages


def list_queue(tenant_id: str, queue: str, limit: int, cursor: str | None) -> CasePage:
    """A queue's open cases, soonest deadline first (cases without a deadline last)."""
    index_pk = keys.queue_pk(tenant_id, queue)
    start = _decode_cursor(cursor, "gsi3pk", index_pk)
    results = list(OmnicaseItem.gsi3.query(index_pk, last_evaluated_key=start, limit=limit + 1))
    page = [case_from_item(item) for item in results[:limit] if isinstance(item, CaseItem)]
    next_cursor = _encode_cursor(results[limit - 1], "gsi3") if len(results) > limit else None
    return CasePage(page, next_cursor)


def _encode_cursor(item: OmnicaseItem, index_name: str) -> str:
    position = {
        "pk": item.pk,
        "sk": item.sk,
        f"{index_name}pk": getattr(item, f"{index_name}pk"),
        f"{index_name}sk": getattr(item, f"{index_name}sk"),
    }
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None, index_pk_name: str, index_pk: str) -> dict[str, dict[str, str]] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("the next cursor is not one this API issued") from error
    expected = {"pk", "sk", index_pk_name, index_pk_name[:-2] + "sk"}
    if not isinstance(position, dict) or set(position) != expected or position.get(index_pk_name) != index_pk:
        # A cursor from another tenant or another filter must not steer the query.
        raise InvalidCursor("the next cursor belongs to another listing")
    if not all(isinstance(v, str) for v in position.values()):
        raise InvalidCursor("the next cursor is malformed")
    return {name: {"S": value} for name, value in position.items()}


def conversation_replies(tenant_id: str, conversation_id: str, after: str | None) -> tuple[list[Message], str | None]:
    """Outbound messages of a chat conversation's case after the cursor (a message id), oldest first."""
    try:
        pointer = ConversationItem.get(keys.conversation_pk(tenant_id, conversation_id), keys.SINGLETON_SK)
    except ConversationItem.DoesNotExist as error:
        raise NotFound(f"conversation {conversation_id}") from error
    condition = MessageItem.sk > keys.message_sk(after) if after else MessageItem.sk.startswith("MSG#")
    items = MessageItem.query(
        keys.case_pk(tenant_id, pointer.case_id),
        range_key_condition=condition,
        filter_condition=MessageItem.direction == "outbound",
        limit=100,
    )
    messages = [message_from_item(item) for item in items if isinstance(item, MessageItem)]
    return messages, (messages[-1].message_id if messages else after)
