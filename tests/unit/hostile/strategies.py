"""Shared hostile-input generators and the one property every normalizer must keep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

T = TypeVar("T")

# Modest and without a deadline: the property is "never crashes, never hangs", not a timing budget.
HOSTILE = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# Characters that break parsers, encoders and databases: NUL, lone surrogates, bidi overrides, CR/LF, BOM.
NASTY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec=None),
        st.sampled_from(["\x00", "\r", "\n", "\ud800", "\udfff", "\u202e", "\ufeff", "\uffff", "%", "&", "<", "]"]),
    ),
    max_size=60,
)

# Any JSON value, nested a little, with the nasty strings and extreme numbers.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | NASTY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(NASTY_TEXT, children, max_size=4),
    max_leaves=12,
)


def parsed_or_rejected(parse: Callable[[Any], T], data: Any, rejection: type[Exception]) -> T | None:
    """What `parse` returned, or None when it raised the channel's rejection (anything else fails the test)."""
    try:
        return parse(data)
    except rejection as rejected:
        reason = getattr(rejected, "reason", None)
        assert isinstance(reason, str) and reason, "a rejection carries a reason code for the edge's 4xx"
        return None


def utf8_safe(*texts: str | None) -> None:
    """What a normalizer hands on must survive UTF-8 (DynamoDB, S3, logs): no lone surrogates from bad bytes."""
    for text in texts:
        if text is not None:
            text.encode("utf-8")
