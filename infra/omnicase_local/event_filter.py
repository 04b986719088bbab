"""Lambda event filtering (FilterCriteria patterns) for the event sources moto delivers unfiltered."""

from __future__ import annotations

import json
from typing import Any


def matches_filter_criteria(filter_criteria: dict[str, Any] | None, record: dict[str, Any]) -> bool:
    """True when there are no filters or any one pattern matches (Lambda ORs the patterns)."""
    filters = (filter_criteria or {}).get("Filters") or []
    return not filters or any(_matches(json.loads(f["Pattern"]), record) for f in filters)


def _matches(pattern: Any, value: Any) -> bool:
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(key in value and _matches(p, value[key]) for key, p in pattern.items())
    if isinstance(pattern, list):  # a list of allowed values (exact matches; the subset we use)
        return any(_equal(allowed, value) for allowed in pattern)
    return _equal(pattern, value)


def _equal(allowed: Any, value: Any) -> bool:
    if isinstance(allowed, dict) and "exists" in allowed:
        return (value is not None) == bool(allowed["exists"])
    if isinstance(allowed, dict) and "anything-but" in allowed:
        excluded = allowed["anything-but"]
        return value not in (excluded if isinstance(excluded, list) else [excluded])
    return allowed == value
