"""The filters of case listings, as one DynamoDB filter expression on case items."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

from pynamodb.expressions.condition import Condition

from omnicase.persistence.dynamo_models import CaseItem


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
