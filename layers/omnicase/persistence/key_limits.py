"""What a table key may hold: DynamoDB's key limits, and a documented limit for every part of every key.

DynamoDB refuses a partition key over 2,048 bytes and a sort key over 1,024 bytes (UTF-8), an index's keys as
well, with a ValidationException — a 500 for a request that merely carried an over-long id. Every builder in
`keys.py` is wrapped by `partition_key`, `sort_key` or `key_pair`, which checks each part against PART_BYTES before
the key exists, so a value from outside (an address, a provider's message id, a path parameter) over its limit is a
400 naming the field (`TooLong`, reason `too-long`) before anything is read or written. A builder taking a part
without a limit here does not import. `tests/unit/test_key_limits.py` builds every key with every part at its limit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from omnicase.domain.errors import TooLong

PARTITION_KEY_BYTES = 2048
SORT_KEY_BYTES = 1024

# Most UTF-8 bytes of each key part, by the builders' parameter name. The ones from outside are in the README.
PART_BYTES = {
    "tenant_id": 64,
    "case_id": 64,  # ours are 10 characters; an API path or a link body may carry anything
    "message_id": 64,
    "customer_id": 64,
    "event_id": 64,
    "nonce": 64,
    "channel": 16,
    "queue": 128,
    "agent_id": 256,  # an assignee: 64 characters (text_limits.AGENT_LIMITS) of up to 4 bytes (gsi5)
    "problem_key": 128,
    "token_hash": 128,
    "sub": 128,
    "created_at_iso": 40,
    "address": 512,  # email address, E.164 number, chat user id or widget, WeChat openid or account
    "conversation_id": 512,
    "email_message_id": 998,  # RFC 5322's line length
    "provider_message_id": 1024,  # Twilio MessageSid, WeChat MsgId, chat "<conversation>:<message>", SES id
    "credential": 256,  # a replay guard's signed timestamp + nonce, or timestamp + signature
    "article_id": 64,  # a knowledge-base article (omnicase.kb.article.ARTICLE_ID: at most 64 ASCII characters)
}
# Parts that are not text: times and counters, fixed width.
FIXED_WIDTH_PARTS = frozenset({"at", "updated_at", "next_deadline", "due_at", "answered_at", "window_start", "shard"})
FIXED_WIDTH_PARTS |= {"revision", "generation", "chunk"}  # the knowledge base's counters
Builder = TypeVar("Builder", bound=Callable[..., Any])


def utf8_size(value: str) -> int:
    """Bytes of `value` in UTF-8 (a lone surrogate counts as the 3 bytes DynamoDB would refuse)."""
    return len(value.encode("utf-8", "surrogatepass"))


def fits_key(part: str, value: str) -> bool:
    """Whether `value` is within the limit of key part `part`."""
    return utf8_size(value) <= PART_BYTES[part]


def check_part(part: str, value: str) -> None:
    """TooLong (400, naming `part`) when `value` is over the limit of key part `part`."""
    limit = PART_BYTES[part]
    if len(value) * 4 <= limit:  # at most 4 UTF-8 bytes a character: fits without encoding it (most keys)
        return
    size = utf8_size(value)
    if size > limit:
        raise TooLong(part, size, limit, "bytes")


def partition_key(builder: Builder) -> Builder:
    """A builder of a partition key (table or index)."""
    return _checked(builder, (PARTITION_KEY_BYTES,))


def sort_key(builder: Builder) -> Builder:
    """A builder of a sort key (table or index), or of a sort-key bound in a query."""
    return _checked(builder, (SORT_KEY_BYTES,))


def key_pair(builder: Builder) -> Builder:
    """A builder of a (partition key, sort key) pair."""
    return _checked(builder, (PARTITION_KEY_BYTES, SORT_KEY_BYTES))


def _checked(builder: Builder, limits: tuple[int, ...]) -> Builder:
    code = builder.__code__
    names = code.co_varnames[: code.co_argcount]
    unknown = [n for n in names if n not in PART_BYTES and n not in FIXED_WIDTH_PARTS]
    if unknown:
        raise TypeError(f"key builder {builder.__name__} takes {', '.join(unknown)}: give it a limit in PART_BYTES")

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> Any:
        for name, value in (*zip(names, args, strict=False), *kwargs.items()):
            if isinstance(value, str):
                check_part(name, value)
        key = builder(*args, **kwargs)
        for part, limit in zip(key if isinstance(key, tuple) else (key,), limits, strict=True):
            if len(part) * 4 > limit and utf8_size(part) > limit:  # the parts' limits add up within DynamoDB's
                raise TooLong(builder.__name__, utf8_size(part), limit, "bytes")
        return key

    build.key_limits = limits  # type: ignore[attr-defined]
    return cast(Builder, build)
