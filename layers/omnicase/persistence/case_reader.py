"""Reading cases for the API: a tenant's cases newest first (paginated) and one case with its messages."""

from __future__ import annotations

import base64
import binascii
import functools
import json
import operator
from dataclasses import dataclass

from pynamodb.expressions.condition import Condition

from omnicase.domain.errors import InvalidCursor, NotFound
from omnicase.domain.model import Case, Message
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import (
    CaseEventItem,
    CaseItem,
    ConversationItem,
    MessageItem,
    OmnicaseItem,
    SurveyItem,
)
from omnicase.persistence.mapping import case_from_item, message_from_item


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    channel: str | None = None
    customer_id: str | None = None
    queue: str | None = None
    assignee: str | None = None
    priority: str | None = None
    breached: bool | None = None
    unassigned: bool = False
    tag: str | None = None


@dataclass(frozen=True)
class CasePage:
    cases: list[Case]
    next_cursor: str | None


def list_cases(tenant_id: str, filters: CaseFilters, limit: int, cursor: str | None) -> CasePage:
    """One page of the tenant's cases, newest first; `next_cursor` is None on the last page."""
    if filters.customer_id:
        index, index_pk, names = OmnicaseItem.gsi2, keys.customer_cases_pk(tenant_id, filters.customer_id), "gsi2"
        only_cases = OmnicaseItem.gsi2sk > "0"  # the customer's identities sort before, under "!IDENT#"
    else:
        index, index_pk, names = OmnicaseItem.gsi1, keys.tenant_cases_pk(tenant_id), "gsi1"
        only_cases = None
    start = _decode_cursor(cursor, f"{names}pk", index_pk)
    # One item more than the page tells, without a second request, whether another page exists.
    results = list(
        index.query(
            index_pk,
            range_key_condition=only_cases,
            scan_index_forward=False,
            filter_condition=filter_condition(filters),
            last_evaluated_key=start,
            limit=limit + 1,
        )
    )
    page = [case_from_item(item) for item in results[:limit] if isinstance(item, CaseItem)]
    next_cursor = _encode_cursor(results[limit - 1], names) if len(results) > limit else None
    return CasePage(page, next_cursor)


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


def filter_condition(filters: CaseFilters) -> Condition | None:
    """The filters as one DynamoDB filter expression on case items (None: no filter)."""
    clauses = [
        attribute == value
        for attribute, value in (
            (CaseItem.status, filters.status),
            (CaseItem.channel, filters.channel),
            (CaseItem.queue, filters.queue),
            (CaseItem.assignee, filters.assignee),
            (CaseItem.priority, filters.priority),
            (CaseItem.breached, filters.breached),
        )
        if value is not None
    ]
    if filters.unassigned:
        clauses.append(CaseItem.assignee.does_not_exist())
    if filters.tag is not None:
        clauses.append(CaseItem.tags.contains(filters.tag))
    return functools.reduce(operator.and_, clauses) if clauses else None


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
