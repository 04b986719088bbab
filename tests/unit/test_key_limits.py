"""Every key of keys.py, built with every part at its documented limit, fits DynamoDB's key limits; one byte over
a part's limit is a 400 naming the part. The builders are found by reading the module, so a new key is held to
this the day it is written."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest

from omnicase.domain.errors import TooLong
from omnicase.persistence import key_limits, keys
from omnicase.persistence.key_limits import FIXED_WIDTH_PARTS, PART_BYTES, PARTITION_KEY_BYTES, SORT_KEY_BYTES

HELPERS = {"sort_time", "interception_time", "survey_answer_time", "shard_of", "shards"}  # query bounds, shard choice
WIDEST_TIME = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def builders() -> list[tuple[str, object]]:
    functions = inspect.getmembers(keys, inspect.isfunction)
    return [(name, f) for name, f in functions if f.__module__ == keys.__name__ and not name.startswith("_")]


def parameters(builder) -> list[str]:
    return list(inspect.signature(builder).parameters)


def widest(part: str, *, over: int = 0) -> object:
    if part in FIXED_WIDTH_PARTS:
        return 10**12 - 1 if part in ("window_start", "shard") else WIDEST_TIME
    # 3-byte characters fill the limit exactly where it divides by 3; the rest in ASCII.
    size = PART_BYTES[part] + over
    return "字" * (size // 3) + "x" * (size % 3)


def test_every_public_function_is_a_checked_key_builder_or_a_known_helper():
    unchecked = [name for name, f in builders() if not hasattr(f, "key_limits") and name not in HELPERS]
    assert unchecked == [], "wrap these in partition_key / sort_key / key_pair (persistence/key_limits.py)"


@pytest.mark.parametrize(("name", "builder"), [(n, f) for n, f in builders() if n not in HELPERS])
def test_every_key_with_every_part_at_its_limit_fits_dynamodb(name, builder):
    key = builder(**{part: widest(part) for part in parameters(builder)})
    parts = key if isinstance(key, tuple) else (key,)
    for part, limit in zip(parts, builder.key_limits, strict=True):
        assert len(part.encode()) <= limit <= PARTITION_KEY_BYTES, name
    assert builder.key_limits in ((PARTITION_KEY_BYTES,), (SORT_KEY_BYTES,), (PARTITION_KEY_BYTES, SORT_KEY_BYTES))
    assert not name.endswith("_pk") or builder.key_limits == (PARTITION_KEY_BYTES,), name
    assert not name.endswith(("_sk", "_bound")) or builder.key_limits == (SORT_KEY_BYTES,), name


@pytest.mark.parametrize(
    ("name", "builder", "part"),
    [(n, f, p) for n, f in builders() if n not in HELPERS for p in parameters(f) if p not in FIXED_WIDTH_PARTS],
)
def test_one_byte_over_a_parts_limit_is_refused_naming_it(name, builder, part):
    values = {p: widest(p) for p in parameters(builder)}
    with pytest.raises(TooLong) as refused:
        builder(**{**values, part: widest(part, over=1)})
    assert refused.value.reason == "too-long" and refused.value.field == part
    assert refused.value.details == {"field": part, "limit": PART_BYTES[part], "unit": "bytes"}


def test_a_builder_taking_a_part_without_a_limit_does_not_import():
    with pytest.raises(TypeError, match="give it a limit"):

        @key_limits.partition_key
        def favourite_pk(tenant_id: str, colour: str) -> str:
            return f"T#{tenant_id}#FAVOURITE#{colour}"
